"""Working the queue inside a test, as `thuocdo worker` would: a page starts a job (queued
once its transaction commits, which never happens inside a test's transaction), the test
runs it here with the same runner and then looks at what it wrote."""

from __future__ import annotations

from typing import Any

from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.runner import job_execute


def run_queued() -> list[Job]:
    """Run every queued job, oldest first; returns them as they ended (done or failed)."""
    queued = Job.objects.filter(state=JobState.QUEUED).order_by("created_at")
    return [job_execute(job) for job in list(queued)]


def follow_job(client: Any, response: Any) -> Any:
    """A page answered "job started" (a redirect to the job's page): work the queue, then
    open that page as the browser would and follow on to the result (or stay on the job's
    page with its error); returns the last response."""
    assert response.status_code == 302, response.status_code
    assert response.url.startswith("/cong-viec-nen/") and response.url.endswith("?theo=1")
    run_queued()
    return client.get(response.url, follow=True)
