"""The work record under concurrent requests (issue 14, finding 4): many verdicts on one
completion, sent at once, leave exactly one verdict, its audit event and a consistent count
of failed reviews; two approvals of one plan approve it once; a month closed while its work
is being saved never ends up with a change inside the closed month. PostgreSQL only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.race import postgres_only, race, while_held
from tests.work.helpers import MONTH, YEAR, complete, register
from thuocdo.audit.models import AuditEvent
from thuocdo.work import locking, services
from thuocdo.work.models import MonthLock, PlanState, Task, TaskState, WorkPlan

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]


def test_concurrent_verdicts_on_one_completion_leave_one(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=9)
    lena = world.users["lena"]

    def verify(i: int) -> None:
        passed = i % 2 == 0
        services.task_verify(
            actor=lena,
            task=Task.objects.select_related("plan__person").get(pk=task.pk),
            quality_passed=passed,
            reason="" if passed else "Số liệu chưa khớp",
        )

    outcomes = race(16, verify)
    assert outcomes == {"done": 1, "refused": 15}
    task.refresh_from_db()
    assert (task.state, task.failed_reviews) in (
        (TaskState.VERIFIED, 0),
        (TaskState.IN_PROGRESS, 1),
    )
    assert AuditEvent.objects.filter(action="task.verify").count() == 1


def test_a_plan_approved_twice_at_once_is_approved_once(world, catalogue):
    task = register(world, catalogue)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    pk = task.plan_id

    def approve(i: int) -> None:
        plan = WorkPlan.objects.select_related("person").get(pk=pk)
        services.plan_approve(actor=world.users["lena"], plan=plan, note=f"Duyệt {i}")

    assert race(8, approve) == {"done": 1, "refused": 7}
    assert WorkPlan.objects.get(pk=pk).state == PlanState.APPROVED
    assert AuditEvent.objects.filter(action="work_plan.approve").count() == 1


# Closing a month against the saves of that month (thuocdo/work/locking.py): each pair runs on
# two connections, the first kept open while the second starts.


def _progress(world, task: Task, percent: int):
    def save() -> None:
        fresh = Task.objects.select_related("plan__person").get(pk=task.pk)
        services.task_progress_update(actor=world.users["alice"], task=fresh, percent=percent)

    return save


def _close(world, unit, user: str = "olga"):
    def close() -> None:
        locking.month_lock(actor=world.users[user], unit=unit, year=YEAR, month=MONTH)

    return close


def test_a_lock_waits_for_a_save_of_its_month_already_under_way(world, catalogue):
    task = register(world, catalogue)
    first, second, waited = while_held(_progress(world, task, 40), _close(world, world.p1))
    assert (first, second, waited) == ("done", "done", True)
    # The save committed before the lock: the locked month holds it, and nothing after it.
    task.refresh_from_db()
    assert task.progress == 40
    save = AuditEvent.objects.get(action="task.progress")
    lock = AuditEvent.objects.get(action="month.lock")
    assert save.at <= lock.at


def test_a_save_waits_for_a_lock_being_written_and_is_then_refused(world, catalogue):
    task = register(world, catalogue)
    first, second, waited = while_held(_close(world, world.q1), _progress(world, task, 60))
    assert (first, second, waited) == ("done", "refused", True)
    task.refresh_from_db()
    assert task.progress == 0
    assert not AuditEvent.objects.filter(action="task.progress").exists()


def test_a_new_task_waits_for_the_lock_and_is_refused(world, catalogue):
    first, second, waited = while_held(
        _close(world, world.city, "root"), lambda: register(world, catalogue)
    )
    assert (first, second, waited) == ("done", "refused", True)
    assert not Task.objects.exists()
    assert not WorkPlan.objects.exists()


def test_a_save_of_another_month_does_not_wait_for_the_lock(world, catalogue):
    other = services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=YEAR,
        month=MONTH + 1,
        title="Tháng sau",
        quantity=Decimal(1),
        due_date=datetime.date(YEAR, MONTH + 1, 10),
    )
    first, second, waited = while_held(
        _close(world, world.p1), _progress(world, other, 30), wait=5.0
    )
    assert (first, second, waited) == ("done", "done", False)


def test_a_month_locked_twice_at_once_is_locked_once(world):
    assert race(4, lambda i: _close(world, world.p1)()) == {"done": 1, "refused": 3}
    assert MonthLock.objects.count() == 1
    assert AuditEvent.objects.filter(action="month.lock").count() == 1


def test_a_month_reopened_twice_at_once_is_reopened_once(world):
    lock = locking.month_lock(actor=world.users["olga"], unit=world.p1, year=YEAR, month=MONTH)

    def reopen(i: int) -> None:
        locking.month_reopen(actor=world.users["olga"], lock=lock, reason=f"Sửa lần {i}")

    assert race(4, reopen) == {"done": 1, "refused": 3}
    assert not MonthLock.objects.exists()
    assert AuditEvent.objects.filter(action="month.reopen").count() == 1
