"""Retention of jobs: `thuocdo jobs prune` and the worker's daily prune delete the jobs
finished more than N days ago, their results and files, the queue's old rows and the files no
job names, in one audited event; nothing recent, waiting or retryable is touched."""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.jobs.follow import run_queued
from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.files import job_file_store
from thuocdo.jobs.jobs import PRUNE_KIND, jobs_schedule, prune_due
from thuocdo.jobs.models import Job, JobFile, JobState
from thuocdo.jobs.prune import jobs_prune
from thuocdo.jobs.services import job_start
from thuocdo.jobs.tasks import job_run

NOW = timezone.make_aware(datetime.datetime(2026, 12, 6, 4, 0))
OLD = NOW - datetime.timedelta(days=31)
RECENT = NOW - datetime.timedelta(days=29)


def _finished(when: datetime.datetime, *, state: str = JobState.DONE, **params: object) -> Job:
    job = job_start(kind="tests.count", actor=None, params=params)
    Job.objects.filter(pk=job.pk).update(state=state, finished_at=when, result={"x": 1})
    job.refresh_from_db()
    return job


def _upload(name: str, when: datetime.datetime | None = None) -> str:
    stored = default_storage.save(f"imports/{name}.xlsx", ContentFile(b"PK"))
    if when is not None:
        os.utime(default_storage.path(stored), (when.timestamp(), when.timestamp()))
    return stored


def _aged(name: str, when: datetime.datetime) -> str:
    os.utime(default_storage.path(name), (when.timestamp(), when.timestamp()))
    return name


@pytest.fixture
def jobs(db: None, settings) -> dict[str, object]:
    """Old and recent jobs, their files and uploads, and files no job names."""
    old = _finished(OLD)
    old_file = job_file_store(job=old, purpose="x", label="X", content=b"PK", download_name="x")
    old_failed = _finished(OLD, state=JobState.FAILED, file=_upload("a" * 32))
    recent = _finished(RECENT)
    recent_file = job_file_store(
        job=recent, purpose="x", label="X", content=b"PK", download_name="x"
    )
    retryable = _finished(RECENT, state=JobState.FAILED, file=_upload("b" * 32, OLD))
    queued = job_start(kind="tests.count", actor=None, params={"file": _upload("c" * 32, OLD)})
    orphan = default_storage.save(f"jobs/{'d' * 32}.xlsx", ContentFile(b"PK"))
    _aged(orphan, NOW - datetime.timedelta(days=2))
    fresh_orphan = default_storage.save(f"jobs/{'e' * 32}.xlsx", ContentFile(b"PK"))
    _aged(fresh_orphan, NOW - datetime.timedelta(hours=1))
    stale_upload = _upload("f" * 32, OLD)
    young_upload = _upload("0" * 32, RECENT)
    job_run.enqueue(str(old.pk))
    job_run.enqueue(str(recent.pk))
    DBTaskResult.objects.filter(args_kwargs__args=[str(old.pk)]).update(
        status="SUCCESSFUL", finished_at=OLD
    )
    DBTaskResult.objects.filter(args_kwargs__args=[str(recent.pk)]).update(
        status="SUCCESSFUL", finished_at=RECENT
    )
    return locals()


def _exists(name: str) -> bool:
    return default_storage.exists(name)


def test_old_finished_jobs_go_with_their_files_in_one_audited_event(
    jobs, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs_prune(days=30, now=NOW)
    assert counts == {
        "jobs": 2, "files": 1, "uploads": 1, "tasks": 1, "expired": 0, "orphans": 2,
    }  # fmt: skip
    left = set(Job.objects.values_list("pk", flat=True))
    assert left == {jobs["recent"].pk, jobs["retryable"].pk, jobs["queued"].pk}
    assert list(JobFile.objects.all()) == [jobs["recent_file"]]
    assert not _exists(jobs["old_file"].name) and _exists(jobs["recent_file"].name)
    assert not _exists(jobs["old_failed"].params["file"])
    assert _exists(jobs["retryable"].params["file"]) and _exists(jobs["queued"].params["file"])
    assert not _exists(jobs["orphan"]) and _exists(jobs["fresh_orphan"])
    assert not _exists(jobs["stale_upload"]) and _exists(jobs["young_upload"])
    assert DBTaskResult.objects.count() == 1
    [event] = AuditEvent.objects.filter(action="jobs.prune")
    assert event.actor is None and event.after == {"days": 30, **counts}


def test_a_second_prune_finds_nothing_more(jobs, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        jobs_prune(days=30, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs_prune(days=30, now=NOW)
    assert set(again.values()) == {0}
    assert AuditEvent.objects.filter(action="jobs.prune").count() == 2


def test_the_command_prunes_with_the_days_it_is_given(
    jobs, django_capture_on_commit_callbacks
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("jobs", "prune", "--days", "0", stdout=out, stderr=err)
    # Everything finished before now goes; the queued job and the failed one's upload stay
    # (a failed job kept is retryable; with 0 days none is kept).
    assert set(Job.objects.values_list("pk", flat=True)) == {jobs["queued"].pk}
    assert "Đã xóa 4 công việc kết thúc quá 0 ngày" in out.getvalue()
    assert "Xóa công việc đã kết thúc" in err.getvalue()  # the progress, one line per step
    assert not Path(default_storage.path(jobs["recent_file"].name)).exists()


@override_settings(JOBS_PRUNE_AT="03:30", JOBS_KEEP_DAYS=30)
def test_the_worker_prunes_once_a_day(jobs, django_capture_on_commit_callbacks) -> None:
    early = timezone.make_aware(datetime.datetime(2026, 12, 6, 3, 29))
    assert prune_due(early) is None
    assert prune_due(NOW) == f"{PRUNE_KIND}:2026-12-06"
    jobs_schedule(early)
    assert not Job.objects.filter(kind=PRUNE_KIND).exists()
    jobs_schedule(NOW)
    jobs_schedule(NOW + datetime.timedelta(minutes=1))  # a second worker, a minute later
    [prune] = Job.objects.filter(kind=PRUNE_KIND)
    assert prune.params == {"days": 30}
    # The test's own jobs are old only relative to NOW: make them old for real.
    Job.objects.exclude(kind=PRUNE_KIND).filter(finished_at=OLD).update(
        finished_at=timezone.now() - datetime.timedelta(days=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        [ended] = [j for j in run_queued() if j.kind == PRUNE_KIND]
    assert ended.state == JobState.DONE and ended.result is not None, ended.error
    assert ended.result["counts"]["jobs"] == 2
    assert "Đã xóa 2 công việc" in ended.result["message"]
    with override_settings(JOBS_KEEP_DAYS=0):
        assert prune_due(NOW) is None
