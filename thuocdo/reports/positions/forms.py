"""The filter form of the comparison of equivalent positions."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.reports.common.forms import GROUP_CHOICES, year_choices


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
        field.choices = year_choices(years)
