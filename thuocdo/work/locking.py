"""Closing a month (khóa sổ tháng) for a unit's subtree, and reopening it with a reason.

A lock and a save of the month's work must not both succeed with the save landing inside the
locked month. Every save reads the locks only after taking the month's gate in shared mode
(`month_gate`: `month_open_check`, `period_guard`); locking and reopening take it exclusively
before they check and write. So a lock waits for the saves of its month already under way,
which commit before it, and a save that comes while a lock is being written waits for it and
then sees it. The gate is a PostgreSQL advisory lock held to the end of the transaction: no
row is written to take it, saves of one month never wait on one another, and the month close
of a whole city takes it once. SQLite runs one writing transaction at a time (settings.py:
IMMEDIATE), which gives the same order.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, today, units_write_q
from thuocdo.work.models import MonthLock

# The first key of the advisory lock of a month (the second is year × 100 + month): "TDML".
GATE_CLASS = 0x54444D4C
REFUSED = "Chỉ Ban Tổ chức phụ trách đơn vị được khóa sổ hoặc mở lại tháng."


def month_gate(year: int, month: int, *, exclusive: bool = False) -> None:
    """Hold the month's gate until the end of the transaction: shared to read the locks
    before a save, exclusive to lock or reopen the month (PostgreSQL; see the module)."""
    if connection.vendor != "postgresql":
        return
    how = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {how}(%s, %s)", [GATE_CLASS, year * 100 + month])


def month_label(year: int, month: int) -> str:
    """ "11/2026"."""
    return f"{month:02d}/{year}"


def lock_refusal(lock: MonthLock) -> str:
    """Why a change is refused in a locked month, who to ask, in one sentence or two."""
    why = f" Lý do khóa sổ: {lock.reason}." if lock.reason else ""
    return (
        f"Tháng {month_label(lock.year, lock.month)} của {lock.unit.name} đã khóa sổ, không thể "
        f"thay đổi.{why} Đề nghị Ban Tổ chức mở lại tháng nếu cần sửa."
    )


def may_lock_months(actor: Any) -> bool:
    """Organisers (of some subtree) and administrators close and reopen months."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.write_paths)


def _require_unit_writer(actor: Any, unit: Unit) -> None:
    if not Unit.objects.filter(units_write_q(scope_for(actor)), pk=unit.pk).exists():
        raise PermissionDenied(REFUSED)


def lock_over(unit: Unit, year: int, month: int) -> MonthLock | None:
    """The lock of the month on the unit or on one of its ancestors, the highest first."""
    ancestors = [int(seg) for seg in unit.path.strip("/").split("/") if seg]
    found = MonthLock.objects.filter(unit_id__in=ancestors, year=year, month=month)
    return min(found.select_related("unit"), key=lambda lock: len(lock.unit.path), default=None)


def month_lock_check(unit: Unit, year: int, month: int, at: datetime.date) -> None:
    """Refuse a month that cannot be locked for the unit: not a month, not over yet, or
    already locked there or above."""
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError(f"Tháng {month}/{year} không hợp lệ: tháng từ 1 đến 12, năm có 4 số.")
    when = month_label(year, month)
    if (year, month) >= (at.year, at.month):
        raise ValidationError(
            f"Tháng {when} chưa kết thúc: chỉ khóa sổ một tháng đã qua, để mọi người còn cập nhật "
            "công việc, tự đánh giá và được chấm điểm đến hết tháng."
        )
    above = lock_over(unit, year, month)
    if above is not None:
        who = "" if above.unit_id == unit.pk else f" (khóa sổ cho {above.unit.name})"
        raise ValidationError(f"Tháng {when} của {unit.name} đã khóa sổ{who}.")


@transaction.atomic
def month_lock(*, actor: Any, unit: Unit, year: int, month: int, reason: str = "") -> MonthLock:
    """Close a month for a unit's subtree: its work record can no longer change."""
    _require_unit_writer(actor, unit)
    month_gate(year, month, exclusive=True)
    month_lock_check(unit, year, month, today())
    lock = MonthLock(unit=unit, year=year, month=month, locked_by=actor, reason=reason.strip())
    lock.full_clean()
    lock.save()
    audit_record(actor=actor, action="month.lock", obj=lock, after=snapshot(lock), note=lock.reason)
    return lock


@transaction.atomic
def month_reopen(*, actor: Any, lock: MonthLock, reason: str) -> None:
    """Reopen a locked month; the reason is required and kept in the audit trail."""
    _require_unit_writer(actor, lock.unit)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Cần ghi lý do mở lại tháng.")
    month_gate(lock.year, lock.month, exclusive=True)
    # Read again under the gate: a second reopening of the same lock finds it gone.
    current = MonthLock.objects.filter(pk=lock.pk).first()
    if current is None:
        raise ValidationError(
            f"Tháng {month_label(lock.year, lock.month)} của {lock.unit.name} đã được mở lại."
        )
    audit_record(
        actor=actor, action="month.reopen", obj=current, before=snapshot(current), note=reason
    )
    current.delete()
