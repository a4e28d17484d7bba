"""The rows the work record writes, as plain slotted records, and how they are written
(`thuocdo.demo.bulk`: COPY on PostgreSQL; `bulk_create` is minutes at 200,000 people).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import attrgetter

from django.db import models

from thuocdo.demo.bulk import next_id, rows_insert, sequences_reset
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
    quantity: int  # whole units: written as such, the column is a decimal
    due_date: datetime.date
    source: str
    state: str = TaskState.PLANNED
    progress: int = 0
    completed_on: datetime.date | None = None
    quantity_done: int | None = None
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
    """Insert rows (objects with an attribute per column), with the same constant values in
    every row, through `rows_insert` (COPY on PostgreSQL)."""
    if not rows:
        return
    assert len(columns) > 1, "attrgetter of one name gives a value, not a tuple"
    constants = constants or {}
    fixed = tuple(constants.values())
    get = attrgetter(*columns)
    rows_insert(model, [*columns, *constants], ((*get(row), *fixed) for row in rows))


_next_id = next_id
_sequences_reset = sequences_reset


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
