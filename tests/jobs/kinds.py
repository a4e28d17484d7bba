"""Kinds of job used by the tests."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError, job
from thuocdo.org import services as org

RUNS: list[tuple[str, str]] = []  # (job id, thread) of every run of tests.count
RUNS_LOCK = threading.Lock()
GATE = threading.Event()  # tests.wait waits for it
SEEN: list[tuple[str, int, int | None]] = []  # what tests.count saw of its own row


@job("tests.count", label="Đếm thử")
def count_job(
    progress: Progress,
    *,
    steps: int = 3,
    unit_code: str = "",
    fail: bool = False,
    pause: float = 0,
    look: bool = False,
    record: str = "",
    url: str = "",
) -> dict[str, Any]:
    """Count `steps`, maybe create a unit, maybe fail."""
    from thuocdo.jobs.models import Job

    assert progress.job is not None
    with RUNS_LOCK:
        RUNS.append((str(progress.job.pk), threading.current_thread().name))
    if record:  # several worker processes append to one file
        with open(record, "a", encoding="utf-8") as handle:
            handle.write(f"{progress.job.pk} {os.getpid()}\n")
    progress.step("Đếm", total=steps)
    for _ in range(steps):
        progress.advance()
    if look:
        row = Job.objects.using(progress.alias).get(pk=progress.job.pk)
        SEEN.append((row.step, row.done, row.total))
    if unit_code:
        org.unit_create(actor=None, code=unit_code, name="Đơn vị tạm", kind="state")
    if pause:
        time.sleep(pause)
    if fail:
        raise JobError("Dòng 3, cột “Mã”: mã đơn vị trùng.")
    result: dict[str, Any] = {"message": f"Đã đếm {steps}."}
    if url:  # the page the job's page goes on to
        result.update(url=url, link="Về trang kết quả")
    return result


@job("tests.wait", label="Chờ tín hiệu")
def wait_job(progress: Progress, *, total: int = 5) -> None:
    """Report 2 of `total`, then wait for GATE before finishing."""
    progress.step("Bước đang chờ", total=total)
    progress.update(2)
    GATE.wait(timeout=30)
    progress.update(total)


READ = threading.Event()  # tests.read_then_write has read and waits for GATE


@job("tests.read_then_write", label="Đọc rồi ghi")
def read_then_write_job(progress: Progress, *, code: str) -> None:
    """Read, report, wait for GATE (another connection commits meanwhile), then write."""
    from thuocdo.org.models import Unit

    list(Unit.objects.values_list("pk", flat=True)[:1])
    progress.step("Đọc", total=2)
    progress.update(1)
    READ.set()
    GATE.wait(timeout=30)
    org.unit_create(actor=None, code=code, name="Đơn vị ghi sau", kind="state")
    progress.update(2)
