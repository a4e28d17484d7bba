"""Retention of jobs: the finished jobs older than a number of days are deleted with their
results and files, the queue's finished task rows with them, and the files no job names any
more (a workbook whose job's transaction rolled back, an upload whose job was never run).
One audit event with the counts. Run by `thuocdo jobs prune` and by the worker once a day
(thuocdo/jobs/jobs.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from thuocdo.audit.services import audit_record
from thuocdo.jobs.files import FOLDER, job_files_expire
from thuocdo.jobs.files import STORED_NAME as JOB_FILE
from thuocdo.jobs.models import Job, JobFile, JobState
from thuocdo.jobs.progress import Progress
from thuocdo.spreadsheets.background import STORED_NAME as UPLOAD
from thuocdo.spreadsheets.background import UPLOAD_FOLDER

# A file no row names yet may belong to a job whose transaction is still open.
ORPHAN_AFTER = datetime.timedelta(days=1)
CHUNK = 900  # ids per query (SQLite's limit on parameters)


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _stored(folder: str, pattern: Any) -> list[str]:
    """The names in a storage folder that this app writes there."""
    if not default_storage.exists(folder):
        return []
    names = (f"{folder}/{name}" for name in default_storage.listdir(folder)[1])
    return [name for name in names if pattern.match(name)]


def _older_than(name: str, when: datetime.datetime) -> bool:
    return default_storage.get_modified_time(name) < when


def jobs_prune(
    *,
    days: int,
    actor: Any = None,
    now: datetime.datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Delete the jobs finished more than `days` days ago, their results and files, the
    queue's finished tasks as old, and the files of jobs no row names; returns the counts."""
    now = now or timezone.now()
    progress = progress or Progress()
    cutoff = now - datetime.timedelta(days=days)
    progress.step("Hủy các tệp đã hết hạn")
    expired = job_files_expire(now=now)
    progress.step("Xóa công việc đã kết thúc")
    old = Job.objects.filter(state__in=[JobState.DONE, JobState.FAILED], finished_at__lt=cutoff)
    rows = list(old.values_list("pk", "params"))
    pks = [pk for pk, _ in rows]
    progress.update(0, len(pks))
    doomed: list[str] = [
        p["file"] for _, p in rows if isinstance(p.get("file"), str) and UPLOAD.match(p["file"])
    ]
    counts = {"jobs": 0, "files": 0, "uploads": len(doomed), "tasks": 0, "expired": expired}
    with transaction.atomic():
        for chunk in _chunks(pks):
            files = JobFile.objects.filter(job_id__in=chunk)
            doomed += files.filter(destroyed_at__isnull=True).values_list("name", flat=True)
            counts["files"] += files.count()
            counts["jobs"] += Job.objects.filter(pk__in=chunk).delete()[1].get("jobs.Job", 0)
            progress.update(counts["jobs"])
        tasks = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff)
        counts["tasks"] = tasks.delete()[1].get(DBTaskResult._meta.label, 0)
        progress.step("Tìm tệp không còn công việc nào dùng")
        named = set(JobFile.objects.values_list("name", flat=True))
        orphans = [
            name
            for name in _stored(FOLDER, JOB_FILE)
            if name not in named and _older_than(name, now - ORPHAN_AFTER)
        ]
        # A queued or running job reads its upload; a failed one may be run again.
        kept = Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING, JobState.FAILED])
        waiting = {params.get("file") for params in kept.values_list("params", flat=True)}
        stale = [
            name
            for name in _stored(UPLOAD_FOLDER, UPLOAD)
            if name not in waiting and name not in doomed and _older_than(name, cutoff)
        ]
        counts["orphans"] = len(orphans) + len(stale)
        audit_record(
            actor=actor,
            action="jobs.prune",
            object_type="jobs.job",
            after={"days": days, **counts},
        )
        names = [*doomed, *orphans, *stale]
        transaction.on_commit(lambda: _delete(names))
    progress.close()
    return counts


def _delete(names: list[str]) -> None:
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)
