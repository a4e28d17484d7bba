"""Reads of the organiser's page «Khóa sổ tháng»: the locks in force for a month, and the
history of its closings and reopenings from the audit trail, each in what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from thuocdo.audit.models import AuditEvent
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.work.models import MonthLock
from thuocdo.work.permissions import lock_units_q, month_locks_visible

LOCK, REOPEN = "month.lock", "month.reopen"
ACTIONS = {LOCK: "Khóa sổ", REOPEN: "Mở lại tháng"}
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class LockRow:
    """A lock in force, and whether the user may reopen it."""

    lock: MonthLock
    can_reopen: bool


@dataclass(frozen=True)
class LockEvent:
    """One closing or reopening of the month, as the audit trail recorded it."""

    at: datetime.datetime
    who: str
    action: str
    unit: str
    reason: str


def month_lock_list(*, actor: Any, year: int, month: int) -> list[LockRow]:
    """The locks of the month the actor sees, in tree order, each with whether they may
    reopen it."""
    locks = list(
        month_locks_visible(actor)
        .filter(year=year, month=month)
        .select_related("unit", "locked_by__person")
        .order_by("unit__path")
    )
    writable = set(
        Unit.objects.filter(
            units_write_q(scope_for(actor)), pk__in=[lock.unit_id for lock in locks]
        ).values_list("pk", flat=True)
    )
    return [LockRow(lock, lock.unit_id in writable) for lock in locks]


def _user_name(user: Any) -> str:
    if user is None:
        return "Hệ thống"
    person = getattr(user, "person", None)
    return person.full_name if person is not None else str(user.username)


def month_lock_history(*, actor: Any, year: int, month: int) -> list[LockEvent]:
    """The month's closings and reopenings on the units whose locks the actor sees, newest
    first, with who did it and why (the reason is the audit event's note)."""
    events = list(
        AuditEvent.objects.filter(
            Q(action=LOCK, after__year=year, after__month=month)
            | Q(action=REOPEN, before__year=year, before__month=month)
        )
        .select_related("actor__person")
        .order_by("-at", "-id")[: HISTORY_LIMIT * 4]
    )

    def unit_of(event: AuditEvent) -> int | None:
        data = event.after if event.action == LOCK else event.before
        value = (data or {}).get("unit_id")
        return value if isinstance(value, int) else None

    ids = {pk for pk in map(unit_of, events) if pk is not None}
    # The units whose locks the actor sees (a unit since deleted is nobody's to see).
    names = dict(
        Unit.objects.filter(lock_units_q(scope_for(actor)), pk__in=ids).values_list("pk", "name")
    )
    return [
        LockEvent(
            at=event.at,
            who=_user_name(event.actor),
            action=ACTIONS[event.action],
            unit=names[pk],
            reason=event.note,
        )
        for event in events
        if (pk := unit_of(event)) is not None and pk in names
    ][:HISTORY_LIMIT]
