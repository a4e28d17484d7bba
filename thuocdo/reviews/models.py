"""Periods and monthly scores (DESIGN.md §3 Period, Assessment, Result)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Category, Person, Unit


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
    # The rule-set of each subject group when it is not `ruleset` (DESIGN §4.1: công chức under
    # NĐ 335, viên chức under NĐ 90, leaders, Party members and collectives under QĐ 366).
    rulesets = models.JSONField("bộ quy tắc theo nhóm đối tượng", default=dict, blank=True)
    options = models.JSONField("tùy chọn của bộ quy tắc", default=dict, blank=True)
    state = models.CharField(
        "trạng thái", max_length=20, choices=PeriodState.choices, default=PeriodState.OPEN
    )
    self_due = models.DateField("hạn tự đánh giá", null=True, blank=True)
    review_due = models.DateField("hạn lãnh đạo đánh giá", null=True, blank=True)
    appeal_days = models.PositiveSmallIntegerField(
        "số ngày được kiến nghị sau khi công khai", default=15
    )
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True)
    # True while `PeriodCount` holds this period's counts (set by the publication, cleared by a
    # reopening): the reports read the summary of a counted period, the rows of any other.
    counted = models.BooleanField("đã tổng hợp kết quả", default=False, editable=False)

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

    def ruleset_for(self, group: str) -> str:
        """The rule-set that classifies a subject group in this period."""
        return str(self.rulesets.get(group) or self.ruleset)


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
    # A self-assessment written by the organiser or the direct leader for a person without an
    # account or who filled it on paper (nhập hộ); the person may later confirm it.
    on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="nhập hộ bởi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("cá nhân xác nhận lúc", null=True, blank=True)

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

    @property
    def on_behalf_name(self) -> str:
        """Who entered it on the person's behalf, as pages and exports say it ("Nhập hộ bởi …")."""
        user = self.on_behalf_by
        if user is None:
            return ""
        person = getattr(user, "person", None)
        return person.full_name if person is not None else (user.get_full_name() or user.username)


class MonthSchedule(models.Model):
    """A unit's option (the city's, a district's): the monthly period over its subtree opens
    itself on the first day of each month (`thuocdo periods open-due`, run daily)."""

    unit = models.OneToOneField(
        Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="month_schedule"
    )
    ruleset = models.CharField("bộ quy tắc", max_length=60)
    options = models.JSONField("tùy chọn của bộ quy tắc", default=dict, blank=True)
    enabled = models.BooleanField("tự động mở kỳ tháng", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lịch mở kỳ tháng"
        verbose_name_plural = "lịch mở kỳ tháng"

    def __str__(self) -> str:
        return f"Tự động mở kỳ tháng — {self.unit}"


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
    # A hash of the computed columns: a close rewrites (and audits) only the scores it changes.
    digest = models.CharField(max_length=32, blank=True, default="", editable=False)
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


# -- The annual cycle (issue 5) ----------------------------------------------------------------


class SubjectKind(models.TextChoices):
    INDIVIDUAL = "individual", "Cá nhân"
    COLLECTIVE = "collective", "Tập thể"


class EvaluationGroup(models.TextChoices):
    PARTY_MEMBER = "party_member", "Đảng viên"
    LEADER = "leader", "Cán bộ lãnh đạo, quản lý"
    CIVIL_SERVANT = "civil_servant", "Công chức"
    PUBLIC_EMPLOYEE = "public_employee", "Viên chức"
    COLLECTIVE = "collective", "Tập thể"


class EvaluationState(models.TextChoices):
    PENDING = "pending", "Chưa tự đánh giá"
    SELF_ASSESSED = "self_assessed", "Đã tự đánh giá"
    REVIEWED = "reviewed", "Lãnh đạo đã đánh giá"
    VERIFIED = "verified", "Đã thẩm định"
    PROPOSED = "proposed", "Đã đề xuất mức"
    CONCLUDED = "concluded", "Đã kết luận"
    PUBLISHED = "published", "Đã công khai"


# Categories of people inside the political system; a Party member of any other (a worker,
# a retired member) writes the self-review of Mẫu 2C.
IN_POLITICAL_SYSTEM = frozenset({Category.CADRE, Category.CIVIL_SERVANT, Category.PUBLIC_EMPLOYEE})

# Steps in order; the board's funnel and "is this evaluation behind the period" read this.
EVALUATION_STEPS = [s.value for s in EvaluationState]


class Evaluation(models.Model):
    """One subject of a period: a person in one post (HD 43: each post is evaluated) or a
    collective (a unit), with its scores, the engine's proposal and the authority's conclusion.
    """

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField("loại đối tượng", max_length=12, choices=SubjectKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    post = models.ForeignKey(
        "org.Post", null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="evaluations")
    group = models.CharField("nhóm đối tượng", max_length=20, choices=EvaluationGroup.choices)
    ruleset = models.CharField("bộ quy tắc", max_length=60)
    quota_group = models.CharField("nhóm tính tỷ lệ", max_length=120)
    duty_group = models.CharField("chức danh tương đương", max_length=120, blank=True)
    is_head = models.BooleanField("người đứng đầu", default=False)
    authority = models.ForeignKey(
        "org.Authority",
        verbose_name="cấp có thẩm quyền kết luận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    state = models.CharField(
        "bước", max_length=20, choices=EvaluationState.choices, default=EvaluationState.PENDING
    )
    self_level = models.CharField("tự đề xuất mức", max_length=4, blank=True)
    self_score = models.DecimalField(
        "điểm tự chấm", max_digits=5, decimal_places=2, null=True, blank=True
    )
    leader_level = models.CharField("lãnh đạo đề xuất mức", max_length=4, blank=True)
    leader_score = models.DecimalField(
        "điểm lãnh đạo chấm", max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField("điểm năm", max_digits=5, decimal_places=2, null=True, blank=True)
    score_source = models.CharField("nguồn điểm năm", max_length=120, blank=True)
    # Under a rule-set without points (QĐ 124, NĐ 90) each criterion group is rated instead.
    criteria = models.JSONField("mức đánh giá các nhóm tiêu chí", default=dict, blank=True)
    proposed_level = models.CharField("mức máy đề xuất", max_length=4, blank=True)
    flags = models.JSONField(default=list, blank=True)
    trace = models.JSONField("diễn giải xếp loại", default=list, blank=True)
    level = models.CharField("mức kết luận", max_length=4, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField("kết luận lúc", null=True, blank=True)
    reason = models.TextField("lý do điều chỉnh", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "đánh giá, xếp loại"
        verbose_name_plural = "đánh giá, xếp loại"
        ordering = ["period", "unit__path", "kind", "person__sort_key", "id"]
        constraints = [
            # A post is evaluated once per group: a công chức who is a Party member is
            # classified as công chức and, separately, as a Party member (HD 43).
            models.UniqueConstraint(
                fields=["period", "post", "group"],
                condition=Q(kind="individual"),
                name="evaluation_one_per_post_and_group",
            ),
            models.UniqueConstraint(
                fields=["period", "unit"],
                condition=Q(kind="collective"),
                name="evaluation_one_per_collective",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="individual", person__isnull=False, post__isnull=False)
                    | Q(kind="collective", person__isnull=True, post__isnull=True)
                ),
                name="evaluation_subject_fits_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "state"]),
            models.Index(fields=["period", "quota_group"]),
            models.Index(fields=["period", "unit"]),
            # The reports count a year's levels per unit (of one group or all), with the sum of
            # the scores (reports.common and reports.trends selectors): an index-only scan of
            # this index, not the evaluations' wide rows.
            models.Index(
                fields=["period", "group", "unit", "level", "score"], name="evaluation_report_idx"
            ),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person_id and self.person else f"Tập thể {self.unit}"
        return f"{who} — {self.period}"

    @property
    def subject_name(self) -> str:
        """The person's full name, or the collective's unit name."""
        return self.person.full_name if self.person is not None else self.unit.name

    @property
    def engine_id(self) -> str:
        """The subject's id in the engine batch: collectives by unit, people by evaluation."""
        return f"U{self.unit_id}" if self.kind == SubjectKind.COLLECTIVE else f"E{self.pk}"

    @property
    def form_code(self) -> str:
        """The form of the self-review: 01 collective, 2B leader, 2C a Party member outside the
        political system (not a cadre, civil servant or public employee), 2A everyone else."""
        if self.kind == SubjectKind.COLLECTIVE:
            return "01"
        if self.group == EvaluationGroup.LEADER:
            return "2B"
        if (
            self.group == EvaluationGroup.PARTY_MEMBER
            and self.person is not None
            and self.person.category not in IN_POLITICAL_SYSTEM
        ):
            return "2C"
        return "2A"


class AnnualAssessment(models.Model):
    """The self-review (Mẫu 2A / 2B / 01) or the direct leader's assessment of one evaluation,
    with the 30/70 score sheet and the proposed level."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assessments")
    source = models.CharField("nguồn", max_length=10, choices=AssessmentSource.choices)
    strengths = models.JSONField("ưu điểm, kết quả theo nhóm tiêu chí", default=dict, blank=True)
    shortcomings = models.TextField("hạn chế, khuyết điểm", blank=True)
    causes = models.TextField("nguyên nhân", blank=True)
    remedies = models.TextField("kết quả khắc phục hạn chế đã chỉ ra", blank=True)
    responsibility = models.TextField(
        "trách nhiệm đối với hạn chế của tập thể (Mẫu 2B)", blank=True
    )
    direction = models.TextField("phương hướng, biện pháp khắc phục", blank=True)
    # Points under a 100-point rule-set; ratings of the criterion groups under one without.
    general = models.DecimalField(
        "điểm tiêu chí chung",
        max_digits=5,
        decimal_places=2,
        validators=POINTS,
        null=True,
        blank=True,
    )
    results = models.DecimalField(
        "điểm kết quả thực hiện nhiệm vụ",
        max_digits=5,
        decimal_places=2,
        validators=POINTS,
        null=True,
        blank=True,
    )
    criteria = models.JSONField("mức đánh giá các nhóm tiêu chí", default=dict, blank=True)
    proposed_level = models.CharField("mức đề xuất", max_length=4)
    note = models.TextField("nhận xét", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)
    # A self-review written by the organiser or the direct leader for a person without an
    # account or who wrote it on paper (nhập hộ), as for the month (MonthlyAssessment); the
    # person may later confirm it, or rewrite it as their own.
    on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="nhập hộ bởi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("cá nhân xác nhận lúc", null=True, blank=True)

    class Meta:
        verbose_name = "kiểm điểm, đánh giá năm"
        verbose_name_plural = "kiểm điểm, đánh giá năm"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "source"], name="annual_assessment_one_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.evaluation}"

    @property
    def on_behalf_name(self) -> str:
        """Who entered it on the person's behalf, as pages and exports say it ("Nhập hộ bởi …")."""
        user = self.on_behalf_by
        if user is None:
            return ""
        person = getattr(user, "person", None)
        return person.full_name if person is not None else (user.get_full_name() or user.username)

    @property
    def total(self) -> Decimal | None:
        """General criteria plus task results, on 100 (None under a rule-set without points)."""
        if self.general is None or self.results is None:
            return None
        return self.general + self.results


class ResultHistory(models.Model):
    """A result as it stood at one change (conclusion, override, reopening): kept for ever."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="history")
    action = models.CharField("thao tác", max_length=20)
    proposed_level = models.CharField("mức máy đề xuất", max_length=4, blank=True)
    level = models.CharField("mức kết luận", max_length=4, blank=True)
    score = models.DecimalField("điểm năm", max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lịch sử kết quả"
        verbose_name_plural = "lịch sử kết quả"
        ordering = ["evaluation", "recorded_at", "id"]

    # What each action is called on the pages (the stored codes are the services' own).
    ACTION_LABELS = {
        "accept": "Chấp thuận đề xuất",
        "conclude": "Kết luận",
        "change": "Kết luận khác đề xuất",
        "reopen": "Mở lại để kết luận lại",
        "appeal": "Thay đổi sau kiến nghị",
    }

    def __str__(self) -> str:
        return f"{self.action}: {self.level or self.proposed_level} ({self.evaluation_id})"

    @property
    def action_label(self) -> str:
        """The action in words, for the evaluation's page."""
        return self.ACTION_LABELS.get(self.action, "Thay đổi kết quả")


class AppealState(models.TextChoices):
    FILED = "filed", "Đã gửi"
    REEXAMINED = "reexamined", "Ban Tổ chức đã xem xét lại"
    UPHELD = "upheld", "Giữ nguyên kết quả"
    CHANGED = "changed", "Thay đổi kết quả"


class Appeal(models.Model):
    """A person's appeal (kiến nghị) against a published result, re-examined by the organiser
    and decided by the competent authority."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField("nội dung kiến nghị")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    state = models.CharField(
        "trạng thái", max_length=12, choices=AppealState.choices, default=AppealState.FILED
    )
    review_note = models.TextField("ý kiến xem xét lại của Ban Tổ chức", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    decision_level = models.CharField("mức sau giải quyết", max_length=4, blank=True)
    decision_reason = models.TextField("lý do giải quyết", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        ordering = ["filed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(state__in=["filed", "reexamined"]),
                name="appeal_one_open_per_evaluation",
            )
        ]

    def __str__(self) -> str:
        return f"Kiến nghị về {self.evaluation_id}: {self.get_state_display()}"


class PeriodCount(models.Model):
    """How many evaluations of a period a unit has per group and level, with their scores' sum:
    the summary the reports read for a published period (issue 15, point 4).

    Built by the publication and kept by every later change of a result (an appeal), dropped by
    a reopening (reviews.annual.services.counts); `Period.counted` says it is there. A unit's
    own evaluations: a report adds a subtree's units up. Every level is kept, "" included."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    group = models.CharField("nhóm đối tượng", max_length=20, choices=EvaluationGroup.choices)
    level = models.CharField("mức xếp loại", max_length=4, blank=True)
    n = models.PositiveIntegerField("số phiếu")
    scored = models.PositiveIntegerField("số phiếu có điểm")
    score_sum = models.DecimalField("tổng điểm", max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = "số phiếu của kỳ theo đơn vị"
        verbose_name_plural = "số phiếu của kỳ theo đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "group", "level"], name="period_count_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.unit_id} — {self.group}: {self.level} × {self.n}"
