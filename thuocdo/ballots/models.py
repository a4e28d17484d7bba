"""Confidence votes (lấy phiếu tín nhiệm), issue 7. Secret by construction (docs/ballots.md):
`SealedBallot` holds an electronic ballot while the vote is open, encrypted; `Ballot` holds a
campaign and the marks only, written at the close in a random order, with a random key, no
voter, no code, no time;
`Summons` (the roll) holds who was summoned, a keyed hash of their one-time code and whether
they have voted, and nothing that refers to a ballot.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Evaluation
from thuocdo.rules import confidence as rules


class CampaignState(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    OPEN = "open", "Đang bỏ phiếu"
    CLOSED = "closed", "Đã kiểm phiếu"
    PUBLISHED = "published", "Đã công bố"


class ShareBase(models.TextChoices):
    SUMMONED = rules.BASE_SUMMONED, "Trên tổng số người được triệu tập"
    VALID = rules.BASE_VALID, "Trên tổng số phiếu hợp lệ"


class Choice(models.TextChoices):
    HIGH = rules.HIGH, rules.CHOICE_LABELS[rules.HIGH]
    TRUST = rules.TRUST, rules.CHOICE_LABELS[rules.TRUST]
    LOW = rules.LOW, rules.CHOICE_LABELS[rules.LOW]


class Campaign(models.Model):
    """A confidence vote of a body: who is voted on, who is summoned, the rule options, and
    once counted the result (quorum, ballots, trace)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ballot_campaigns")
    title = models.CharField("tên cuộc lấy phiếu", max_length=255)
    meeting_date = models.DateField("ngày hội nghị")
    base = models.CharField(
        "cách tính tỷ lệ", max_length=10, choices=ShareBase.choices, default=ShareBase.SUMMONED
    )
    state = models.CharField(
        "trạng thái", max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    committee = models.ManyToManyField(
        Person, verbose_name="ban kiểm phiếu", related_name="+", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # How many paper ballots were handed out: a count, never who received one.
    paper_issued = models.PositiveIntegerField("số phiếu giấy đã phát", default=0)
    summoned_count = models.PositiveIntegerField("số được triệu tập", default=0)
    participated_count = models.PositiveIntegerField("số tham gia bỏ phiếu", default=0)
    valid_count = models.PositiveIntegerField("số phiếu hợp lệ", default=0)
    invalid_count = models.PositiveIntegerField("số phiếu không hợp lệ", default=0)
    is_valid = models.BooleanField("đủ số lượng", null=True, blank=True)
    trace = models.JSONField("diễn giải", default=list, blank=True)
    closed_at = models.DateTimeField("kiểm phiếu lúc", null=True, blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)

    class Meta:
        verbose_name = "cuộc lấy phiếu tín nhiệm"
        verbose_name_plural = "cuộc lấy phiếu tín nhiệm"
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting_date:%d/%m/%Y})"

    @property
    def status_label(self) -> str:
        """ "hợp lệ" / "không hợp lệ" once counted, else empty."""
        if self.is_valid is None:
            return ""
        return rules.VALID if self.is_valid else rules.INVALID


class Candidate(models.Model):
    """A person voted on, with their post as it was when the campaign was set up."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("thứ tự trên phiếu")
    post_title = models.CharField("chức vụ", max_length=120)
    unit_name = models.CharField("đơn vị", max_length=255)
    high = models.PositiveIntegerField("tín nhiệm cao", default=0)
    trust = models.PositiveIntegerField("tín nhiệm", default=0)
    low = models.PositiveIntegerField("tín nhiệm thấp", default=0)
    trace = models.JSONField("diễn giải", default=list, blank=True)

    class Meta:
        verbose_name = "người được lấy phiếu"
        verbose_name_plural = "người được lấy phiếu"
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="candidate_once"),
            models.UniqueConstraint(fields=["campaign", "position"], name="candidate_position"),
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} — {self.post_title}"


class Summons(models.Model):
    """One line of the roll: a person summoned, the keyed hash of their one-time code (cleared
    when the vote closes) and whether they have voted (electronically or on paper)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    credential_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    voted = models.BooleanField("đã bỏ phiếu", default=False)

    class Meta:
        verbose_name = "người được triệu tập"
        verbose_name_plural = "người được triệu tập"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="summons_once"),
        ]

    def __str__(self) -> str:
        return self.person.full_name


class Ballot(models.Model):
    """One ballot: its campaign and its marks ({candidate id: choice}; empty if invalid).
    No voter, no code, no time, a random key, no ordering (docs/ballots.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    marks = models.JSONField(default=dict)
    is_valid = models.BooleanField(default=True)

    class Meta:
        verbose_name = "phiếu tín nhiệm"
        verbose_name_plural = "phiếu tín nhiệm"

    def __str__(self) -> str:
        return "Phiếu tín nhiệm"


class SealedBallot(models.Model):
    """An electronic ballot while its vote is open: the marks sealed (AES-GCM under the
    campaign's key, random nonce, fixed length), a random key, its campaign; no voter, no time.
    Opened, shuffled into `Ballot` rows and deleted at the close (docs/ballots.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = "phiếu niêm phong"
        verbose_name_plural = "phiếu niêm phong"

    def __str__(self) -> str:
        return "Phiếu niêm phong"


class PaperBatch(models.Model):
    """Paper ballots entered by one member of the counting committee and checked by another;
    only checked batches count. Its ballots join the others when the vote closes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField("tập số")
    ballots = models.JSONField("các phiếu", default=list)
    ballot_count = models.PositiveIntegerField("số phiếu", default=0)
    invalid_count = models.PositiveIntegerField("số phiếu không hợp lệ", default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("nhập lúc", auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField("kiểm tra lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tập phiếu giấy"
        verbose_name_plural = "tập phiếu giấy"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="batch_number_once"),
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=models.F("entered_by")),
                name="batch_checked_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"Tập phiếu giấy số {self.number}"

    @property
    def is_checked(self) -> bool:
        """A second person has confirmed the batch."""
        return self.checked_by_id is not None


class ConsequenceFlag(models.Model):
    """A consequence of a valid vote for one cadre (96-QĐ/TW), with the rule and its trace,
    linked to the person and, if there is one, to their evaluation of the year."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="flags")
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="flag")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="confidence_flags")
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consequence = models.CharField(
        "hệ quả", max_length=20, choices=[(k, v) for k, v in rules.CONSEQUENCES.items()]
    )
    rule = models.CharField("quy tắc", max_length=60)
    source = models.CharField("căn cứ", max_length=255)
    reason = models.TextField("lý do")
    trace = models.JSONField("diễn giải", default=list)

    class Meta:
        verbose_name = "hệ quả lấy phiếu tín nhiệm"
        verbose_name_plural = "hệ quả lấy phiếu tín nhiệm"
        ordering = ["campaign", "candidate__position"]

    def __str__(self) -> str:
        return f"{self.person.full_name}: {self.get_consequence_display()}"
