"""Forms of the registry pages."""

from __future__ import annotations

from typing import Any

from django import forms

from thuocdo.org.models import Category
from thuocdo.org.permissions import access_unit
from thuocdo.org.selectors import PeopleFilter
from thuocdo.spreadsheets.web import UploadForm


class PeopleSearchForm(forms.Form):
    """Search box and filters of the people list."""

    q = forms.CharField(label="Tìm theo tên hoặc mã", required=False, max_length=100)
    category = forms.ChoiceField(
        label="Đối tượng", required=False, choices=[("", "Tất cả"), *Category.choices]
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def filters(self) -> PeopleFilter:
        """The validated filters; a unit out of scope is refused like a missing one."""
        unit_id = self.cleaned_data.get("unit")
        unit = access_unit(self.actor, unit_id) if unit_id else None
        return PeopleFilter(
            query=self.cleaned_data.get("q") or "",
            unit=unit,
            category=self.cleaned_data.get("category") or "",
        )


class ImportForm(UploadForm):
    """Upload of a units or people workbook."""

    kind = forms.ChoiceField(
        label="Loại dữ liệu",
        choices=[("units", "Đơn vị, cấp có thẩm quyền"), ("people", "Cán bộ, chức vụ")],
    )
    field_order = ["kind", "file"]
