"""The job's page and its progress fragment (polled by htmx while the job runs).

A page that starts a job answers with `job_follow(job)`: the job's page, which polls while the
job runs and, once it is done, goes on to the result the job names (`result["url"]`), with the
job's message; without one, the page shows the message, the `lines` of the result and a link to
`result["see_url"]`. A failed job stays on its page with the reason, the problems its error
listed, and "Chạy lại". The files a job made (thuocdo/jobs/files.py) are listed with it and
downloaded from `job_file_download`.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thuocdo.jobs.files import FileGone, access_job_file, job_file_response
from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.registry import JobError
from thuocdo.jobs.selectors import access_job, job_list
from thuocdo.jobs.services import job_retry

FOLLOW = "theo"  # the query flag of a job page that goes on to the result when done


def job_follow(job: Job) -> HttpResponse:
    """Answer a page that started `job`: its progress page, which goes on to the result."""
    return redirect(f"{reverse('jobs:job-detail', args=[job.pk])}?{FOLLOW}=1")


def _result_url(job: Job, key: str = "url") -> str:
    """A page of this site the job's result names: `url` to go on to, `see_url` to link."""
    result = job.result if isinstance(job.result, dict) else {}
    url = result.get(key)
    return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""


@require_GET
@login_required
def job_index(request: HttpRequest) -> HttpResponse:
    """The jobs the user may follow (the last 50)."""
    # A simulation keeps its whole result on its row (megabytes for a city): not read here.
    jobs = job_list(actor=request.user).defer("result")[:50]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_GET
@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """One job; an htmx poll gets only its progress fragment."""
    job = access_job(request.user, job_id)
    follow = request.GET.get(FOLLOW) == "1"
    url = _result_url(job)
    if follow and job.state == JobState.DONE and url:
        message = (job.result or {}).get("message")
        if message:
            messages.success(request, str(message))
        if request.htmx:  # type: ignore[attr-defined]
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    see_url = _result_url(job, "see_url")
    context = {"job": job, "follow": follow, "result_url": url, "see_url": see_url}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_job_progress.html", context)
    return render(request, "jobs/job_detail.html", context)


@require_POST
@login_required
def job_retry_view(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Queue a failed job again."""
    job = access_job(request.user, job_id)
    try:
        job = job_retry(job=job, actor=request.user)
    except JobError as error:
        messages.error(request, str(error))
    follow = request.GET.get(FOLLOW) == "1"
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "jobs/_job_progress.html", {"job": job, "follow": follow})
    return job_follow(job) if follow else redirect("jobs:job-detail", job_id=job.pk)


@require_GET
@login_required
def job_file_download(request: HttpRequest, job_id: uuid.UUID, purpose: str) -> HttpResponseBase:
    """A file the job made; one already downloaded (a once file) or expired: the job's page
    saying so (410)."""
    job = access_job(request.user, job_id)
    file = access_job_file(request.user, job, purpose)
    try:
        return job_file_response(file=file, actor=request.user)
    except FileGone as gone:
        context = {"job": job, "follow": False, "gone": str(gone)}
        return render(request, "jobs/job_detail.html", context, status=410)
