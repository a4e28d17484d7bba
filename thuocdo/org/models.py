"""Organisation registry models (DESIGN.md §3)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from thuocdo.org import names


class User(AbstractUser):
    """A login. What it may see comes from its linked person and its role assignments."""

    # Set with a one-time password handed out by the organiser; until the user picks their own,
    # every page sends them to the password change page.
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)
    # A one-time password stops working after this moment (OWASP ASVS 2.3.1).
    onetime_password_expires = models.DateTimeField(
        "mật khẩu một lần hết hạn", null=True, blank=True
    )

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"


class UnitKind(models.TextChoices):
    PARTY = "party", "Tổ chức đảng"
    PARTY_CELL = "party_cell", "Chi bộ"
    STATE = "state", "Cơ quan nhà nước"
    FRONT = "front", "Mặt trận Tổ quốc, đoàn thể"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp công lập"


# Width of one id segment in Unit.path; 10 digits covers any realistic registry.
PATH_SEGMENT = 10


class Unit(models.Model):
    """A unit of the political system; also a collective that is evaluated as a whole.

    `path` is a materialised path of zero-padded ids ("0000000001/0000000042/"), so a subtree
    is one indexed prefix query at any depth.
    """

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    kind = models.CharField("loại", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # The name and code without diacritics, so "phuong 1" finds «Phường 1» (`names.fold`).
    search_text = models.CharField(max_length=320, editable=False, default="")
    is_active = models.BooleanField("đang hoạt động", default=True)
    is_party_grassroots = models.BooleanField(
        "tổ chức cơ sở đảng",
        default=False,
        help_text=(
            "Đảng bộ cơ sở, hoặc chi bộ cơ sở không trực thuộc đảng bộ cơ sở: tỷ lệ đảng viên "
            "xếp loại HTXS được tính trong từng tổ chức cơ sở đảng (Hướng dẫn 21-HD/BTCTW). "
            "Chi bộ trực thuộc đảng bộ cơ sở tính chung với đảng bộ cơ sở."
        ),
    )

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def refresh_search_text(self) -> None:
        """Derive the search text from the name and code."""
        self.search_text = names.search_text(self.name, self.code)

    def own_segment(self) -> str:
        """The path segment of this unit alone."""
        return f"{self.pk:0{PATH_SEGMENT}d}/"


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Category(models.TextChoices):
    CADRE = "cadre", "Cán bộ"
    CIVIL_SERVANT = "civil_servant", "Công chức"
    PUBLIC_EMPLOYEE = "public_employee", "Viên chức"
    WORKER = "worker", "Người lao động"
    OTHER = "other", "Khác"


class Person(models.Model):
    """A person evaluated by the system. The full name is kept whole, never split in storage."""

    code = models.CharField("mã cán bộ", max_length=40, unique=True)
    full_name = models.CharField("họ và tên", max_length=120)
    sort_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    search_text = models.CharField(max_length=255, editable=False, default="")
    birth_date = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices)
    category = models.CharField("đối tượng", max_length=20, choices=Category.choices)
    is_party_member = models.BooleanField("đảng viên", default=False)
    party_joined = models.DateField("ngày vào Đảng", null=True, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=40, blank=True, default="Kinh")
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def refresh_name_keys(self) -> None:
        """Derive the sort key and search text from the full name and code."""
        self.full_name = " ".join(self.full_name.split())
        self.sort_key = names.sort_key(self.full_name)
        self.search_text = names.search_text(self.full_name, self.code)


class Authority(models.Model):
    """A body that concludes on the people it manages (e.g. BTV Thành ủy)."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên cấp có thẩm quyền", max_length=255)
    unit = models.ForeignKey(
        Unit, verbose_name="thuộc đơn vị", on_delete=models.PROTECT, related_name="authorities"
    )

    class Meta:
        verbose_name = "cấp có thẩm quyền"
        verbose_name_plural = "cấp có thẩm quyền"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PostQuerySet(models.QuerySet["Post"]):
    def active(self, at: datetime.date) -> PostQuerySet:
        """Posts held on the given date."""
        return self.filter(Q(start_date__lte=at), Q(end_date__isnull=True) | Q(end_date__gte=at))


class Post(models.Model):
    """A person's position in a unit over a time span; a person may hold several (HD 43)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("chức danh", max_length=120)
    is_head = models.BooleanField("người đứng đầu", default=False)
    is_deputy = models.BooleanField("cấp phó", default=False)
    is_key = models.BooleanField("cán bộ chủ chốt", default=False)
    duty_group = models.CharField("nhóm nhiệm vụ tương đồng", max_length=60, blank=True)
    managed_by = models.ForeignKey(
        Authority,
        verbose_name="diện quản lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        ordering = ["-is_head", "-is_deputy", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="post_end_after_start",
            ),
            models.CheckConstraint(
                condition=~(Q(is_head=True) & Q(is_deputy=True)), name="post_not_head_and_deputy"
            ),
        ]
        indexes = [models.Index(fields=["unit", "end_date"]), models.Index(fields=["managed_by"])]

    def __str__(self) -> str:
        return f"{self.title}, {self.unit}"

    def clean(self) -> None:
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc trước ngày bắt đầu."})


class DisciplineForm(models.TextChoices):
    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    DISMISSAL = "cach_chuc", "Cách chức"
    DEMOTION = "giang_chuc", "Giáng chức"
    FIRING = "buoc_thoi_viec", "Buộc thôi việc"
    EXPULSION = "khai_tru", "Khai trừ"


class DisciplineKind(models.TextChoices):
    PARTY = "party", "Kỷ luật đảng"
    ADMINISTRATIVE = "administrative", "Kỷ luật hành chính"


class Discipline(models.Model):
    """A disciplinary measure; it caps or vetoes the level of the year it was decided in."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disciplines")
    kind = models.CharField("loại", max_length=20, choices=DisciplineKind.choices)
    form = models.CharField("hình thức", max_length=20, choices=DisciplineForm.choices)
    date = models.DateField("ngày quyết định")
    decision_number = models.CharField("số quyết định", max_length=60)
    issuing_body = models.CharField("cơ quan ban hành", max_length=255)
    reason = models.TextField("lý do", blank=True)
    duty_related = models.BooleanField("liên quan thực thi nhiệm vụ", default=True)
    self_remedied = models.BooleanField("tự phát hiện, khắc phục", default=False)

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.decision_number})"


class Reward(models.Model):
    """A commendation or emulation title."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rewards")
    form = models.CharField("hình thức khen thưởng", max_length=120)
    date = models.DateField("ngày quyết định")
    decision_number = models.CharField("số quyết định", max_length=60)
    issuing_body = models.CharField("cơ quan ban hành", max_length=255)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.form} ({self.decision_number})"


class Role(models.TextChoices):
    PERSON = "person", "Cá nhân"
    LEADER = "leader", "Lãnh đạo trực tiếp"
    HEAD = "head", "Người đứng đầu"
    ORGANISER = "organiser", "Ban Tổ chức"
    AUTHORITY = "authority", "Cấp có thẩm quyền"
    ADMIN = "admin", "Quản trị hệ thống"


class RoleAssignment(models.Model):
    """Gives a user a role over a unit (leader, head, organiser) or an authority."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE)
    authority = models.ForeignKey(Authority, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["leader", "head", "organiser"], unit__isnull=False)
                    | Q(role="authority", authority__isnull=False)
                    | Q(role__in=["person", "admin"])
                ),
                name="role_has_its_target",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit", "authority"], name="role_unique_per_target"
            ),
        ]

    def __str__(self) -> str:
        target = self.unit or self.authority or ""
        return f"{self.get_role_display()} {target}".strip()
