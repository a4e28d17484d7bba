"""Forms of the reports pages."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.org.models import Category
from thuocdo.reviews.models import EvaluationGroup

ALL_GROUPS = ("", "Tất cả các nhóm đối tượng")
ALL_CATEGORIES = ("", "Mọi đối tượng")
GROUP_CHOICES = [ALL_GROUPS, *EvaluationGroup.choices]


def year_choices(years: list[int], blank: str | None = None) -> list[tuple[Any, str]]:
    """Choices of a year select, with an optional blank first choice."""
    choices: list[tuple[Any, str]] = [("", blank)] if blank is not None else []
    return choices + [(year, str(year)) for year in years]


class DistributionQueryForm(forms.Form):
    """What a distribution report is about: a unit (by code), a year, one group or all."""

    unit = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    year = forms.TypedChoiceField(label="Năm", coerce=int, choices=[])
    group = forms.ChoiceField(
        label="Nhóm đối tượng", required=False, choices=[ALL_GROUPS, *EvaluationGroup.choices]
    )
    month = forms.TypedChoiceField(
        label="Kỳ",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Cả năm"), *((m, f"Tháng {m:02d}") for m in range(1, 13))],
    )
    category = forms.ChoiceField(
        label="Đối tượng", required=False, choices=[ALL_CATEGORIES, *Category.choices]
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, str(year)) for year in years]
