"""Closing and reopening a month (thuocdo/work/locking.py): only a month that is over, once
over a unit and its subtree, every refusal in Vietnamese with nothing changed, every change
audited with its reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.work.helpers import MONTH, YEAR, register
from thuocdo.audit.models import AuditEvent
from thuocdo.org.scope import today
from thuocdo.work import locking
from thuocdo.work.models import MonthLock


def _lock(world, unit_name: str, user: str = "olga", **kw):
    unit = getattr(world, unit_name)
    return locking.month_lock(actor=world.users[user], unit=unit, year=YEAR, month=MONTH, **kw)


def test_a_month_is_locked_over_a_unit_with_its_reason_audited(world):
    lock = _lock(world, "p1", reason="  Đã chấm xong  ")
    assert (lock.unit, lock.year, lock.month, lock.reason) == (
        world.p1,
        YEAR,
        MONTH,
        "Đã chấm xong",
    )
    event = AuditEvent.objects.get(action="month.lock")
    assert event.note == "Đã chấm xong"
    assert event.after is not None
    assert (event.after["unit_id"], event.after["year"], event.after["month"]) == (
        world.p1.pk,
        YEAR,
        MONTH,
    )


@pytest.mark.parametrize("ahead", [0, 1, 14])
def test_a_month_not_over_yet_is_refused(world, ahead):
    at = today()
    number = at.year * 12 + at.month - 1 + ahead
    year, month = divmod(number, 12)
    with pytest.raises(ValidationError, match=f"Tháng {month + 1:02d}/{year} chưa kết thúc"):
        locking.month_lock(actor=world.users["olga"], unit=world.p1, year=year, month=month + 1)
    assert not MonthLock.objects.exists()
    assert not AuditEvent.objects.filter(action="month.lock").exists()


@pytest.mark.parametrize(("first", "then"), [("p1", "p1"), ("q1", "p1"), ("q1", "cell")])
def test_a_month_locked_there_or_above_is_refused(world, first, then):
    _lock(world, first)
    unit = getattr(world, then)
    above = "" if first == then else f" (khóa sổ cho {getattr(world, first).name})"
    with pytest.raises(ValidationError) as refused:
        _lock(world, then)
    assert refused.value.messages == [
        f"Tháng {MONTH:02d}/{YEAR} của {unit.name} đã khóa sổ{above}."
    ]
    assert MonthLock.objects.count() == 1


def test_a_unit_above_a_locked_one_may_still_be_locked(world):
    _lock(world, "p1")
    _lock(world, "q1")
    assert set(MonthLock.objects.values_list("unit__code", flat=True)) == {"P1", "Q1"}


def test_a_month_that_is_no_month_is_refused_in_words(world):
    with pytest.raises(ValidationError, match="Tháng 13/2025 không hợp lệ"):
        locking.month_lock(actor=world.users["olga"], unit=world.p1, year=2025, month=13)


def test_only_the_organiser_of_the_unit_locks_or_reopens(world):
    with pytest.raises(PermissionDenied):
        _lock(world, "p1", user="hana")  # the head of Q1 does not organise it
    with pytest.raises(PermissionDenied):
        _lock(world, "p2")  # olga organises Q1, not Q2
    lock = _lock(world, "p2", user="root")
    with pytest.raises(PermissionDenied):
        locking.month_reopen(actor=world.users["olga"], lock=lock, reason="Sửa")
    assert MonthLock.objects.count() == 1


def test_reopening_needs_a_reason_and_happens_once(world, catalogue):
    lock = _lock(world, "p1")
    with pytest.raises(ValidationError, match="Cần ghi lý do mở lại tháng"):
        locking.month_reopen(actor=world.users["olga"], lock=lock, reason="   ")
    assert MonthLock.objects.count() == 1
    locking.month_reopen(actor=world.users["olga"], lock=lock, reason="Bổ sung minh chứng")
    with pytest.raises(ValidationError, match="đã được mở lại"):
        locking.month_reopen(actor=world.users["olga"], lock=lock, reason="Lần nữa")
    assert AuditEvent.objects.filter(action="month.reopen").count() == 1
    register(world, catalogue)  # the month takes changes again


def test_a_refused_change_names_the_month_the_unit_and_the_reason(world, catalogue):
    _lock(world, "q1", reason="Đã chấm xong")
    with pytest.raises(ValidationError) as refused:
        register(world, catalogue)
    assert refused.value.messages == [
        f"Tháng {MONTH:02d}/{YEAR} của Quận Một đã khóa sổ, không thể thay đổi. Lý do khóa sổ: "
        "Đã chấm xong. Đề nghị Ban Tổ chức mở lại tháng nếu cần sửa."
    ]


def test_who_may_lock_months(world):
    assert locking.may_lock_months(world.users["olga"])
    assert locking.may_lock_months(world.users["root"])
    assert not any(
        locking.may_lock_months(world.users[name]) for name in ("alice", "lena", "hana", "tam")
    )
