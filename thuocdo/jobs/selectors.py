"""Reading jobs, scoped: a user sees the jobs they started, an organiser or head those about a
unit of their subtree, a system administrator every job; anything else is a 404."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from thuocdo.jobs.models import Job
from thuocdo.org.scope import scope_for


def _visible_q(actor: Any) -> Q:
    scope = scope_for(actor)
    if scope.everything:
        return Q()
    if scope.user_id is None:
        return Q(pk__in=[])
    subtree = [Q(unit__path__startswith=path) for path in scope.subtree_paths]
    return reduce(or_, subtree, Q(created_by_id=scope.user_id))


def job_list(*, actor: Any, kind: str | None = None) -> QuerySet[Job]:
    """The jobs the actor may follow, newest first."""
    jobs = Job.objects.filter(_visible_q(actor)).select_related("created_by")
    if kind:
        jobs = jobs.filter(kind=kind)
    return jobs.order_by("-created_at")


def access_job(actor: Any, job_id: Any) -> Job:
    """The job if the actor may follow it; 404 otherwise, as for a missing one."""
    job = job_list(actor=actor).filter(pk=job_id).first() if _is_uuid(job_id) else None
    if job is None:
        raise Http404("Không tìm thấy công việc.")
    return job


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
