"""The job's page and its progress fragment (polled by htmx while the job runs)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from thuocdo.jobs.registry import JobError
from thuocdo.jobs.selectors import access_job, job_list
from thuocdo.jobs.services import job_retry


@require_GET
@login_required
def job_index(request: HttpRequest) -> HttpResponse:
    """The jobs the user may follow (the last 50)."""
    jobs = job_list(actor=request.user)[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_GET
@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """One job; an htmx poll gets only its progress fragment."""
    job = access_job(request.user, job_id)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_job_progress.html", {"job": job})
    return render(request, "jobs/job_detail.html", {"job": job})


@require_POST
@login_required
def job_retry_view(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Queue a failed job again."""
    job = access_job(request.user, job_id)
    try:
        job = job_retry(job=job, actor=request.user)
    except JobError as error:
        messages.error(request, str(error))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_job_progress.html", {"job": job})
    return redirect("jobs:job-detail", job_id=job.pk)
