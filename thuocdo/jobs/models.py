"""A job: one run of a long piece of work, its progress and its outcome, scoped to who started
it (and to a unit, for the organisers of that unit's subtree)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

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


class JobFile(models.Model):
    """A file a job made for its user to download (a workbook), stored under MEDIA_ROOT/jobs/,
    which nothing serves: only the job's download view sends it, after its checks.

    A sealed file is encrypted at rest (AES-GCM, thuocdo/jobs/files.py): its key derives from
    SECRET_KEY and `key_salt`, which is erased with the file, so a copy left elsewhere (a
    backup of the media folder) cannot be read once it is destroyed. A `once` file is
    destroyed by its first download or at `expires_at`, whichever comes first.

    `sealed` is also the mark of a file that holds secrets (the one-time passwords of an
    import): it is stored as `jobs/<hex>.sealed`, and the backup leaves such files out.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField("loại tệp", max_length=60)
    label = models.CharField("nhãn", max_length=255)
    name = models.CharField("tên lưu trữ", max_length=255, unique=True)
    download_name = models.CharField("tên tải về", max_length=255)
    size = models.PositiveBigIntegerField("kích thước", default=0)
    key_salt = models.BinaryField(null=True, blank=True, editable=False)
    sealed = models.BooleanField("mã hóa", default=False)
    once = models.BooleanField("tải một lần", default=False)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    downloaded_at = models.DateTimeField("tải về lúc", null=True, blank=True)
    destroyed_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tệp của công việc"
        verbose_name_plural = "tệp của công việc"
        constraints = [
            models.UniqueConstraint(fields=["job", "purpose"], name="job_file_one_per_purpose")
        ]

    def __str__(self) -> str:
        return self.download_name

    @property
    def available(self) -> bool:
        """Not destroyed, and not past its expiry."""
        if self.destroyed_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
