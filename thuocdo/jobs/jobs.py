"""The jobs app's own schedule: every minute, destroy the job files past their expiry (the
one-time passwords nobody downloaded); once a day at JOBS_PRUNE_AT, the prune job deletes the
jobs finished more than JOBS_KEEP_DAYS days ago (thuocdo/jobs/prune.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from thuocdo.jobs.files import job_files_expire
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.prune import jobs_prune
from thuocdo.jobs.registry import job, schedule
from thuocdo.jobs.services import job_start
from thuocdo.rules.fmt import vn_number

PRUNE_KIND = "jobs.prune"


@job(PRUNE_KIND, label="Dọn công việc chạy nền cũ", atomic=False)
def prune_job(progress: Progress, *, days: int) -> dict[str, Any]:
    """Delete the finished jobs older than `days` days, their results and files."""
    counts = jobs_prune(days=days, progress=progress)
    return {"message": prune_message(counts, days), "counts": counts}


def prune_message(counts: dict[str, int], days: int) -> str:
    """What a prune did, in Vietnamese."""
    return (
        f"Đã xóa {vn_number(counts['jobs'])} công việc kết thúc quá {days} ngày "
        f"({vn_number(counts['files'])} tệp kết quả, {vn_number(counts['uploads'])} tệp tải "
        f"lên), {vn_number(counts['orphans'])} tệp không còn công việc nào dùng và "
        f"{vn_number(counts['tasks'])} dòng của hàng đợi; đã hủy {vn_number(counts['expired'])} "
        "tệp hết hạn."
    )


def prune_due(now: datetime.datetime) -> str | None:
    """The dedupe key of today's prune if its time has come, else None."""
    if not settings.JOBS_PRUNE_AT or settings.JOBS_KEEP_DAYS <= 0:
        return None
    hour, minute = (int(part) for part in settings.JOBS_PRUNE_AT.split(":"))
    local = timezone.localtime(now)
    if (local.hour, local.minute) < (hour, minute):
        return None
    return f"{PRUNE_KIND}:{local.date().isoformat()}"


@schedule
def jobs_schedule(now: datetime.datetime) -> None:
    """Destroy the expired files; start today's prune once its time has come (once, however
    many workers run)."""
    job_files_expire(now=now)
    key = prune_due(now)
    if key:
        job_start(
            kind=PRUNE_KIND, actor=None, params={"days": settings.JOBS_KEEP_DAYS}, dedupe_key=key
        )
