"""The work record under concurrent requests (issue 14, finding 4): many verdicts on one
completion, sent at once, leave exactly one verdict, its audit event and a consistent count
of failed reviews; two approvals of one plan approve it once. PostgreSQL only."""

from __future__ import annotations

import pytest

from tests.race import postgres_only, race
from tests.work.helpers import complete, register
from thuocdo.audit.models import AuditEvent
from thuocdo.work import services
from thuocdo.work.models import PlanState, Task, TaskState, WorkPlan

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
