"""Forms of the monthly scoring pages."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from thuocdo.rules import list_rulesets

LEVEL_CHOICES = [("HTXS", "HTXS"), ("HTT", "HTT"), ("HTNV", "HTNV"), ("KHT", "KHT")]


class PeriodOpenForm(forms.Form):
    """Open a monthly period over one of the units the user manages."""

    unit = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="Tháng", min_value=1, max_value=12)
    ruleset = forms.ChoiceField(label="Bộ quy tắc", choices=())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        field = self.fields["ruleset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.id, f"{r.id} — {r.title}") for r in list_rulesets()]


class AssessmentForm(forms.Form):
    """General criteria, bonus and deductions of one person's month."""

    general = forms.DecimalField(
        label="Điểm tiêu chí chung", min_value=Decimal(0), max_digits=5, decimal_places=2
    )
    bonus = forms.DecimalField(
        label="Điểm thưởng", min_value=Decimal(0), required=False, max_digits=5, decimal_places=2
    )
    deductions = forms.DecimalField(
        label="Điểm trừ", min_value=Decimal(0), required=False, max_digits=5, decimal_places=2
    )
    organising = forms.DecimalField(
        label="Năng lực tổ chức thực hiện (%, chỉ với người quản lý)",
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        max_digits=5,
        decimal_places=2,
    )
    note = forms.CharField(
        label="Nhận xét", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    """The head's decision on a proposed monthly level."""

    level = forms.ChoiceField(label="Mức quyết định", choices=LEVEL_CHOICES)
    reason = forms.CharField(label="Lý do (bắt buộc khi thay đổi)", required=False)
