"""Forms of the targets pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from thuocdo.org.fields import ScopedUnitField
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, today, units_write_q
from thuocdo.security.fields import EvidenceFileField
from thuocdo.spreadsheets import MONTH_FORMAT as PERIOD_FORMAT
from thuocdo.spreadsheets import parse_month
from thuocdo.spreadsheets.web import UploadForm
from thuocdo.targets.models import LEVEL_CHOICES, Indicator, TargetSet


class TargetSetImportForm(UploadForm):
    """Upload of a targets workbook for a unit and year (the set is created if missing)."""

    unit = ScopedUnitField()
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    field_order = ["unit", "year", "file"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the units the actor may assign targets to are offered.
        field = self.fields["unit"]
        assert isinstance(field, ScopedUnitField)
        field.queryset = Unit.objects.filter(units_write_q(scope_for(actor)))
        self.fields["year"].initial = today().year


class MonthField(forms.CharField):
    """A month typed as mm/yyyy, cleaned to its first day."""

    def clean(self, value: Any) -> datetime.date | None:
        """Validate the text (length, required), then parse mm/yyyy (or yyyy-mm)."""
        text = super().clean(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(f"Ghi tháng theo dạng {PERIOD_FORMAT}, ví dụ 03/2026.")
        return month


class ActualForm(forms.Form):
    """The result of one indicator for one month, with its evidence."""

    indicator = forms.ModelChoiceField(label="Chỉ tiêu", queryset=Indicator.objects.none())
    period = MonthField(label=f"Kỳ ({PERIOD_FORMAT})", max_length=7)
    value = forms.DecimalField(label="Giá trị", min_value=0, max_digits=18, decimal_places=4)
    evidence_note = forms.CharField(
        label="Minh chứng", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document_number = forms.CharField(label="Số văn bản", required=False, max_length=60)
    evidence_file = EvidenceFileField(label="Tệp minh chứng", required=False)

    def __init__(self, *args: Any, target_set: TargetSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = target_set.indicators.order_by("position", "code")
        # Accept "2.100" and "95,5" as Vietnamese users type them.
        self.fields["value"].localize = True
        self.fields["value"].widget.is_localized = True
        self.fields["period"].initial = today().strftime("%m/%Y")


class CouncilAssessmentForm(forms.Form):
    """The advisory council's assessment of the head's results."""

    council_name = forms.CharField(
        label="Hội đồng",
        max_length=255,
        initial="Hội đồng Tư vấn đánh giá cán bộ bằng sản phẩm",
    )
    meeting_date = forms.DateField(label="Ngày họp (dd/mm/yyyy)")
    members_total = forms.IntegerField(label="Tổng số thành viên", min_value=1)
    members_present = forms.IntegerField(label="Số thành viên có mặt", min_value=0)
    proposed_level = forms.ChoiceField(label="Mức đề xuất", choices=LEVEL_CHOICES)
    assessment = forms.CharField(
        label="Nhận xét, đánh giá", widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean(self) -> dict[str, Any]:
        """Present members cannot outnumber the council."""
        data = super().clean() or {}
        present, total = data.get("members_present"), data.get("members_total")
        if present is not None and total is not None and present > total:
            self.add_error("members_present", "Không được lớn hơn tổng số thành viên.")
        return data


class TransitionForm(forms.Form):
    """Assign, close or reopen a set."""

    action = forms.ChoiceField(
        choices=[("assign", "Giao"), ("close", "Khóa sổ"), ("reopen", "Mở lại")],
        widget=forms.HiddenInput,
    )
    decision_number = forms.CharField(label="Số quyết định giao", required=False, max_length=60)
    reason = forms.CharField(label="Lý do mở lại", required=False, max_length=1000)
