"""Targets assigned to heads and units for a year, their periodic actuals, and the advisory
council's assessment (evaluation by products, seed 004; DESIGN.md §3 Indicator)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Person, Post, Unit
from thuocdo.rules.levels import CLASSIFIED_LEVELS, LEVEL_LABELS
from thuocdo.targets import achievement as calc


class TargetSetState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ASSIGNED = "assigned", "Đã giao"
    CLOSED = "closed", "Đã khóa sổ"


class TargetSet(models.Model):
    """The targets assigned to a unit (and its head) for one year."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="target_sets"
    )
    head_person = models.ForeignKey(
        Person,
        verbose_name="người đứng đầu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="target_sets",
    )
    head_post = models.ForeignKey(
        Post,
        verbose_name="chức vụ người đứng đầu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="target_sets",
    )
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("tên bộ chỉ tiêu", max_length=255, blank=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=TargetSetState.choices, default=TargetSetState.DRAFT
    )
    decision_number = models.CharField("số quyết định giao", max_length=60, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người giao",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_on = models.DateField("ngày giao", null=True, blank=True)
    achievement_ceiling = models.DecimalField(
        "mức trần khi tính tỷ lệ chung (%)",
        max_digits=6,
        decimal_places=2,
        default=calc.DEFAULT_CEILING,
        validators=[MinValueValidator(Decimal(100))],
        help_text="Mỗi chỉ tiêu được tính tối đa đến mức này trong tỷ lệ hoàn thành chung.",
    )

    class Meta:
        verbose_name = "bộ chỉ tiêu"
        verbose_name_plural = "bộ chỉ tiêu"
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="target_set_one_per_unit_year"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(assigned_on__isnull=False),
                name="target_set_assigned_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Chỉ tiêu năm {self.year} – {self.unit}"

    def clean(self) -> None:
        if self.head_post_id and self.head_post is not None:
            if self.head_post.unit_id != self.unit_id or not self.head_post.is_head:
                raise ValidationError(
                    {"head_post": "Chức vụ phải là người đứng đầu của chính đơn vị này."}
                )
            if self.head_person_id and self.head_person_id != self.head_post.person_id:
                raise ValidationError(
                    {"head_person": "Người đứng đầu không khớp với chức vụ đã chọn."}
                )


class IndicatorGroup(models.TextChoices):
    PARTY = "party", "Xây dựng Đảng, hệ thống chính trị"
    SOCIO_ECONOMIC = "socio_economic", "Kinh tế - xã hội"
    DEFENCE = "defence", "Quốc phòng, an ninh"
    OTHER = "other", "Nhóm khác"


class Direction(models.TextChoices):
    MORE = calc.MORE, "Càng cao càng tốt"
    LESS = calc.LESS, "Càng thấp càng tốt"


class Aggregation(models.TextChoices):
    SUM = "sum", "Cộng dồn các kỳ"
    LAST = "last", "Lấy kỳ gần nhất"


class Indicator(models.Model):
    """One target (chỉ tiêu) of a set: what is measured, the target, its direction and weight."""

    target_set = models.ForeignKey(
        TargetSet, verbose_name="bộ chỉ tiêu", on_delete=models.CASCADE, related_name="indicators"
    )
    group = models.CharField(
        "nhóm", max_length=20, choices=IndicatorGroup.choices, default=IndicatorGroup.OTHER
    )
    # Locally configured groups ("Cải cách hành chính"...) are "other" with their own name.
    group_label = models.CharField("tên nhóm khác", max_length=120, blank=True)
    code = models.CharField("mã", max_length=20)
    name = models.CharField("tên chỉ tiêu", max_length=500)
    unit_of_measure = models.CharField("đơn vị tính", max_length=40, blank=True)
    target = models.DecimalField("chỉ tiêu giao", max_digits=18, decimal_places=4)
    direction = models.CharField(
        "chiều", max_length=10, choices=Direction.choices, default=Direction.MORE
    )
    aggregation = models.CharField(
        "cách tổng hợp kết quả", max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    is_main = models.BooleanField("chỉ tiêu chính", default=False)
    weight = models.DecimalField(
        "trọng số",
        max_digits=8,
        decimal_places=3,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    force_majeure = models.BooleanField("bất khả kháng", default=False)
    force_majeure_reason = models.TextField("lý do bất khả kháng", blank=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["target_set", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["target_set", "code"], name="indicator_code_per_set"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="indicator_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0), name="indicator_target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def group_name(self) -> str:
        """The group as users read it: the configured name of an "other" group if it has one."""
        if self.group == IndicatorGroup.OTHER and self.group_label:
            return self.group_label
        return str(self.get_group_display())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.target is not None and self.target < 0:
            errors["target"] = "Chỉ tiêu giao không được âm."
        elif self.target is not None and self.direction == Direction.MORE and self.target == 0:
            errors["target"] = "Chỉ tiêu «càng cao càng tốt» phải lớn hơn 0."
        if self.force_majeure and not self.force_majeure_reason.strip():
            errors["force_majeure_reason"] = "Cần ghi lý do bất khả kháng."
        if errors:
            raise ValidationError(errors)


class IndicatorActual(models.Model):
    """The result of an indicator in one period (a month), with its evidence."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="chỉ tiêu", on_delete=models.CASCADE, related_name="actuals"
    )
    # The first day of the month the result belongs to.
    period = models.DateField("kỳ")
    value = models.DecimalField("giá trị", max_digits=18, decimal_places=4)
    evidence_note = models.TextField("minh chứng", blank=True)
    document_number = models.CharField("số văn bản", max_length=60, blank=True)
    evidence_file = models.FileField(
        "tệp minh chứng", upload_to="chi-tieu/minh-chung/%Y/", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now=True)

    class Meta:
        verbose_name = "kết quả thực hiện"
        verbose_name_plural = "kết quả thực hiện"
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="actual_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period:%m/%Y}: {self.value}"

    def clean(self) -> None:
        if self.period is not None and self.period.day != 1:
            self.period = datetime.date(self.period.year, self.period.month, 1)
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": "Giá trị không được âm."})


LEVEL_CHOICES = [(level.name, LEVEL_LABELS[level]) for level in CLASSIFIED_LEVELS]


class CouncilAssessment(models.Model):
    """The advisory council's assessment of a head's results for the year of a target set."""

    target_set = models.OneToOneField(
        TargetSet,
        verbose_name="bộ chỉ tiêu",
        on_delete=models.CASCADE,
        related_name="council_assessment",
    )
    council_name = models.CharField(
        "hội đồng",
        max_length=255,
        default="Hội đồng Tư vấn đánh giá cán bộ bằng sản phẩm",
    )
    meeting_date = models.DateField("ngày họp")
    assessment = models.TextField("nhận xét, đánh giá")
    proposed_level = models.CharField("mức đề xuất", max_length=4, choices=LEVEL_CHOICES)
    members_present = models.PositiveSmallIntegerField("số thành viên có mặt")
    members_total = models.PositiveSmallIntegerField("tổng số thành viên")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "đánh giá của Hội đồng tư vấn"
        verbose_name_plural = "đánh giá của Hội đồng tư vấn"
        constraints = [
            models.CheckConstraint(
                condition=Q(members_present__lte=models.F("members_total")),
                name="council_present_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council_name} – {self.target_set}"

    def clean(self) -> None:
        if (
            self.members_present is not None
            and self.members_total is not None
            and self.members_present > self.members_total
        ):
            raise ValidationError(
                {"members_present": "Số thành viên có mặt không được lớn hơn tổng số thành viên."}
            )
