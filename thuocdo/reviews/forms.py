"""Forms of the monthly scoring pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from thuocdo.org.fields import UnitCodeField
from thuocdo.reviews.annual.tracks import RATINGS
from thuocdo.rules import list_rulesets, load_ruleset

LEVEL_CHOICES = [("HTXS", "HTXS"), ("HTT", "HTT"), ("HTNV", "HTNV"), ("KHT", "KHT")]
# The first option of a level or a rating chosen by a person: nothing is chosen for them.
CHOOSE = ("", "— Chọn —")
CHOSEN_LEVELS = [
    CHOOSE,
    ("HTXS", "Hoàn thành xuất sắc nhiệm vụ (HTXS)"),
    ("HTT", "Hoàn thành tốt nhiệm vụ (HTT)"),
    ("HTNV", "Hoàn thành nhiệm vụ (HTNV)"),
    ("KHT", "Không hoàn thành nhiệm vụ (KHT)"),
]


class PeriodOpenForm(forms.Form):
    """Open a monthly (or quarterly) period over one of the units the user manages."""

    unit = UnitCodeField()
    kind = forms.ChoiceField(
        label="Kỳ",
        choices=[("month", "Tháng"), ("quarter", "Quý")],
        initial="month",
        required=False,
    )
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="Tháng (quý)", min_value=1, max_value=12)
    ruleset = forms.ChoiceField(label="Bộ quy tắc", choices=())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["kind"] = data.get("kind") or "month"
        if data["kind"] == "quarter" and (data.get("month") or 0) > 4:
            self.add_error("month", "Quý phải từ 1 đến 4.")
        return data

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own signature
        field = self.fields["ruleset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.id, r.title) for r in list_rulesets()]


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


# -- The annual cycle -------------------------------------------------------------------------


def _points(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_digits=5, decimal_places=2)


def _year_rulesets() -> list[tuple[str, str]]:
    """Rule-sets that classify a year, as choices."""
    return [(r.id, r.title) for r in list_rulesets() if "year" in load_ruleset(r.id).period_kinds]


# The groups that may be classified under their own rule-set (leaders and collectives follow
# the period's rule-set: the head is capped by the unit inside one batch).
GROUP_RULESET_FIELDS = {
    "civil_servant": "Bộ quy tắc cho công chức",
    "public_employee": "Bộ quy tắc cho viên chức",
    "party_member": "Bộ quy tắc cho đảng viên",
}


class YearOpenForm(forms.Form):
    """Open a year period over a unit: every evaluation of its subtree is created at once."""

    unit = UnitCodeField()
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    ruleset = forms.ChoiceField(label="Bộ quy tắc chung", choices=())
    self_due = forms.DateField(label="Hạn tự kiểm điểm", required=False)
    review_due = forms.DateField(label="Hạn lãnh đạo đánh giá", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _year_rulesets()
        main = self.fields["ruleset"]
        assert isinstance(main, forms.ChoiceField)
        main.choices = choices
        for group, label in GROUP_RULESET_FIELDS.items():
            self.fields[f"ruleset_{group}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "Như bộ quy tắc chung"), *choices],
            )

    def rulesets(self) -> dict[str, str]:
        """The rule-set chosen for each group that has its own."""
        return {
            group: self.cleaned_data[f"ruleset_{group}"]
            for group in GROUP_RULESET_FIELDS
            if self.cleaned_data.get(f"ruleset_{group}")
        }


class WhatIfForm(forms.Form):
    """Mô phỏng: another rule-set (and per group), other options, for a year period."""

    ruleset = forms.ChoiceField(label="Bộ quy tắc chung", choices=())
    options = forms.CharField(
        label="Tùy chọn (mỗi dòng một tùy chọn, dạng tên=giá_trị)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: quota_base=good_only; head_cap=true; quota_rate=0.2. Để trống: "
        "giữ tùy chọn của kỳ đánh giá.",
    )

    def __init__(self, *args: Any, period_rulesets: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _year_rulesets()
        main = self.fields["ruleset"]
        assert isinstance(main, forms.ChoiceField)
        main.choices = choices
        for group, label in GROUP_RULESET_FIELDS.items():
            self.fields[f"ruleset_{group}"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "Như bộ quy tắc chung"), *choices],
                initial=period_rulesets.get(group, ""),
            )

    def rulesets(self) -> dict[str, str]:
        """The rule-set chosen for each group that has its own."""
        return {
            group: self.cleaned_data[f"ruleset_{group}"]
            for group in GROUP_RULESET_FIELDS
            if self.cleaned_data.get(f"ruleset_{group}")
        }

    def option_lines(self) -> list[str]:
        """The options as written, one per line."""
        text = self.cleaned_data.get("options") or ""
        return [line.strip() for line in text.replace(";", "\n").splitlines() if line.strip()]


def sheet_fields(form: forms.Form, criteria: dict[str, str] | None) -> None:
    """Under a rule-set without points, a rating per criterion group replaces the points."""
    if criteria is None:
        return
    del form.fields["general"], form.fields["results"]
    for key, label in criteria.items():
        form.fields[f"rating_{key}"] = forms.ChoiceField(
            label=f"Mức đánh giá — {label}", choices=[CHOOSE, *RATINGS.items()]
        )
    # The proposed level stays last, after the ratings it follows from.
    form.fields["proposed_level"] = form.fields.pop("proposed_level")


def sheet_values(form: forms.Form, criteria: dict[str, str] | None) -> dict[str, Any]:
    """The service's keyword arguments of the score sheet: points, or criterion ratings."""
    data = form.cleaned_data
    if criteria is None:
        return {"general": data["general"], "results": data["results"]}
    return {"criteria": {key: data[f"rating_{key}"] for key in criteria}}


class SelfReviewForm(forms.Form):
    """The self-review in the structure of Mẫu 2A, 2B or 01, with the 30/70 score sheet."""

    shortcomings = forms.CharField(
        label="Hạn chế, khuyết điểm", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    causes = forms.CharField(
        label="Nguyên nhân", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remedies = forms.CharField(
        label="Kết quả khắc phục những hạn chế đã được chỉ ra",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsibility = forms.CharField(
        label="Trách nhiệm đối với những hạn chế, khuyết điểm của tập thể",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    direction = forms.CharField(
        label="Phương hướng, biện pháp khắc phục",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    general = _points("Điểm tiêu chí chung (tối đa 30)")
    results = _points("Điểm kết quả thực hiện nhiệm vụ (tối đa 70)")
    proposed_level = forms.ChoiceField(label="Tự đề xuất mức xếp loại", choices=CHOSEN_LEVELS)

    def __init__(
        self,
        *args: Any,
        criteria: dict[str, str],
        form_code: str,
        ratings: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.ratings = ratings
        sheet_fields(self, ratings)
        # Strengths come first in the Party's forms, one box per criterion group.
        for key, label in reversed(list(criteria.items())):
            self.fields = {
                f"strength_{key}": forms.CharField(
                    label=f"Ưu điểm, kết quả — {label}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
                **self.fields,
            }
        if form_code != "2B":
            del self.fields["responsibility"]

    def strengths(self) -> dict[str, str]:
        """The strength texts keyed by criterion group."""
        return {key: self.cleaned_data.get(f"strength_{key}", "") for key in self.criteria}


class LeaderReviewForm(forms.Form):
    """The direct leader's score (or criterion ratings) and proposed level."""

    general = _points("Điểm tiêu chí chung (tối đa 30)")
    results = _points("Điểm kết quả thực hiện nhiệm vụ (tối đa 70)")
    note = forms.CharField(
        label="Nhận xét", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_level = forms.ChoiceField(label="Đề xuất mức xếp loại", choices=CHOSEN_LEVELS)

    def __init__(self, *args: Any, ratings: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        sheet_fields(self, ratings)


class ConcludeForm(forms.Form):
    """The authority's level for one subject; a reason is required when it differs."""

    level = forms.ChoiceField(label="Mức kết luận", choices=[*LEVEL_CHOICES, ("KXL", "KXL")])
    reason = forms.CharField(label="Lý do (bắt buộc khi khác đề xuất)", required=False)


class ReopenForm(forms.Form):
    """Reopening a locked period, with its reason."""

    reason = forms.CharField(label="Lý do mở lại", widget=forms.Textarea(attrs={"rows": 2}))
