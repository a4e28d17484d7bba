"""Periods and monthly scores (DESIGN.md §3 Period, Assessment, Result)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Person, Unit


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"
    YEAR = "year", "Năm"


class PeriodState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    OPEN = "open", "Đang mở"
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    REVIEW = "review", "Lãnh đạo đánh giá"
    VERIFICATION = "verification", "Thẩm định"
    CONCLUSION = "conclusion", "Kết luận"
    PUBLISHED = "published", "Công khai"
    LOCKED = "locked", "Đã khóa"


class Period(models.Model):
    """An evaluation period over a unit subtree, with the rule-set that applies."""

    kind = models.CharField("loại kỳ", max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveSmallIntegerField("tháng/quý", null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="periods")
    ruleset = models.CharField("bộ quy tắc", max_length=60)
    options = models.JSONField("tùy chọn của bộ quy tắc", default=dict, blank=True)
    state = models.CharField(
        "trạng thái", max_length=20, choices=PeriodState.choices, default=PeriodState.OPEN
    )

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ["-year", "-number", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number", "unit"], name="period_unique_per_unit"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="month", number__gte=1, number__lte=12)
                    | Q(kind="quarter", number__gte=1, number__lte=4)
                    | Q(kind="year", number__isnull=True)
                ),
                name="period_number_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"Tháng {self.number:02d}/{self.year} — {self.unit}"
        if self.kind == PeriodKind.QUARTER:
            return f"Quý {self.number}/{self.year} — {self.unit}"
        return f"Năm {self.year} — {self.unit}"

    @property
    def is_locked(self) -> bool:
        """A locked period refuses every change until an audited reopening."""
        return self.state == PeriodState.LOCKED


class AssessmentSource(models.TextChoices):
    SELF = "self", "Tự đánh giá"
    LEADER = "leader", "Lãnh đạo trực tiếp"


POINTS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class MonthlyAssessment(models.Model):
    """A source's scoring of the parts of a month that are not computed from the work record:
    the general criteria (30, or 20 under Hà Nội's scheme), bonus and deductions."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source = models.CharField("nguồn", max_length=10, choices=AssessmentSource.choices)
    general = models.DecimalField(
        "điểm tiêu chí chung", max_digits=5, decimal_places=2, validators=POINTS
    )
    bonus = models.DecimalField(
        "điểm thưởng", max_digits=5, decimal_places=2, default=Decimal(0), validators=POINTS
    )
    deductions = models.DecimalField(
        "điểm trừ", max_digits=5, decimal_places=2, default=Decimal(0), validators=POINTS
    )
    organising = models.DecimalField(
        "năng lực tổ chức thực hiện (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POINTS,
        help_text="Chỉ với người quản lý: thành phần đ (DESIGN.md §4.2).",
    )
    note = models.TextField("nhận xét", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chấm điểm tháng"
        verbose_name_plural = "chấm điểm tháng"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "person", "source"], name="assessment_one_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.person} {self.period}"


class MonthlyScore(models.Model):
    """A person's score and level for a month, with how every point was reached."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="monthly_scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    general = models.DecimalField("tiêu chí chung", max_digits=5, decimal_places=2)
    quantity = models.DecimalField("khối lượng (a)", max_digits=7, decimal_places=4)
    quality = models.DecimalField("chất lượng (b)", max_digits=7, decimal_places=4)
    timeliness = models.DecimalField("tiến độ (c)", max_digits=7, decimal_places=4)
    results = models.DecimalField("kết quả thực hiện nhiệm vụ", max_digits=5, decimal_places=2)
    bonus = models.DecimalField("điểm thưởng", max_digits=5, decimal_places=2, default=Decimal(0))
    deductions = models.DecimalField("điểm trừ", max_digits=5, decimal_places=2, default=Decimal(0))
    total = models.DecimalField("tổng điểm", max_digits=5, decimal_places=2)
    proposed_level = models.CharField("mức đề xuất", max_length=4)
    level = models.CharField("mức xếp loại", max_length=4)
    flags = models.JSONField(default=list, blank=True)
    trace = models.JSONField("diễn giải xếp loại", default=list)
    explanation = models.JSONField("điểm này từ đâu ra", default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField("lý do điều chỉnh", blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kết quả tháng"
        verbose_name_plural = "kết quả tháng"
        ordering = ["period", "unit__path", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "person", "unit"], name="monthly_score_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.period}: {self.total} ({self.level})"
