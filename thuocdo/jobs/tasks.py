"""The one task the queue knows: run a job by its id (thuocdo/jobs/runner.py)."""

from __future__ import annotations

from django_tasks import task

from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.runner import job_execute


class JobFailed(Exception):
    """Raised after a failed job is recorded, so the queue marks its task failed too."""


@task()
def job_run(job_id: str) -> str:
    """Run the job `job_id` (a worker calls this); its row holds progress and outcome."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    job = job_execute(job)
    if job.state == JobState.FAILED:
        raise JobFailed(job.error)
    return str(job.state)
