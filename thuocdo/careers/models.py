"""Results that act (issue 8): planning pools, training records, rotations, and the authority's
decisions on review flags. The flags themselves are computed (careers.rules), never stored."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from thuocdo.careers import rules as career_rules
from thuocdo.org.models import Person, Post, Unit


class TrainingKind(models.TextChoices):
    DEGREE = "degree", "Văn bằng"
    COURSE = "course", "Khóa đào tạo, bồi dưỡng"
    CERTIFICATE = "certificate", "Chứng chỉ"


class TrainingSubject(models.TextChoices):
    POLITICAL_THEORY = "political_theory", career_rules.SUBJECT_LABELS["political_theory"]
    STATE_MANAGEMENT = "state_management", career_rules.SUBJECT_LABELS["state_management"]
    EDUCATION = "education", career_rules.SUBJECT_LABELS["education"]
    OTHER = "other", career_rules.SUBJECT_LABELS["other"]


class Training(models.Model):
    """A course, degree or certificate of one person (đào tạo, bồi dưỡng)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField("loại", max_length=12, choices=TrainingKind.choices)
    subject = models.CharField("lĩnh vực", max_length=20, choices=TrainingSubject.choices)
    level = models.CharField("trình độ", max_length=60, blank=True)
    name = models.CharField("tên khóa học, văn bằng", max_length=255)
    institution = models.CharField("cơ sở đào tạo", max_length=255, blank=True)
    start_date = models.DateField("từ ngày", null=True, blank=True)
    end_date = models.DateField("ngày hoàn thành", null=True, blank=True)
    document_number = models.CharField("số văn bằng, chứng chỉ", max_length=60, blank=True)

    class Meta:
        verbose_name = "đào tạo, bồi dưỡng"
        verbose_name_plural = "đào tạo, bồi dưỡng"
        ordering = ["person", "-end_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="training_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.level})" if self.level else self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày hoàn thành trước ngày bắt đầu."})
        levels = career_rules.TRAINING_LEVELS.get(self.subject)
        if levels and self.level and self.level not in levels:
            raise ValidationError({"level": f"Trình độ phải là một trong: {', '.join(levels)}."})


class TitleStandard(models.Model):
    """The standards a title requires (tiêu chuẩn chức danh), e.g. political theory Cao cấp."""

    title = models.CharField("chức danh", max_length=120, unique=True)
    requirements = models.JSONField(
        "tiêu chuẩn",
        default=list,
        help_text='Danh sách {"subject": "political_theory", "level": "Cao cấp", "source": "..."}',
    )

    class Meta:
        verbose_name = "tiêu chuẩn chức danh"
        verbose_name_plural = "tiêu chuẩn chức danh"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def standards(self) -> list[career_rules.Standard]:
        """The requirements as rule records."""
        return [
            career_rules.Standard(str(r["subject"]), str(r["level"]), str(r.get("source", "")))
            for r in self.requirements
        ]

    def clean(self) -> None:
        problems = []
        for index, item in enumerate(self.requirements or [], start=1):
            subject, level = item.get("subject"), item.get("level")
            if (
                subject not in career_rules.TRAINING_LEVELS
                or level not in career_rules.TRAINING_LEVELS.get(str(subject), ())
            ):
                problems.append(f"Tiêu chuẩn thứ {index}: lĩnh vực hoặc trình độ không hợp lệ.")
        if problems:
            raise ValidationError({"requirements": problems})


class PlanningPool(models.Model):
    """A planning pool (quy hoạch) for a title in a unit over a term, with its rules as data."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="planning_pools"
    )
    title = models.CharField("chức danh quy hoạch", max_length=120)
    term_start = models.PositiveSmallIntegerField("nhiệm kỳ từ năm")
    term_end = models.PositiveSmallIntegerField("đến năm")
    posts = models.PositiveSmallIntegerField("số chức danh", default=1)
    rules = models.JSONField("điều kiện", default=list, blank=True)
    women_min = models.DecimalField(
        "tỷ lệ nữ tối thiểu", max_digits=4, decimal_places=3, null=True, blank=True
    )
    minority_min = models.DecimalField(
        "tỷ lệ dân tộc thiểu số tối thiểu", max_digits=4, decimal_places=3, null=True, blank=True
    )
    ratio_min = models.DecimalField(
        "số người tối thiểu mỗi chức danh", max_digits=4, decimal_places=1, null=True, blank=True
    )
    ratio_max = models.DecimalField(
        "số người tối đa mỗi chức danh", max_digits=4, decimal_places=1, null=True, blank=True
    )
    band_min = models.JSONField("số người tối thiểu mỗi độ tuổi", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "quy hoạch chức danh"
        verbose_name_plural = "quy hoạch chức danh"
        ordering = ["-term_start", "unit__path", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title", "term_start"], name="pool_one_per_title_term"
            ),
            models.CheckConstraint(
                condition=Q(term_end__gt=models.F("term_start")), name="pool_term_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, nhiệm kỳ {self.term_start}–{self.term_end}"

    def clean(self) -> None:
        if (
            self.term_end is not None
            and self.term_start is not None
            and (self.term_end <= self.term_start)
        ):
            raise ValidationError({"term_end": "Năm cuối nhiệm kỳ phải sau năm đầu."})
        try:
            career_rules.rules_parse(self.rules or [])
        except career_rules.RuleError as error:
            raise ValidationError({"rules": error.problems}) from None
        for share in ("women_min", "minority_min"):
            value = getattr(self, share)
            if value is not None and not 0 <= value <= 1:
                raise ValidationError({share: "Tỷ lệ phải từ 0 đến 1 (ví dụ 0,3 là 30%)."})

    def structure_targets(self) -> career_rules.StructureTargets:
        """The pool's targets as the rule record."""
        return career_rules.StructureTargets(
            women_min=self.women_min,
            minority_min=self.minority_min,
            ratio_min=self.ratio_min,
            ratio_max=self.ratio_max,
            band_min={str(k): int(v) for k, v in (self.band_min or {}).items()},
        )


class PoolCandidate(models.Model):
    """A person proposed into a planning pool."""

    pool = models.ForeignKey(PlanningPool, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pool_entries")
    note = models.TextField("ghi chú", blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "người trong quy hoạch"
        verbose_name_plural = "người trong quy hoạch"
        ordering = ["pool", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "person"], name="pool_candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.pool}"


class RotationKind(models.TextChoices):
    ROTATION = "luan_chuyen", "Luân chuyển"
    TRANSFER = "dieu_dong", "Điều động"


class Rotation(models.Model):
    """A move between units: the old post ends the day before the new one starts."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rotations")
    kind = models.CharField("hình thức", max_length=12, choices=RotationKind.choices)
    from_post = models.ForeignKey(
        Post, verbose_name="chức vụ cũ", on_delete=models.PROTECT, related_name="+"
    )
    to_post = models.ForeignKey(
        Post, verbose_name="chức vụ mới", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("dự kiến đến ngày", null=True, blank=True)
    purpose = models.TextField("mục đích")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "luân chuyển, điều động"
        verbose_name_plural = "luân chuyển, điều động"
        ordering = ["person", "-start_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person} ({self.start_date:%d/%m/%Y})"


class CaseOutcome(models.TextChoices):
    REPLACE = "replace", "Xem xét thay thế, miễn nhiệm hoặc cho thôi giữ chức vụ"
    OUT_OF_PLANNING = "out_of_planning", "Đưa ra khỏi quy hoạch"
    MONITOR = "monitor", "Tiếp tục theo dõi, nhắc nhở"
    NO_ACTION = "no_action", "Không xử lý (nêu rõ lý do)"


class CaseDecision(models.Model):
    """The competent authority's decision on one flag (person, rule, year), with its reason."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_decisions")
    rule = models.CharField(
        "quy tắc", max_length=40, choices=list(career_rules.FLAG_LABELS.items())
    )
    year = models.PositiveSmallIntegerField("năm")
    outcome = models.CharField("quyết định", max_length=20, choices=CaseOutcome.choices)
    reason = models.TextField("lý do")
    trace = models.JSONField("căn cứ khi quyết định", default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "quyết định về trường hợp cần xem xét"
        verbose_name_plural = "quyết định về trường hợp cần xem xét"
        ordering = ["-year", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["person", "rule", "year"], name="case_decided_once")
        ]

    def __str__(self) -> str:
        return (
            f"{self.person} — {self.get_rule_display()} {self.year}: {self.get_outcome_display()}"
        )
