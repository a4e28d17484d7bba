"""Form fields over the registry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

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


class UnitPicker(forms.TextInput):
    """The unit picker (type-ahead over the units in scope, each with its parent) as a widget;
    without JavaScript a text field that takes the unit's code."""

    template_name = "web/widgets/unit_picker.html"

    def __init__(
        self, *, scope: str = "", source: str = "", attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)
        self.scope = scope  # "xem": suggest the units the user may see, not those they manage
        # A page whose units are not those of a scope (the meeting page: the units where the
        # user may hold one) gives its own suggestions' address, answering the same fragment.
        self.source = source

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["scope"] = self.scope
        context["widget"]["source"] = self.source
        return context

    def format_value(self, value: Any) -> str | None:
        """A unit (or its number, as initial data) is shown by its code."""
        if isinstance(value, Unit):
            return value.code
        if isinstance(value, int):
            code = Unit.objects.filter(pk=value).values_list("code", flat=True).first()
            return str(code) if code is not None else None
        value_text: str | None = super().format_value(value)
        return value_text


class ScopedUnitField(forms.Field):
    """A unit among `queryset` (the units the form offers), picked by its code with the unit
    picker, over any number of units; cleans to the unit. A unit outside the queryset is
    refused like one that does not exist, so codes cannot be probed."""

    widget = UnitPicker

    def __init__(self, *, queryset: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Đơn vị")
        super().__init__(**kwargs)
        self.queryset: QuerySet[Unit] = queryset if queryset is not None else Unit.objects.none()

    def clean(self, value: Any) -> Unit | None:
        text = str(value or "").strip()[:60]
        if not text:
            if self.required:
                raise ValidationError(f"{self.label}: chọn một đơn vị.", code="required")
            return None
        unit = self.queryset.filter(code=text).first()
        if unit is None:
            raise ValidationError(
                f"{self.label}: không có đơn vị mã «{text}» trong phạm vi của anh/chị; hãy gõ "
                "tên và chọn trong danh sách gợi ý.",
                code="invalid_choice",
            )
        return unit
