"""Models of the work record: task catalogue, monthly plans, tasks, verification, exemptions,
month locks, citizen ratings and in-app notifications (DESIGN.md §3, NĐ 335 Điều 14)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Person, Post, Unit


class JobPosition(models.Model):
    """A job position (vị trí việc làm); its product types form its task catalogue."""

    code = models.CharField("mã vị trí việc làm", max_length=40, unique=True)
    name = models.CharField("tên vị trí việc làm", max_length=255)
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_positions",
    )

    class Meta:
        verbose_name = "vị trí việc làm"
        verbose_name_plural = "vị trí việc làm"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ProductGroup(models.TextChoices):
    LEADERSHIP = "A", "A — Lãnh đạo, quản lý"
    SHARED = "B", "B — Chuyên môn dùng chung"
    SPECIFIC = "C", "C — Đặc thù vị trí việc làm"
    AD_HOC = "D", "D — Phát sinh"


class ProductType(models.Model):
    """A kind of product of a job position, converted to the standard product (NĐ 335 Điều 14)."""

    job_position = models.ForeignKey(
        JobPosition,
        verbose_name="vị trí việc làm",
        on_delete=models.PROTECT,
        related_name="product_types",
    )
    code = models.CharField("mã sản phẩm", max_length=40)
    name = models.CharField("tên sản phẩm", max_length=255)
    group = models.CharField("nhóm", max_length=1, choices=ProductGroup.choices)
    unit_of_measure = models.CharField("đơn vị tính", max_length=40)
    conversion_factor = models.DecimalField(
        "hệ số quy đổi", max_digits=8, decimal_places=3, default=Decimal(1)
    )
    monthly_norm = models.DecimalField(
        "định mức tháng", max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "loại sản phẩm"
        verbose_name_plural = "danh mục sản phẩm"
        ordering = ["job_position", "group", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_position", "code"], name="product_type_code_unique_per_position"
            ),
            models.CheckConstraint(
                condition=Q(conversion_factor__gt=0), name="product_type_factor_positive"
            ),
            models.CheckConstraint(
                condition=Q(monthly_norm__isnull=True) | Q(monthly_norm__gte=0),
                name="product_type_norm_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class PostJobPosition(models.Model):
    """Links a post to its job position (org.Post stays free of work concepts)."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="job_position_link")
    job_position = models.ForeignKey(
        JobPosition, on_delete=models.PROTECT, related_name="post_links"
    )

    class Meta:
        verbose_name = "vị trí việc làm của chức vụ"
        verbose_name_plural = "vị trí việc làm của chức vụ"

    def __str__(self) -> str:
        return f"{self.post} → {self.job_position}"


def _month_q() -> Q:
    return Q(month__gte=1, month__lte=12)


class MonthLock(models.Model):
    """A closed month of a unit's subtree: no work record of its people may change."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="month_locks")
    year = models.PositiveSmallIntegerField("năm")
    month = models.PositiveSmallIntegerField("tháng")
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField("khóa lúc", auto_now_add=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        verbose_name = "khóa tháng"
        verbose_name_plural = "khóa tháng"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="month_lock_unique"),
            models.CheckConstraint(condition=_month_q(), name="month_lock_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:02d}/{self.year}"


class PlanState(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Trả lại"


class WorkPlan(models.Model):
    """One person's plan of work for one month."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="work_plans")
    year = models.PositiveSmallIntegerField("năm")
    month = models.PositiveSmallIntegerField("tháng")
    state = models.CharField(
        "trạng thái", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "kế hoạch công tác tháng"
        verbose_name_plural = "kế hoạch công tác tháng"
        ordering = ["-year", "-month", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "month"], name="work_plan_unique"),
            models.CheckConstraint(condition=_month_q(), name="work_plan_month_valid"),
        ]
        indexes = [models.Index(fields=["year", "month", "state"])]

    def __str__(self) -> str:
        return f"Kế hoạch {self.month:02d}/{self.year} — {self.person}"


class TaskSource(models.TextChoices):
    SELF = "self", "Tự đăng ký"
    UNIT_PLAN = "unit_plan", "Kế hoạch đơn vị"
    LEADER = "leader", "Lãnh đạo giao"
    EXTERNAL = "external", "Hệ thống khác"


class TaskState(models.TextChoices):
    PLANNED = "planned", "Đã đăng ký"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành, chờ xác nhận"
    VERIFIED = "verified", "Đã xác nhận"


class Task(models.Model):
    """A planned piece of work and, once done, its product and the leader's verification."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    # Null only for items pushed by other systems that do not know the catalogue; they
    # weigh as one standard product each.
    product_type = models.ForeignKey(
        ProductType,
        verbose_name="loại sản phẩm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField("nội dung nhiệm vụ", max_length=500)
    quantity = models.DecimalField("số lượng", max_digits=12, decimal_places=2)
    due_date = models.DateField("hạn hoàn thành")
    source = models.CharField(
        "nguồn", max_length=12, choices=TaskSource.choices, default=TaskSource.SELF
    )
    source_system = models.CharField("hệ thống nguồn", max_length=60, blank=True)
    external_id = models.CharField("mã ở hệ thống nguồn", max_length=120, blank=True)
    state = models.CharField(
        "trạng thái", max_length=12, choices=TaskState.choices, default=TaskState.PLANNED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    quantity_done = models.DecimalField(
        "số lượng hoàn thành", max_digits=12, decimal_places=2, null=True, blank=True
    )
    evidence_note = models.TextField("minh chứng", blank=True)
    evidence_number = models.CharField("số văn bản", max_length=120, blank=True)
    evidence_file = models.FileField("tệp minh chứng", upload_to="work/evidence/%Y/%m/", blank=True)
    quality_passed = models.BooleanField("đạt chất lượng", null=True, blank=True)
    exceeded = models.BooleanField("vượt yêu cầu", default=False)
    delays = models.PositiveSmallIntegerField("số lần trễ hạn", default=0)
    failed_reviews = models.PositiveSmallIntegerField("số lần không đạt", default=0)
    # The clock records at most one delay per task; further delays are the leader's call.
    auto_delay = models.BooleanField(default=False, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xác nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    review_note = models.TextField("nhận xét của lãnh đạo", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="task_external_id_unique_per_system",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="task_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity_done__isnull=True) | Q(quantity_done__gte=0),
                name="task_quantity_done_not_negative",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max_100"),
            models.CheckConstraint(
                condition=Q(state__in=["planned", "in_progress"]) | Q(completed_on__isnull=False),
                name="task_done_has_completion_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return self.title[:120]

    @property
    def person(self) -> Person:
        """The person whose month this task belongs to."""
        return self.plan.person

    @property
    def weight(self) -> Decimal:
        """Converted quantity: quantity × the product's conversion factor."""
        factor = self.product_type.conversion_factor if self.product_type else Decimal(1)
        return self.quantity * factor

    def days_overdue(self, at: datetime.date) -> int:
        """Days past the due date for unfinished work (0 when not late)."""
        if self.completed_on is not None:
            return 0
        return max(0, (at - self.due_date).days)


class AssigneeRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COLLABORATOR = "collaborator", "Phối hợp"


class TaskAssignee(models.Model):
    """A person working on a task, as its lead or a collaborator."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignees")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="task_assignments")
    role = models.CharField("vai trò", max_length=12, choices=AssigneeRole.choices)

    class Meta:
        verbose_name = "người thực hiện"
        verbose_name_plural = "người thực hiện"
        constraints = [
            models.UniqueConstraint(fields=["task", "person"], name="task_assignee_unique"),
            models.UniqueConstraint(
                fields=["task"], condition=Q(role="lead"), name="task_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class TaskProgress(models.Model):
    """A (weekly) progress update of a task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_updates")
    percent = models.PositiveSmallIntegerField("tiến độ (%)")
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cập nhật tiến độ"
        verbose_name_plural = "cập nhật tiến độ"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_progress_percent_max")
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.percent}%"


class ExemptionKind(models.TextChoices):
    DELAY = "delay", "Trễ hạn"
    ERROR = "error", "Sai sót, không đạt chất lượng"


class ExemptionState(models.TextChoices):
    PENDING = "pending", "Chờ xem xét"
    CONFIRMED = "confirmed", "Đã xác nhận nguyên nhân khách quan"
    REFUSED = "refused", "Không chấp nhận"


class Exemption(models.Model):
    """A request to cancel a task's delays or errors for an objective cause, and its decision."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="exemptions")
    kind = models.CharField("loại", max_length=8, choices=ExemptionKind.choices)
    reason = models.TextField("lý do đề nghị")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=ExemptionState.choices, default=ExemptionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField("lý do quyết định", blank=True)

    class Meta:
        verbose_name = "đề nghị miễn trừ nguyên nhân khách quan"
        verbose_name_plural = "đề nghị miễn trừ nguyên nhân khách quan"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "kind"],
                condition=Q(state="pending"),
                name="exemption_one_pending_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="exemption_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.task}"


class CitizenRating(models.Model):
    """A citizen's rating at a one-stop counter, evidence for the person's month."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizen_ratings")
    year = models.PositiveSmallIntegerField("năm")
    month = models.PositiveSmallIntegerField("tháng")
    score = models.PositiveSmallIntegerField("điểm đánh giá (1–5)")
    counter = models.CharField("quầy, bộ phận", max_length=120, blank=True)
    rated_on = models.DateField("ngày đánh giá")
    comment = models.TextField("nhận xét", blank=True)
    source_system = models.CharField("hệ thống nguồn", max_length=60, blank=True)
    external_id = models.CharField("mã ở hệ thống nguồn", max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "đánh giá của người dân"
        verbose_name_plural = "đánh giá của người dân"
        ordering = ["-rated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="citizen_rating_score_1_5"
            ),
            models.CheckConstraint(condition=_month_q(), name="citizen_rating_month_valid"),
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="citizen_rating_external_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["person", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.person} {self.score}/5 ({self.rated_on:%d/%m/%Y})"


class Notification(models.Model):
    """An in-app message (reminders); `key` makes a reminder idempotent per user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField("nội dung", max_length=500)
    link = models.CharField("liên kết", max_length=255, blank=True)
    key = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField("đã đọc", default=False)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_key_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "read"])]

    def __str__(self) -> str:
        return self.text[:80]
