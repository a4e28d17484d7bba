"""Running a job: claim it, run its function with a Progress, record the outcome.

Used by the queue's task (thuocdo/jobs/tasks.py, in `thuocdo worker`) and by commands that
run the same work in the foreground (`thuocdo backup`).
"""

from __future__ import annotations

import logging
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError, job_kind

logger = logging.getLogger(__name__)


def job_claim(job: Job) -> bool:
    """Mark a queued job as running; False if another worker got it first (or it is not
    queued). One conditional UPDATE, so two workers can never both win."""
    claimed = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
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
    return claimed == 1


def job_execute(job: Job, *, console: IO[str] | None = None) -> Job:
    """Run a queued job here and now and return its row as it ended (done or failed).

    The function of an atomic kind runs in one transaction, so a failure leaves nothing it
    wrote. Progress goes through a connection of its own ("jobs") when this call opens that
    transaction, so pages see it live; inside a caller's transaction (tests), through it.
    """
    if not job_claim(job):
        job.refresh_from_db()
        return job
    live_alias = "default" if connection.in_atomic_block else "jobs"
    progress = Progress(job, alias=live_alias, console=console)
    result: Any = None
    error = ""
    try:
        kind = job_kind(job.kind)
        if kind.atomic:
            with transaction.atomic():
                result = kind.func(progress, **job.params)
        else:
            result = kind.func(progress, **job.params)
    except JobError as exc:
        error = str(exc)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        error = f"Lỗi không lường trước: {type(exc).__name__}: {exc}"
    progress.close()
    state = JobState.FAILED if error else JobState.DONE
    Job.objects.filter(pk=job.pk).update(
        state=state,
        error=error,
        result=dict(result) if result is not None and not error else None,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
