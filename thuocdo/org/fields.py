"""Form fields over the registry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from thuocdo.numbers import whole_number
from thuocdo.org.models import Unit


class UnitCodeField(forms.CharField):
    """A unit given by its code (the unit picker's value; a plain text field without
    JavaScript), or by its number; cleans to the unit's number. Scope is checked by the view
    (``access_unit``), which answers an out-of-scope unit like a missing one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Đơn vị")
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int:
        text = str(super().clean(value)).strip()
        pk = Unit.objects.filter(code=text).values_list("pk", flat=True).first()
        number = whole_number(text)
        if pk is None and number is not None:
            pk = Unit.objects.filter(pk=number).values_list("pk", flat=True).first()
        if pk is None:
            raise ValidationError(
                f"Không có đơn vị mã «{text}»: hãy gõ tên và chọn trong danh sách gợi ý."
            )
        return int(pk)
