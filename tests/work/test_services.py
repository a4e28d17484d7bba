"""The work record's lifecycle: register, submit, approve, progress, complete, verify, exempt,
lock and reopen — each step audited, each refusal in Vietnamese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.work.helpers import MONTH, YEAR, complete, day, register
from thuocdo.audit.models import AuditEvent
from thuocdo.work import locking, services
from thuocdo.work.models import (
    AssigneeRole,
    ExemptionState,
    MonthLock,
    PlanState,
    TaskSource,
    TaskState,
)


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_a_person_registers_submits_and_the_leader_approves(world, catalogue):
    task = register(world, catalogue)
    plan = task.plan
    assert plan.state == PlanState.DRAFT
    assert task.source == TaskSource.SELF
    assert task.assignees.get().role == AssigneeRole.LEAD
    services.plan_submit(actor=world.users["alice"], plan=plan)
    services.plan_approve(actor=world.users["lena"], plan=plan)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert plan.approved_by == world.users["lena"]
    assert {"work_plan.register", "task.register", "work_plan.submit", "work_plan.approve"} <= set(
        _actions()
    )


def test_the_leader_amends_a_task_when_approving_and_the_amendment_is_audited(world, catalogue):
    task = register(world, catalogue, quantity="2")
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    services.plan_approve(
        actor=world.users["lena"], plan=task.plan, amendments={task.pk: {"quantity": Decimal(3)}}
    )
    task.refresh_from_db()
    assert task.quantity == 3
    event = AuditEvent.objects.get(action="task.amend")
    assert event.before is not None and event.after is not None
    assert event.before["quantity"] == "2.00" and event.after["quantity"] == "3"


def test_the_leader_returns_a_plan_only_with_a_reason(world, catalogue):
    task = register(world, catalogue)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    with pytest.raises(ValidationError):
        services.plan_return(actor=world.users["lena"], plan=task.plan, reason=" ")
    services.plan_return(actor=world.users["lena"], plan=task.plan, reason="Thiếu nhiệm vụ")
    assert task.plan.state == PlanState.RETURNED


def test_a_person_cannot_approve_their_own_plan(world, catalogue):
    task = register(world, catalogue)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=world.users["alice"], plan=task.plan)


def test_an_empty_plan_cannot_be_submitted(world):
    plan = services.plan_register(
        actor=world.users["alice"], person=world.alice, year=2025, month=3
    )
    with pytest.raises(ValidationError, match="chưa có nhiệm vụ"):
        services.plan_submit(actor=world.users["alice"], plan=plan)


def test_a_task_registered_by_the_leader_is_marked_as_assigned(world, catalogue):
    task = services.task_register(
        actor=world.users["lena"],
        person=world.alice,
        year=YEAR,
        month=MONTH,
        title="Rà soát hộ tịch",
        quantity=Decimal(1),
        due_date=day(20),
        product_type=catalogue.letter,
        collaborators=[world.carol],
    )
    assert task.source == TaskSource.LEADER
    assert {a.person_id: a.role for a in task.assignees.all()} == {
        world.alice.pk: AssigneeRole.LEAD,
        world.carol.pk: AssigneeRole.COLLABORATOR,
    }


def test_progress_starts_the_task(world, catalogue):
    task = register(world, catalogue)
    services.task_progress_update(actor=world.users["alice"], task=task, percent=40, note="Tuần 1")
    task.refresh_from_db()
    assert (task.state, task.progress) == (TaskState.IN_PROGRESS, 40)
    assert task.progress_updates.count() == 1


def test_a_completion_on_time_records_no_delay(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=10)
    assert task.state == TaskState.DONE and task.delays == 0


def test_a_completion_after_the_due_date_records_a_delay_automatically(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    assert task.delays == 1


def test_a_completion_needs_some_evidence(world, catalogue):
    task = register(world, catalogue)
    with pytest.raises(ValidationError, match="minh chứng"):
        services.task_complete(
            actor=world.users["alice"], task=task, completed_on=day(5), quantity_done=Decimal(1)
        )


def test_each_failed_review_is_counted_and_sends_the_task_back(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    lena = world.users["lena"]
    with pytest.raises(ValidationError, match="lý do"):
        services.task_verify(actor=lena, task=task, quality_passed=False)
    services.task_verify(actor=lena, task=task, quality_passed=False, reason="Sai số liệu")
    assert (task.state, task.failed_reviews) == (TaskState.IN_PROGRESS, 1)
    complete(world, task, on=14)
    services.task_verify(actor=lena, task=task, quality_passed=False, reason="Vẫn sai")
    complete(world, task, on=15)
    services.task_verify(actor=lena, task=task, quality_passed=True, exceeded=True)
    task.refresh_from_db()
    # Two failed reviews; the late completions count one delay, not three.
    assert (task.state, task.failed_reviews, task.delays, task.exceeded) == (
        TaskState.VERIFIED,
        2,
        1,
        True,
    )
    assert task.verified_by == lena


def test_the_leader_can_count_a_delay_the_clock_did_not_see(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=9)
    services.task_verify(actor=world.users["lena"], task=task, quality_passed=True, late=True)
    assert task.delays == 1


def test_only_a_superior_verifies(world, catalogue):
    task = complete(world, register(world, catalogue))
    for name in ("alice", "tam", "nobody"):
        with pytest.raises(PermissionDenied):
            services.task_verify(actor=world.users[name], task=task, quality_passed=True)
    services.task_verify(actor=world.users["hana"], task=task, quality_passed=True)


def test_an_exemption_confirmed_by_the_leader_is_audited_with_its_reason(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    exemption = services.exemption_request(
        actor=world.users["alice"], task=task, kind="delay", reason="Mất điện cả phường"
    )
    with pytest.raises(PermissionDenied):
        services.exemption_decide(
            actor=world.users["alice"], exemption=exemption, confirm=True, reason="Tự duyệt"
        )
    services.exemption_decide(
        actor=world.users["lena"], exemption=exemption, confirm=True, reason="Có biên bản"
    )
    assert exemption.state == ExemptionState.CONFIRMED
    event = AuditEvent.objects.get(action="exemption.confirm")
    assert event.note == "Có biên bản" and event.actor == world.users["lena"]


def test_an_exemption_refused_is_audited_and_a_reason_is_required(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    exemption = services.exemption_request(
        actor=world.users["alice"], task=task, kind="delay", reason="Ốm"
    )
    with pytest.raises(ValidationError):
        services.exemption_decide(
            actor=world.users["olga"], exemption=exemption, confirm=False, reason=""
        )
    services.exemption_decide(
        actor=world.users["olga"], exemption=exemption, confirm=False, reason="Không có giấy"
    )
    assert exemption.state == ExemptionState.REFUSED
    assert AuditEvent.objects.filter(action="exemption.refuse", note="Không có giấy").exists()


def test_an_exemption_needs_something_to_exempt(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=9)
    with pytest.raises(ValidationError, match="trễ hạn"):
        services.exemption_request(actor=world.users["alice"], task=task, kind="delay", reason="x")
    with pytest.raises(ValidationError, match="chưa đạt"):
        services.exemption_request(actor=world.users["alice"], task=task, kind="error", reason="x")


def test_a_locked_month_refuses_every_change(world, catalogue):
    task = register(world, catalogue)
    done = complete(world, register(world, catalogue, title="Khác"))
    locking.month_lock(
        actor=world.users["olga"], unit=world.q1, year=YEAR, month=MONTH, reason="Đã chấm"
    )
    alice, lena = world.users["alice"], world.users["lena"]
    attempts = [
        lambda: register(world, catalogue),
        lambda: services.plan_submit(actor=alice, plan=task.plan),
        lambda: services.task_progress_update(actor=alice, task=task, percent=10),
        lambda: complete(world, task),
        lambda: services.task_verify(actor=lena, task=done, quality_passed=True),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="đã khóa"):
            attempt()


def test_a_lock_on_another_district_leaves_the_month_open(world, catalogue):
    locking.month_lock(actor=world.users["root"], unit=world.q2, year=YEAR, month=MONTH)
    register(world, catalogue)


def test_reopening_a_month_requires_a_reason_and_is_audited(world, catalogue):
    lock = locking.month_lock(actor=world.users["olga"], unit=world.p1, year=YEAR, month=MONTH)
    with pytest.raises(ValidationError):
        locking.month_reopen(actor=world.users["olga"], lock=lock, reason="")
    with pytest.raises(PermissionDenied):
        locking.month_reopen(actor=world.users["lena"], lock=lock, reason="Sửa")
    locking.month_reopen(actor=world.users["olga"], lock=lock, reason="Sửa sai số liệu")
    assert not MonthLock.objects.exists()
    event = AuditEvent.objects.get(action="month.reopen")
    assert event.note == "Sửa sai số liệu"
    assert event.before is not None and event.before["unit_id"] == world.p1.pk
    register(world, catalogue)


def test_only_organisers_lock_months(world):
    with pytest.raises(PermissionDenied):
        locking.month_lock(actor=world.users["lena"], unit=world.p1, year=YEAR, month=MONTH)


def test_a_person_adds_tasks_to_a_submitted_plan_only_through_the_leader(world, catalogue):
    task = register(world, catalogue)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    with pytest.raises(ValidationError, match="đã gửi duyệt"):
        register(world, catalogue, title="Thêm")
    services.task_register(
        actor=world.users["lena"],
        person=world.alice,
        year=YEAR,
        month=MONTH,
        title="Phát sinh",
        quantity=Decimal(1),
        due_date=day(25),
    )
    assert task.plan.tasks.count() == 2


def test_nobody_registers_tasks_for_someone_they_do_not_oversee(world, catalogue):
    with pytest.raises(PermissionDenied):
        services.task_register(
            actor=world.users["alice"],
            person=world.carol,
            year=YEAR,
            month=MONTH,
            title="x",
            quantity=Decimal(1),
            due_date=day(5),
        )
