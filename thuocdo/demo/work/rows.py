"""The rows the work record writes, as plain slotted records, and the one `executemany` that
writes them (`bulk_create` is minutes at 200,000 people).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from thuocdo.demo.registry import BATCH
from thuocdo.work.models import TaskState


@dataclass(slots=True)
class _PlanRow:
    """A work plan as the row written."""

    id: int
    person_id: int
    year: int
    month: int
    state: str
    note: str
    submitted_at: datetime.datetime | None = None
    approved_by_id: int | None = None
    approved_at: datetime.datetime | None = None


@dataclass(slots=True)
class _TaskRow:
    """A task as the row written; changed in place as the demo takes it to its outcome."""

    id: int
    plan_id: int
    product_type_id: int
    title: str
    quantity: Decimal
    due_date: datetime.date
    source: str
    state: str = TaskState.PLANNED
    progress: int = 0
    completed_on: datetime.date | None = None
    quantity_done: Decimal | None = None
    evidence_note: str = ""
    evidence_number: str = ""
    quality_passed: bool | None = None
    exceeded: bool = False
    delays: int = 0
    failed_reviews: int = 0
    auto_delay: bool = False
    verified_by_id: int | None = None
    verified_at: datetime.datetime | None = None
    review_note: str = ""


@dataclass(slots=True)
class _ExemptionRow:
    """An objective-cause request as the row written."""

    task_id: int
    kind: str
    reason: str
    requested_by_id: int | None
    requested_at: datetime.datetime
    state: str
    decided_by_id: int | None = None
    decided_at: datetime.datetime | None = None
    decision_reason: str = ""


@dataclass(slots=True)
class _ProgressRow:
    """A progress update as the row written."""

    task_id: int
    percent: int
    note: str
    recorded_by_id: int | None
    recorded_at: datetime.datetime


@dataclass(slots=True)
class _LeadRow:
    """The lead assignee of a task, as every task registered through the services has."""

    task_id: int
    person_id: int


PLAN_COLUMNS = [f.name for f in fields(_PlanRow)]
TASK_COLUMNS = [f.name for f in fields(_TaskRow)]
EXEMPTION_COLUMNS = [f.name for f in fields(_ExemptionRow)]
PROGRESS_COLUMNS = [f.name for f in fields(_ProgressRow)]
LEAD_COLUMNS = [f.name for f in fields(_LeadRow)]


def _insert(
    model: type[models.Model],
    rows: Sequence[object],
    columns: Sequence[str],
    constants: Mapping[str, object] | None = None,
) -> None:
    """Insert rows (objects with an attribute per column) in one `executemany`.

    `bulk_create` spends most of its time preparing each value of each model instance; at
    200,000 people (1,4 million tasks) that is minutes. The values here are already what the
    database takes, except aware times, which SQLite wants as naive UTC text.
    """
    if not rows:
        return
    assert len(columns) > 1, "attrgetter of one name gives a value, not a tuple"
    constants = constants or {}
    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields} | {
        f.name: f for f in meta.concrete_fields
    }
    db_fields = [by_name[name] for name in [*columns, *constants]]
    adapt = connection.ops.adapt_datetimefield_value
    timed = [
        n
        for n, f in enumerate(db_fields[: len(columns)])
        if f.get_internal_type() == "DateTimeField"
    ]
    fixed = tuple(adapt(v) if isinstance(v, datetime.datetime) else v for v in constants.values())
    get = attrgetter(*columns)
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value: tuple[Any, ...] = get(row)
        if timed:
            items = list(value)
            for n in timed:
                items[n] = adapt(items[n])
            value = tuple(items)
        values.append((*value, *fixed))
    quote = connection.ops.quote_name
    # Names come from the model's metadata; every value is a query parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(quote(str(f.column)) for f in db_fields),
        ", ".join(["%s"] * len(db_fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH * 5):
            cursor.executemany(sql, values[start : start + BATCH * 5])


def _next_id(model: type[models.Model]) -> int:
    """The first free primary key of a table (the demo writes its ids itself)."""
    top = model._default_manager.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def _sequences_reset(*models_: type[models.Model]) -> None:
    """Move the id sequences past the ids written (PostgreSQL; SQLite follows by itself)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(sql)


@dataclass(slots=True)
class _LinkRow:
    """A post's job position, as the row written."""

    post_id: int
    job_position_id: int


@dataclass(slots=True)
class _AssessmentRow:
    """A self-assessment or a leader's scoring of the general criteria, as the row written."""

    person_id: int
    source: str
    general: Decimal
    note: str
    by_id: int


@dataclass
class _Rows:
    """What one chunk of people writes."""

    plans: list[_PlanRow] = field(default_factory=list)
    tasks: list[_TaskRow] = field(default_factory=list)
    leads: list[_LeadRow] = field(default_factory=list)
    exemptions: list[_ExemptionRow] = field(default_factory=list)
    updates: list[_ProgressRow] = field(default_factory=list)
