"""Two worker processes on one queue (the test that no job runs twice).

    python tests/jobs/run_workers.py OUT JOBS      (DATABASE_URL or THUOCDO_SQLITE_PATH set)
migrates, queues JOBS test jobs, runs two `worker --batch` processes at once, and writes
OUT/result.json; each run of a job appends "job-id pid" to OUT/runs.txt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

import tests.jobs.kinds  # noqa: E402, F401 - registers the test kinds in every process


def work(out: Path) -> None:
    """One worker process: wait until the other is ready too (a process that started faster
    would otherwise empty the queue alone), then work the queue until it is empty."""
    (out / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 120
    while len(list(out.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--no-schedule",
                 "--interval", "0", "--worker-id", f"p{os.getpid()}", verbosity=0)  # fmt: skip


def main() -> None:
    """Queue the jobs, run two workers at once, write the outcome."""
    from django_tasks_db.models import DBTaskResult

    from thuocdo.jobs.models import Job
    from thuocdo.jobs.services import job_start

    out, count = Path(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", verbosity=0)
    record = str(out / "runs.txt")
    jobs = [
        job_start(
            kind="tests.count", actor=None, params={"steps": 1, "pause": 0.1, "record": record}
        )
        for _ in range(count)
    ]
    workers = [subprocess.Popen([sys.executable, __file__, "--work", str(out)]) for _ in range(2)]
    codes = [w.wait(timeout=300) for w in workers]
    result = {
        "codes": codes,
        "jobs": [str(j.pk) for j in jobs if j is not None],
        "jobs_done": list(Job.objects.order_by().values_list("state", "attempts").distinct()),
        "tasks": [[r.status, r.worker_ids] for r in DBTaskResult.objects.all()],
    }
    (out / "result.json").write_text(json.dumps(result))


if __name__ == "__main__":
    work(Path(sys.argv[2])) if sys.argv[1] == "--work" else main()
