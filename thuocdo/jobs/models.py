"""A job: one run of a long piece of work, its progress and its outcome, scoped to who started
it (and to a unit, for the organisers of that unit's subtree)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from thuocdo.org.models import Unit


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Thất bại"


class Job(models.Model):
    """One run of a registered kind of work (thuocdo/jobs/registry.py), started by a user (or
    by the schedule or the command line: no user) and worked by `thuocdo worker`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("loại", max_length=100)
    label = models.CharField("công việc", max_length=255)
    params = models.JSONField("tham số", default=dict, blank=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    step = models.CharField("bước", max_length=255, blank=True)
    done = models.PositiveBigIntegerField("đã xong", default=0)
    total = models.PositiveBigIntegerField("tổng", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    result = models.JSONField("kết quả", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người khởi chạy",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A job that must run at most once per key (the daily backup of a given day): the database
    # refuses a second one, however many workers try at once.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    task_result_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    class Meta:
        verbose_name = "công việc chạy nền"
        verbose_name_plural = "công việc chạy nền"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="job_kind_recent")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_active(self) -> bool:
        """Still waiting or running: the page keeps polling."""
        return self.state in (JobState.QUEUED, JobState.RUNNING)

    @property
    def percent(self) -> int | None:
        """Progress as a whole percentage, when the total is known."""
        if not self.total:
            return 100 if self.state == JobState.DONE else None
        return min(100, self.done * 100 // self.total)
