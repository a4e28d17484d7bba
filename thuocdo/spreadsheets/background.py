"""Imports as background jobs (thuocdo/jobs): the upload page stores the file and queues a job;
the worker checks the user's rights again, runs the import (all or nothing, `import_run`) and
deletes the stored file; the job's page shows the report or every problem of a refused file.

The uploaded workbook (at most 20 MB, too big for a job's parameters) is kept under
MEDIA_ROOT in `imports/<random>.xlsx`, which nothing serves (uploads under MEDIA_ROOT are only
ever sent by views that check scope, and none sends these). The job deletes it when it ends,
imported or refused or failed; only a worker stopped midway leaves it, so "Chạy lại" can run
the same file again.

A feature registers its import as a kind of job and starts it from its upload page::

    @job("reports.history_import", label="Nhập kết quả xếp loại các năm trước")
    def history_import_job(progress, *, file, file_name, actor_id):
        return import_job_run(progress, file=file, file_name=file_name, actor_id=actor_id,
                              allowed=may_import_history, refusal="Chỉ Ban Tổ chức ...",
                              run=lambda actor, source, shown: history_import(
                                  actor=actor, source=source, progress=shown))

    job = import_job_start(kind="reports.history_import", actor=request.user, upload=file)
    return job_follow(job)

The command line runs the same imports in the foreground with the same display
(`ImportProgress` over a console `Progress`: one line per stage when not on a terminal).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage

from thuocdo.jobs.models import Job
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError
from thuocdo.jobs.services import job_actor, job_refusals, job_start
from thuocdo.org.models import Unit
from thuocdo.rules.fmt import vn_number
from thuocdo.spreadsheets.problems import ImportRejected, ImportReport
from thuocdo.spreadsheets.runner import source_name

UPLOAD_FOLDER = "imports"
STORED_NAME = re.compile(rf"^{UPLOAD_FOLDER}/[0-9a-f]{{32}}\.xlsx$")
# A wrong column in a 50.000-row file is 50.000 problems: the page shows the first ones.
SHOWN_PROBLEMS = 500
READING = "Đọc tệp"
FILE_GONE = "Tệp tải lên không còn trên máy chủ; hãy tải tệp lên lại."

ImportCall = Callable[[Any, "File[Any]", "ImportProgress"], ImportReport]


class ImportProgress:
    """An import's progress (`progress(rows read, total)`, then `stage(label)` as the checks
    and the writes start) shown by a job's or the terminal's `Progress`."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, done: int, total: int) -> None:
        """Rows read so far, of about `total`."""
        if self.progress.label != READING:
            self.progress.step(READING, total)
        self.progress.update(done, total)

    def stage(self, label: str) -> None:
        """A stage of the import starts."""
        self.progress.step(label)


def upload_store(upload: Any) -> str:
    """Keep an uploaded workbook for the job under a random name; returns that name."""
    return default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.xlsx", upload)


def upload_remove(name: str) -> None:
    """Delete a stored workbook (nothing if it is gone already)."""
    if STORED_NAME.match(name) and default_storage.exists(name):
        default_storage.delete(name)


def import_job_start(
    *,
    kind: str,
    actor: Any,
    upload: Any,
    unit: Unit | None = None,
    params: Mapping[str, Any] | None = None,
) -> Job:
    """Store the uploaded workbook and queue the import job `kind` for it."""
    stored = upload_store(upload)
    try:
        return job_start(
            kind=kind,
            actor=actor,
            unit=unit,
            params={
                **(params or {}),
                "file": stored,
                "file_name": source_name(upload),
                "actor_id": actor.pk,
            },
        )
    except BaseException:
        upload_remove(stored)
        raise


def import_job_run(
    progress: Progress,
    *,
    file: str,
    file_name: str,
    actor_id: int,
    run: ImportCall,
    allowed: Callable[[Any], bool] | None = None,
    refusal: str = "",
) -> dict[str, Any]:
    """The work of an import job: the user's rights again, the import, the stored file
    deleted; the result says what was imported, a refusal lists every problem. `allowed(user)`
    (refused with `refusal`) is the page's own check; `run` checks the rest as the import does
    (a service's PermissionDenied, Http404 or ValidationError becomes the job's error)."""
    try:
        progress.step("Kiểm tra quyền", total=1)
        with job_refusals():
            actor = job_actor(actor_id)
            if allowed is not None and not allowed(actor):
                raise JobError(refusal)
        progress.update(1)
        if not STORED_NAME.match(file) or not default_storage.exists(file):
            raise JobError(FILE_GONE)
        with default_storage.open(file, "rb") as stored:
            source = File(stored, name=file_name)
            try:
                with job_refusals():
                    report = run(actor, source, ImportProgress(progress))
            except ImportRejected as rejected:
                raise import_refusal(rejected, file_name) from None
    except Exception:
        upload_remove(file)
        raise
    upload_remove(file)
    return import_result(report, file_name)


def import_refusal(rejected: ImportRejected, file_name: str) -> JobError:
    """A refused workbook as the job's error, with its problems to list (the first ones), each
    also as sheet, row, column, value and reason for the API."""
    lines = rejected.lines()
    details = [
        {"sheet": p.sheet, "row": p.row, "column": p.column, "letter": p.letter,
         "value": p.value, "reason": p.reason, "message": str(p)}
        for p in rejected.problems[:SHOWN_PROBLEMS]
    ]  # fmt: skip
    return JobError(
        f"Tệp bị từ chối: {vn_number(len(lines))} lỗi. "
        f"Chưa có gì của tệp «{file_name}» được ghi vào cơ sở dữ liệu.",
        problems=lines[:SHOWN_PROBLEMS],
        problem_count=len(lines),
        details=details,
    )


def import_result(report: ImportReport, file_name: str, **extra: Any) -> dict[str, Any]:
    """What the job's page shows of an import: done, and the counts per entity."""
    return {"message": f"Đã nhập xong tệp «{file_name}».", "lines": report.lines(), **extra}
