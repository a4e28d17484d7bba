"""The filter form of the trends page."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.reports.common.forms import GROUP_CHOICES, year_choices


class TrendQueryForm(forms.Form):
    """What a trend is about: a unit (by code), a range of years, a group, a year's months."""

    unit = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    group = forms.ChoiceField(label="Nhóm đối tượng", required=False, choices=GROUP_CHOICES)
    year = forms.TypedChoiceField(label="Các tháng của năm", coerce=int, required=False)

    def __init__(self, *args: Any, years: list[int], month_years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: these two fields are named as in the URL and the API.
        self.fields["from"] = forms.TypedChoiceField(
            label="Từ năm", coerce=int, required=False, choices=year_choices(years, "Đầu tiên")
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="Đến năm", coerce=int, required=False, choices=year_choices(years, "Gần nhất")
        )
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = year_choices(month_years)
