"""Jobs: the outcome and the progress are recorded, a failure leaves nothing half-written and
can be retried, two workers never run the same job, the terminal shows a line per step."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.jobs import kinds
from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError
from thuocdo.jobs.runner import job_execute
from thuocdo.jobs.services import job_retry, job_start
from thuocdo.org.models import Unit


def test_a_job_runs_and_records_its_result_and_progress(world, monkeypatch):
    monkeypatch.setattr("thuocdo.jobs.progress.WRITE_EVERY", 0)  # every report is written
    job = job_start(
        kind="tests.count", actor=world.users["lena"], params={"steps": 4, "look": True}
    )
    assert job.state == JobState.QUEUED
    job = job_execute(job)
    assert job.state == JobState.DONE
    assert (job.step, job.done, job.total) == ("Đếm", 4, 4)
    assert job.result == {"message": "Đã đếm 4."}
    assert job.attempts == 1
    assert kinds.SEEN[-1] == ("Đếm", 4, 4)  # written where the pages read, while it ran


def test_a_failed_job_leaves_nothing_half_written(world):
    job = job_start(
        kind="tests.count", actor=world.users["lena"], params={"unit_code": "TAM", "fail": True}
    )
    job = job_execute(job)
    assert job.state == JobState.FAILED
    assert job.error == "Dòng 3, cột “Mã”: mã đơn vị trùng."
    assert not Unit.objects.filter(code="TAM").exists()


def test_an_unexpected_error_is_recorded_too(world):
    job = job_start(kind="tests.count", actor=None, params={"steps": "nhiều"})
    job = job_execute(job)
    assert job.state == JobState.FAILED
    assert job.error.startswith("Lỗi không lường trước: ValueError")


def test_a_failed_job_can_be_retried(world):
    job = job_execute(
        job_start(kind="tests.count", actor=None, params={"unit_code": "TAM", "fail": True})
    )
    job.params["fail"] = False  # what was wrong is fixed (here: the parameters)
    Job.objects.filter(pk=job.pk).update(params=job.params)
    job = job_retry(job=job, actor=world.users["lena"])
    assert job.state == JobState.QUEUED
    job = job_execute(job)
    assert job.state == JobState.DONE
    assert job.attempts == 2
    assert Unit.objects.filter(code="TAM").exists()
    with pytest.raises(JobError, match="đã thất bại"):
        job_retry(job=job, actor=None)


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(JobError, match="Không có loại công việc"):
        job_start(kind="tests.none", actor=None)


def test_parameters_must_be_json(world):
    with pytest.raises(JobError, match="Tham số"):
        job_start(kind="tests.count", actor=None, params={"unit": world.p1})


def test_a_dedupe_key_starts_one_job_only(world):
    first = job_start(kind="tests.count", actor=None, dedupe_key="k:2026-12-06")
    second = job_start(kind="tests.count", actor=None, dedupe_key="k:2026-12-06")
    assert second.pk == first.pk
    assert Job.objects.count() == 1


def test_the_terminal_gets_a_line_per_step_when_not_a_tty():
    console = io.StringIO()
    progress = Progress(console=console)
    progress.step("Sao chép cơ sở dữ liệu", total=1200)
    progress.update(1200)
    progress.step("Tính mã kiểm tra")
    progress.close()
    lines = console.getvalue().splitlines()
    assert lines[0] == "[1] Sao chép cơ sở dữ liệu (1.200)…"
    assert lines[1].startswith("    xong: 1.200 mục, ")
    assert lines[2] == "[2] Tính mã kiểm tra…"
    assert len(lines) == 4


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    """This test database on PostgreSQL, a SQLite file of its own on SQLite."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["THUOCDO_SQLITE_PATH"] = str(tmp_path / "queue.sqlite3")
    return env


@pytest.mark.django_db(transaction=True)
def test_a_job_that_reads_then_writes_survives_other_writers(tmp_path):
    """A page commits while the job sits between its first read and its first write: the job
    still finishes (SQLite refused its write with "database is locked" when the year's
    proposal ran in the demo's worker). On PostgreSQL the progress is seen live; on SQLite,
    with one writer, the figures come when the job ends (docs/operations.md)."""
    script = Path(__file__).with_name("run_locked.py")
    subprocess.run([sys.executable, str(script), str(tmp_path)], env=_subprocess_env(tmp_path),
                   check=True, timeout=300)  # fmt: skip
    result = json.loads((tmp_path / "result.json").read_text())

    assert (result["state"], result["error"]) == (JobState.DONE, "")
    assert result["units"] == ["GIUA", "SAU"]
    assert result["figures"] == ["Đọc", 2, 2]
    if result["vendor"] == "postgresql":
        assert result["seen"] == [JobState.RUNNING, "Đọc", 0, 2]
    else:
        assert result["seen"] == [JobState.RUNNING, "", 0, None]


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_never_run_the_same_job(tmp_path):
    """Two `thuocdo worker` processes on one queue (this test database on PostgreSQL, a SQLite
    file of their own on SQLite): every job runs exactly once, and both take part."""
    env = _subprocess_env(tmp_path)
    script = Path(__file__).with_name("run_workers.py")
    subprocess.run([sys.executable, str(script), str(tmp_path), "12"], env=env, check=True,
                   timeout=600)  # fmt: skip
    result = json.loads((tmp_path / "result.json").read_text())
    runs = [line.split() for line in (tmp_path / "runs.txt").read_text().splitlines()]

    assert result["codes"] == [0, 0]
    assert sorted(job for job, _pid in runs) == sorted(result["jobs"])  # each exactly once
    assert len({pid for _job, pid in runs}) == 2  # both workers took part
    assert result["jobs_done"] == [["done", 1]]
    assert len(result["tasks"]) == 12
    assert all(status == "SUCCESSFUL" and len(ids) == 1 for status, ids in result["tasks"])
