"""Starting and retrying jobs: the public API other apps use to move long work off the
request (docs/operations.md, "Công việc chạy nền").

    from thuocdo.jobs.registry import job
    from thuocdo.jobs.services import job_actor, job_refusals, job_start
    from thuocdo.jobs.views import job_follow

    @job("reviews.month_compute", label="Tính điểm tháng")     # in reviews/jobs.py
    def month_compute_job(progress, *, period_id: int, actor_id: int) -> dict:
        progress.step("Kiểm tra quyền và kỳ đánh giá", total=1)
        with job_refusals():                       # a service's refusal: the job's error
            actor = job_actor(actor_id)            # the user again, rights checked anew
            ...
        return {"message": "Đã tính điểm tháng cho 200.000 người.", "url": board_url}

    job = job_start(kind="reviews.month_compute", actor=request.user, unit=period.unit,
                    params={"period_id": period.pk, "actor_id": request.user.pk})
    return job_follow(job)  # the job's page, which goes on to result["url"] once done
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from thuocdo.audit.services import audit_record
from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.registry import JobError, job_kind
from thuocdo.org.models import Unit, User


def _enqueue(job_id: Any) -> None:
    """Put the job on the queue (after the transaction that created it has committed)."""
    from thuocdo.jobs.tasks import job_run

    result = job_run.enqueue(str(job_id))
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def job_start(
    *,
    kind: str,
    actor: Any,
    unit: Unit | None = None,
    params: Mapping[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Job:
    """Queue a job of a registered kind for `thuocdo worker` and return its row (queued).

    `params` (JSON values) are passed to the job's function as keyword arguments; `unit`
    lets the organisers of that unit's subtree follow the job; with `dedupe_key`, only one job
    ever has that key: a second start returns the first job (the daily backup, several workers).
    """
    registered = job_kind(kind)
    params = dict(params or {})
    try:
        json.dumps(params)
    except TypeError as exc:
        raise JobError(f"Tham số của công việc không ghi được: {exc}") from exc
    actor_id = getattr(actor, "pk", None)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                label=registered.label,
                params=params,
                created_by_id=actor_id,
                unit=unit,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        existing = Job.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    audit_record(actor=actor, action="job.start", obj=job, after={"kind": kind, "params": params})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def job_retry(*, job: Job, actor: Any) -> Job:
    """Queue a failed job again with the same parameters."""
    updated = Job.objects.filter(pk=job.pk, state=JobState.FAILED).update(
        state=JobState.QUEUED, step="", done=0, total=None, finished_at=None
    )
    if updated != 1:
        raise JobError("Chỉ chạy lại được công việc đã thất bại.")
    job.refresh_from_db()
    audit_record(actor=actor, action="job.retry", obj=job, after={"attempts": job.attempts})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def job_actor(actor_id: int | None) -> User | None:
    """The user who started the job, read again in the worker (their rights are checked anew
    by the service the job calls); a JobError if they no longer exist or may not log in."""
    if actor_id is None:
        return None
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if actor is None:
        raise JobError("Người khởi chạy công việc không còn tài khoản hoạt động.")
    return actor


@contextmanager
def job_refusals() -> Iterator[None]:
    """Turn a service's refusal (a rule, a right, something out of scope) into the JobError
    the job's page shows, in the same words the page used to show."""
    try:
        yield
    except ValidationError as error:
        raise JobError(" ".join(error.messages)) from error
    except (PermissionDenied, Http404) as error:
        raise JobError(str(error) or "Không có quyền thực hiện công việc này.") from error
