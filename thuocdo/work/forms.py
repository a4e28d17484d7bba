"""Forms of the work pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from thuocdo.org.fields import ScopedUnitField
from thuocdo.org.models import Unit
from thuocdo.security.fields import EvidenceFileField
from thuocdo.work.models import ExemptionKind, ProductType


class DateInput(forms.DateInput):
    input_type = "date"


class TaskRegisterForm(forms.Form):
    """Register a task in my month."""

    product_type = forms.ModelChoiceField(
        label="Loại sản phẩm", queryset=ProductType.objects.none(), empty_label="— Chọn —"
    )
    title = forms.CharField(label="Nội dung nhiệm vụ", max_length=500)
    quantity = forms.DecimalField(
        label="Số lượng", min_value=0.01, max_digits=12, decimal_places=2, initial=1
    )
    due_date = forms.DateField(label="Hạn hoàn thành", widget=DateInput)

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if products is not None:
            self.fields["product_type"].queryset = products  # type: ignore[attr-defined]


class ProgressForm(forms.Form):
    """A progress update."""

    percent = forms.IntegerField(label="Tiến độ (%)", min_value=0, max_value=100)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompleteForm(forms.Form):
    """Report a completion with its evidence."""

    completed_on = forms.DateField(
        label="Ngày hoàn thành", widget=DateInput, initial=datetime.date.today
    )
    quantity_done = forms.DecimalField(
        label="Số lượng hoàn thành", min_value=0, max_digits=12, decimal_places=2
    )
    evidence_number = forms.CharField(label="Số văn bản", max_length=120, required=False)
    evidence_note = forms.CharField(
        label="Minh chứng", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_file = EvidenceFileField(label="Tệp minh chứng", required=False)


class ExemptionRequestForm(forms.Form):
    """Ask an objective-cause exemption."""

    kind = forms.ChoiceField(label="Đề nghị miễn trừ", choices=ExemptionKind.choices)
    reason = forms.CharField(
        label="Nguyên nhân khách quan", widget=forms.Textarea(attrs={"rows": 2})
    )


VERDICTS = [
    ("dat", "Đạt"),
    ("chua_dat", "Chưa đạt"),
    ("vuot", "Vượt yêu cầu"),
    ("tre", "Trễ hạn"),
]


class VerifyForm(forms.Form):
    """The leader's one-click verdict on a completion."""

    verdict = forms.ChoiceField(choices=VERDICTS)
    reason = forms.CharField(label="Lý do", required=False, max_length=1000)

    def service_kwargs(self) -> dict[str, Any]:
        """The verdict as task_verify's arguments."""
        verdict = self.cleaned_data["verdict"]
        return {
            "quality_passed": verdict != "chua_dat",
            "exceeded": verdict == "vuot",
            "late": verdict == "tre",
            "reason": self.cleaned_data["reason"],
        }


class DecisionForm(forms.Form):
    """Confirm or refuse an exemption, with a reason."""

    confirm = forms.TypedChoiceField(
        choices=[("1", "Xác nhận nguyên nhân khách quan"), ("0", "Không chấp nhận")],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label="Lý do", max_length=1000)


class ReasonForm(forms.Form):
    """A required reason (returning a plan)."""

    reason = forms.CharField(label="Lý do", max_length=1000)


class ConfirmForm(forms.Form):
    """A button with nothing to type (approving a plan as it is)."""


class MonthLockForm(forms.Form):
    """Close a month for a unit and its subtree, the unit picked among those the user
    organises (a unit out of scope is refused like a missing one)."""

    unit = ScopedUnitField(label="Đơn vị (cả các đơn vị trực thuộc)")
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    month = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=12)
    reason = forms.CharField(
        label="Lý do, ghi chú (không bắt buộc)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MonthReopenForm(forms.Form):
    """Reopen a closed month: the reason is required and kept in the audit trail."""

    reason = forms.CharField(
        label="Lý do mở lại",
        max_length=1000,
        error_messages={"required": "Cần ghi lý do mở lại tháng."},
    )
