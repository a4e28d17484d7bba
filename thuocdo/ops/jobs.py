"""The backup as a background job (from the administrator's page and the daily schedule), and
the retention of the scheduled backups."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import job, schedule
from thuocdo.jobs.services import job_actor, job_start
from thuocdo.ops.backup import backup_create
from thuocdo.ops.manifest import MANIFEST

BACKUP_KIND = "ops.backup"


@job(BACKUP_KIND, label="Sao lưu dữ liệu", atomic=False)
def backup_job(
    progress: Progress, *, output: str = "", keep: int = 0, actor_id: int | None = None
) -> dict[str, Any]:
    """Write a backup; with `keep`, then delete the oldest beyond the last `keep`. The backup is
    audited under the administrator who asked for it (`actor_id`), or nobody (the schedule)."""
    actor = job_actor(actor_id)
    folder = backup_create(output=output or None, progress=progress, actor=actor)
    removed = backup_prune(folder.parent, keep=keep) if keep else []
    message = f"Đã sao lưu vào {folder}."
    if removed:
        message += f" Đã xoá {len(removed)} bản cũ."
    return {"path": str(folder), "removed": [str(p) for p in removed], "message": message}


def backup_folders(root: Path | None = None) -> list[Path]:
    """The complete backups in a folder (those with a manifest), newest first."""
    root = Path(root or settings.BACKUP_DIR)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_prune(root: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `root`; returns what was deleted."""
    old = backup_folders(root)[keep:]
    for folder in old:
        shutil.rmtree(folder)
    return old


def backup_due(now: datetime.datetime) -> str | None:
    """The dedupe key of today's scheduled backup if its time has come, else None."""
    if not settings.BACKUP_AT:
        return None
    hour, minute = (int(part) for part in settings.BACKUP_AT.split(":"))
    local = timezone.localtime(now)
    if (local.hour, local.minute) < (hour, minute):
        return None
    return f"{BACKUP_KIND}:{local.date().isoformat()}"


@schedule
def backup_schedule(now: datetime.datetime) -> None:
    """Start today's backup once its time has come (once, however many workers run)."""
    key = backup_due(now)
    if key:
        job_start(
            kind=BACKUP_KIND,
            actor=None,
            params={"output": str(settings.BACKUP_DIR), "keep": settings.BACKUP_KEEP},
            dedupe_key=key,
        )
