"""Opinions gathered on an evaluation besides the self-review and the leader (issue 5, item 3).

Anonymity by construction (docs/opinions.md): `SurveyResponse` has no respondent, no code, no
time and a random key; `SurveyInvitation` holds only a keyed hash of a code and a used flag.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Evaluation, Period

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")
LEVEL_CHOICES = [(code, code) for code in LEVELS]
NO_MAJORITY = "không đủ đa số"


class MeetingState(models.TextChoices):
    OPEN = "open", "Đang họp"
    CLOSED = "closed", "Đã kết thúc"


class Meeting(models.Model):
    """A collective meeting (họp tập thể) of a unit for a period, with attendance and minutes."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="meetings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("ngày họp")
    chair = models.ForeignKey(
        Person, verbose_name="chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        Person, verbose_name="thư ký", on_delete=models.PROTECT, related_name="+"
    )
    summoned = models.ManyToManyField(
        Person, verbose_name="thành viên được triệu tập", related_name="+"
    )
    present = models.ManyToManyField(
        Person, verbose_name="thành viên có mặt", related_name="+", blank=True
    )
    quorum_numerator = models.PositiveSmallIntegerField("tỷ lệ tối thiểu (tử số)", default=2)
    quorum_denominator = models.PositiveSmallIntegerField("tỷ lệ tối thiểu (mẫu số)", default=3)
    summoned_count = models.PositiveIntegerField("số được triệu tập", default=0)
    present_count = models.PositiveIntegerField("số có mặt", default=0)
    is_valid = models.BooleanField("đủ số lượng", default=False)
    minutes = models.TextField("biên bản", blank=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=MeetingState.choices, default=MeetingState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "cuộc họp tập thể"
        verbose_name_plural = "cuộc họp tập thể"
        ordering = ["period", "unit__path", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="meeting_quorum_is_a_share",
            ),
            models.CheckConstraint(
                condition=Q(present_count__lte=models.F("summoned_count")),
                name="meeting_present_within_summoned",
            ),
        ]

    def __str__(self) -> str:
        return f"Họp tập thể {self.unit.name} ngày {self.held_on:%d/%m/%Y}"

    @property
    def quorum_label(self) -> str:
        """The quorum rule as people say it ("2/3")."""
        return f"{self.quorum_numerator}/{self.quorum_denominator}"


class MeetingVote(models.Model):
    """The level proposed to the meeting for one evaluation and the votes cast on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    proposed_level = models.CharField("mức đưa ra biểu quyết", max_length=4, choices=LEVEL_CHOICES)
    htxs = models.PositiveIntegerField("số phiếu HTXS", default=0)
    htt = models.PositiveIntegerField("số phiếu HTT", default=0)
    htnv = models.PositiveIntegerField("số phiếu HTNV", default=0)
    kht = models.PositiveIntegerField("số phiếu KHT", default=0)
    result = models.CharField("kết quả biểu quyết", max_length=40, blank=True)

    class Meta:
        verbose_name = "kết quả biểu quyết"
        verbose_name_plural = "kết quả biểu quyết"
        ordering = ["meeting", "evaluation__person__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "evaluation"], name="vote_one_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.result}"

    @property
    def counts(self) -> dict[str, int]:
        """Votes per level, best first."""
        return {"HTXS": self.htxs, "HTT": self.htt, "HTNV": self.htnv, "KHT": self.kht}


class SurveyRole(models.TextChoices):
    PEER = "peer", "Đồng nghiệp"
    SUBORDINATE = "subordinate", "Cấp dưới"


class SurveyState(models.TextChoices):
    OPEN = "open", "Đang lấy ý kiến"
    CLOSED = "closed", "Đã kết thúc"


class Survey(models.Model):
    """An anonymous survey of peers or subordinates on one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField("đối tượng lấy ý kiến", max_length=12, choices=SurveyRole.choices)
    state = models.CharField(
        "trạng thái", max_length=10, choices=SurveyState.choices, default=SurveyState.OPEN
    )
    opened_on = models.DateField("ngày mở")
    closes_on = models.DateField("hạn trả lời", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "phiếu lấy ý kiến"
        verbose_name_plural = "phiếu lấy ý kiến"
        ordering = ["evaluation", "role"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "role"], name="survey_one_per_role")
        ]

    def __str__(self) -> str:
        return f"Lấy ý kiến {self.get_role_display().lower()}: {self.evaluation}"


class SurveyInvitation(models.Model):
    """One issued code: only its keyed hash and whether it was used; never who holds it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = "mã trả lời"
        verbose_name_plural = "mã trả lời"

    def __str__(self) -> str:
        return f"Mã trả lời ({'đã dùng' if self.used else 'chưa dùng'})"


class SurveyResponse(models.Model):
    """One anonymous answer: evaluation, role and answers only (see docs/opinions.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=12, choices=SurveyRole.choices)
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = "ý kiến ẩn danh"
        verbose_name_plural = "ý kiến ẩn danh"

    def __str__(self) -> str:
        return "Ý kiến ẩn danh"


class BodyRequest(models.Model):
    """A request for the opinion of a related body (Đảng đoàn HĐND, MTTQ…) on one evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    body_unit = models.ForeignKey(
        Unit,
        verbose_name="cơ quan trong hệ thống",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body_name = models.CharField("tên cơ quan", max_length=255)
    question = models.TextField("nội dung xin ý kiến", blank=True)
    due_on = models.DateField("hạn trả lời")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField("ngày gửi")
    opinion = models.TextField("ý kiến", blank=True)
    proposed_level = models.CharField(
        "mức đề xuất", max_length=4, choices=LEVEL_CHOICES, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField("ngày trả lời", null=True, blank=True)

    class Meta:
        verbose_name = "xin ý kiến cơ quan liên quan"
        verbose_name_plural = "xin ý kiến cơ quan liên quan"
        ordering = ["evaluation", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.body_name}: {self.evaluation}"

    @property
    def is_received(self) -> bool:
        """The body has answered."""
        return self.answered_on is not None
