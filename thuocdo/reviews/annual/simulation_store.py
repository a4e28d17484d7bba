"""Mô phỏng of a large year as a background job: who may simulate, when the page computes in
the request and when it starts a job (more than WHAT_IF_INLINE_MAX evaluations), and the
simulation stored as the job's result and read back for its page and the API, and its Excel
workbook, built by the job and stored as its file (thuocdo/jobs/files.py).

The stored form is compact (a city's year changes the level of some 30,000 subjects): counts
as lists in the order of COLUMNS, each change as a list whose texts are indexes into one table
of strings (a unit, a group, a rule's reason repeat thousands of times).
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from thuocdo.jobs.models import Job, JobFile, JobState
from thuocdo.reviews.annual.permissions import can_organise
from thuocdo.reviews.annual.simulation import COLUMNS, Change, CountsRow, WhatIf
from thuocdo.reviews.models import Evaluation, Period, PeriodKind
from thuocdo.reviews.monthly import selectors

WHAT_IF = "reviews.what_if"
WHAT_IF_XLSX = "reviews.what_if_xlsx"  # the purpose of the job's file: its Excel workbook
RESULT = "ket-qua"  # the query parameter naming the job whose stored result a page shows
STORED_FORMAT = 1


def access_what_if(actor: Any, period_id: int) -> Period:
    """The year the actor may simulate: 404 out of scope, 403 to who sees it but does not
    organise it."""
    period = selectors.access_period(actor, period_id)
    if period.kind != PeriodKind.YEAR or not can_organise(actor, period):
        raise PermissionDenied("Chỉ Ban Tổ chức của kỳ đánh giá năm được mô phỏng.")
    return period


def what_if_in_background(period: Period) -> bool:
    """Whether the year is too large to simulate inside a request."""
    limit: int = settings.WHAT_IF_INLINE_MAX
    return Evaluation.objects.filter(period=period).count() > limit


def what_if_pack(result: WhatIf) -> dict[str, Any]:
    """The simulation as compact JSON, to keep as a job's result."""
    strings: dict[str, int] = {}

    def text(value: str) -> int:
        return strings.setdefault(value, len(strings))

    def row(r: CountsRow) -> list[Any]:
        return [r.name, r.cells("before"), r.cells("after")]

    changes = [
        [c.evaluation_id, text(c.subject), text(c.unit), text(c.group), text(c.before),
         text(c.after), text(c.rule), text(c.source), text(c.reason), int(c.confirmed),
         text(c.before_rule)]
        for c in result.changes
    ]  # fmt: skip
    return {
        "format": STORED_FORMAT,
        "period": result.period.pk,
        "scenario": result.scenario,
        "total": row(result.total),
        "by_unit": [row(r) for r in result.by_unit],
        "by_group": [row(r) for r in result.by_group],
        "strings": list(strings),  # in the order of their indexes
        "changes": changes,
        "left_out": result.left_out,
    }


def what_if_unpack(period: Period, data: dict[str, Any]) -> WhatIf:
    """A simulation stored by `what_if_pack`, as the page and the Excel workbook read it."""
    strings: list[str] = data["strings"]

    def row(values: list[Any]) -> CountsRow:
        name, before, after = values
        return CountsRow(
            name,
            Counter({c: n for c, n in zip(COLUMNS, before, strict=True) if n}),
            Counter({c: n for c, n in zip(COLUMNS, after, strict=True) if n}),
        )

    changes = [
        Change(evaluation_id=pk, subject=strings[subject], unit=strings[unit],
               group=strings[group], before=strings[before], after=strings[after],
               rule=strings[rule], source=strings[source], reason=strings[reason],
               confirmed=bool(confirmed), before_rule=strings[before_rule])
        for pk, subject, unit, group, before, after, rule, source, reason, confirmed,
        before_rule in data["changes"]
    ]  # fmt: skip
    return WhatIf(
        period=period,
        scenario=data["scenario"],
        total=row(data["total"]),
        by_unit=[row(r) for r in data["by_unit"]],
        by_group=[row(r) for r in data["by_group"]],
        changes=changes,
        left_out=list(data["left_out"]),
        proposal=None,
    )


def what_if_job(*, actor: Any, period: Period, job_id: Any) -> Job:
    """A simulation job of the period started by the actor; 404 for anyone else's, another
    period's, an unknown one, as for a missing one."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        raise Http404("Không tìm thấy kết quả mô phỏng.") from None
    job = Job.objects.filter(pk=pk, kind=WHAT_IF, created_by_id=actor.pk).first()
    if job is None or job.params.get("period_id") != period.pk:
        raise Http404("Không tìm thấy kết quả mô phỏng.")
    return job


def what_if_stored(*, actor: Any, period: Period, job_id: Any) -> WhatIf:
    """The stored result of the actor's finished simulation job of the period (404 otherwise:
    not theirs, not this period's, not finished)."""
    job = what_if_job(actor=actor, period=period, job_id=job_id)
    stored = (job.result or {}).get("what_if") if job.state == JobState.DONE else None
    if not isinstance(stored, dict) or stored.get("format") != STORED_FORMAT:
        raise Http404("Không tìm thấy kết quả mô phỏng.")
    return what_if_unpack(period, stored)


def what_if_file_name(period: Period) -> str:
    """The download name of a simulation's workbook."""
    return f"mo-phong-ky-{period.pk}.xlsx"


def what_if_file(*, actor: Any, period: Period, job_id: Any) -> JobFile | None:
    """The Excel workbook the actor's finished simulation job of the period stored (404 as
    `what_if_job`); None if it has none (a job from before workbooks were stored)."""
    job = what_if_job(actor=actor, period=period, job_id=job_id)
    if job.state != JobState.DONE:
        raise Http404("Không tìm thấy kết quả mô phỏng.")
    return JobFile.objects.filter(job=job, purpose=WHAT_IF_XLSX, destroyed_at__isnull=True).first()
