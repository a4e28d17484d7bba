"""Forms of the trends and positions pages (their filters)."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.reports.common.forms import ALL_GROUPS
from thuocdo.reviews.models import EvaluationGroup

GROUP_CHOICES = [ALL_GROUPS, *EvaluationGroup.choices]


def _year_choices(years: list[int], blank: str | None = None) -> list[tuple[Any, str]]:
    """Choices of a year select, with an optional blank first choice."""
    choices: list[tuple[Any, str]] = [("", blank)] if blank is not None else []
    return choices + [(year, str(year)) for year in years]


class TrendQueryForm(forms.Form):
    """What a trend is about: a unit (by code), a range of years, a group, a year's months."""

    unit = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    group = forms.ChoiceField(label="Nhóm đối tượng", required=False, choices=GROUP_CHOICES)
    year = forms.TypedChoiceField(label="Các tháng của năm", coerce=int, required=False)

    def __init__(self, *args: Any, years: list[int], month_years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two fields are named as in the URL and the API.
        self.fields["from"] = forms.TypedChoiceField(
            label="Từ năm", coerce=int, required=False, choices=_year_choices(years, "Đầu tiên")
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="Đến năm", coerce=int, required=False, choices=_year_choices(years, "Gần nhất")
        )
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _year_choices(month_years)


class PositionQueryForm(forms.Form):
    """What a comparison is about: a unit (by code), a year, one group or all."""

    unit = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    year = forms.TypedChoiceField(label="Năm", coerce=int, choices=[])
    group = forms.ChoiceField(label="Nhóm đối tượng", required=False, choices=GROUP_CHOICES)
    position = forms.CharField(
        label="Chức danh tương đương (để trống: tất cả)", required=False, max_length=120
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _year_choices(years)
