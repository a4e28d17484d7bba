"""A job that reads, then writes, while other connections commit (the test that a job on the
one-writer SQLite does not fail with "database is locked", and that PostgreSQL shows its
progress live).

    python tests/jobs/run_locked.py OUT     (DATABASE_URL or THUOCDO_SQLITE_PATH set)
migrates, runs the job in a thread; while it waits between its read and its write, this
process reads its progress and commits a write of its own; writes OUT/result.json.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from tests.jobs import kinds  # noqa: E402


def main() -> None:
    """Run the job and another writer side by side, write the outcome."""
    from thuocdo.jobs.models import Job
    from thuocdo.jobs.runner import job_execute
    from thuocdo.jobs.services import job_start
    from thuocdo.org import services as org
    from thuocdo.org.models import Unit

    out = Path(sys.argv[1])
    call_command("migrate", verbosity=0)
    job = job_start(kind="tests.read_then_write", actor=None, params={"code": "SAU"})
    assert job is not None

    def run() -> None:
        job_execute(job)
        connections.close_all()

    def write() -> None:  # a page's write, committed while the job waits
        org.unit_create(actor=None, code="GIUA", name="Đơn vị ghi giữa", kind="state")
        connections.close_all()

    runner = threading.Thread(target=run)
    runner.start()
    kinds.READ.wait(timeout=30)
    seen = list(Job.objects.values_list("state", "step", "done", "total").get(pk=job.pk))
    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=1)  # on SQLite it waits for the job's write lock
    kinds.GATE.set()
    runner.join(timeout=60)
    writer.join(timeout=60)
    job.refresh_from_db()
    result = {
        "vendor": connection.vendor,
        "seen": seen,
        "state": job.state,
        "error": job.error,
        "figures": [job.step, job.done, job.total],
        "units": sorted(
            Unit.objects.filter(code__in=["GIUA", "SAU"]).values_list("code", flat=True)
        ),
    }
    (out / "result.json").write_text(json.dumps(result))


if __name__ == "__main__":
    main()
