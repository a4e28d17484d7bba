"""Running a job: claim it, run its function with a Progress, record the outcome.

Used by the queue's task (thuocdo/jobs/tasks.py, in `thuocdo worker`) and by commands that
run the same work in the foreground (`thuocdo backup`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import IO, Any, TypeVar

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError, job_kind

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _when_unlocked(write: Callable[[], T]) -> T:
    """Run a small write, trying again while SQLite says the database is locked (several
    workers on one SQLite file; PostgreSQL waits for its row locks by itself)."""
    for attempt in range(100):
        try:
            return write()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")  # pragma: no cover


def job_claim(job: Job) -> bool:
    """Mark a queued job as running; False if another worker got it first (or it is not
    queued). One conditional UPDATE, so two workers can never both win."""
    claimed = _when_unlocked(lambda: _claim(job))
    return claimed == 1


def _claim(job: Job) -> int:
    return Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        started_at=timezone.now(),
        finished_at=None,
        attempts=F("attempts") + 1,
        step="",
        done=0,
        total=None,
        error="",
        result=None,
    )


def job_execute(job: Job, *, console: IO[str] | None = None) -> Job:
    """Run a queued job here and now and return its row as it ended (done or failed).

    The function of an atomic kind runs in one transaction, so a failure leaves nothing it
    wrote. Progress goes through a connection of its own ("jobs") when this call opens that
    transaction, so pages see it live; inside a caller's transaction (tests), through it.
    """
    if not job_claim(job):
        job.refresh_from_db()
        return job
    one_writer = connection.vendor == "sqlite" and not connection.in_atomic_block
    live_alias = "default" if connection.in_atomic_block else "jobs"
    progress = Progress(job, alias=live_alias, console=console)
    result: Any = None
    error = ""
    try:
        kind = job_kind(job.kind)
        if kind.atomic:
            if one_writer:
                # SQLite has one writer and the job's transaction takes the write lock when
                # it begins (settings.py): its progress goes through that transaction, and
                # the page sees the figures when the job ends.
                progress.alias = "default"
            with transaction.atomic():
                result = kind.func(progress, **job.params)
        else:
            result = kind.func(progress, **job.params)
    except JobError as exc:
        error, result = str(exc), exc.outcome()
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        result = None
        error = f"Lỗi không lường trước: {type(exc).__name__}: {exc}"
    except BaseException:
        # The worker was stopped (a second SIGTERM, Ctrl+C): the transaction has rolled back.
        _finish(job, error="Công việc bị dừng giữa chừng (worker dừng); hãy chạy lại.")
        raise
    progress.close()
    _finish(job, error=error, result=result)
    return job


def _finish(job: Job, *, error: str, result: Any = None) -> None:
    """Record how the job ended and reload it."""
    outcome = {
        "state": JobState.FAILED if error else JobState.DONE,
        "error": error,
        # A failed job keeps only what its JobError gave (the problems to list).
        "result": dict(result) if result is not None else None,
        "finished_at": timezone.now(),
    }
    _when_unlocked(lambda: Job.objects.filter(pk=job.pk).update(**outcome))
    _when_unlocked(job.refresh_from_db)
