"""The form of the summary report's letterhead: what the system cannot know about a document
it prints (its number, who issues and signs it, where and when)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms

from thuocdo.reports.documents.summary import Letterhead
from thuocdo.rules.fmt import vn_date

DATE_FORMAT = "%d/%m/%Y"
BAD_DATE = "Ngày ban hành phải ghi theo dạng dd/mm/yyyy, ví dụ 15/01/2027."


def _text(
    label: str, *, required: bool = True, max_length: int = 120, **extra: Any
) -> forms.CharField:
    """A text field whose errors name it (Django's own say only "this field")."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Cần ghi {label[:1].lower()}{label[1:]}.",
            "max_length": f"{label} dài quá {max_length} ký tự.",
        },
        **extra,
    )


class SummaryDocumentForm(forms.Form):
    """Number, issuing body, place, date and signer of the summary report."""

    issuer_above = _text("Cơ quan cấp trên", required=False)
    issuer = _text("Cơ quan ban hành")
    code = _text("Ký hiệu cơ quan ban hành", max_length=30, help_text="Ví dụ: BTCTU, UBND.")
    number = _text(
        "Số văn bản", required=False, max_length=20, help_text="Để trống nếu ghi số bằng tay."
    )
    place = _text("Địa danh", max_length=80)
    on = forms.DateField(
        label="Ngày ban hành",
        input_formats=[DATE_FORMAT],
        help_text="dd/mm/yyyy",
        error_messages={"required": "Cần ghi ngày ban hành.", "invalid": BAD_DATE},
    )
    signer_authority = _text(
        "Thẩm quyền ký",
        required=False,
        help_text="Ví dụ: T/M BAN THƯỜNG VỤ; để trống nếu ký trực tiếp.",
    )
    signer_title = _text("Chức vụ người ký")
    signer_name = _text("Họ và tên người ký", required=False, help_text="Để trống để ký tay.")
    recipients = forms.CharField(
        label="Nơi nhận",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một nơi nhận.",
        error_messages={"max_length": "Nơi nhận dài quá {limit_value} ký tự."},
    )

    @staticmethod
    def initial_of(letterhead: Letterhead) -> dict[str, str]:
        """The form's initial values from a letterhead (the unit's defaults)."""
        return {
            **asdict(letterhead),
            "on": vn_date(letterhead.on),
            "recipients": "\n".join(letterhead.recipients),
        }

    def letterhead(self) -> Letterhead:
        """The letterhead the user wrote (call after is_valid; fields come stripped)."""
        data = dict(self.cleaned_data)
        lines = data.pop("recipients").splitlines()
        return Letterhead(**data, recipients=tuple(line.strip() for line in lines if line.strip()))
