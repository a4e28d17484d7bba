"""Today's work in the work record: the person's own month, and what waits for their direct
leader (and for the head, for the unit's deputies), never for someone out of reach."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import PASSWORD
from thuocdo.org import services as org
from thuocdo.org.scope import today
from thuocdo.web.todo import TodoItem
from thuocdo.work import services
from thuocdo.work.models import Task
from thuocdo.work.todo import direct_people, todo_for

AT = today()


def _counts(user: Any) -> dict[str, int]:
    return {item.key: item.count for item in todo_for(user)}


def _item(user: Any, key: str) -> TodoItem:
    return next(item for item in todo_for(user) if item.key == key)


def _task(world: Any, person: Any = None, *, due: datetime.date | None = None) -> Task:
    """A task of this month, registered by its person's leader (Lena) or by Alice."""
    person = person or world.alice
    actor = world.users["alice"] if person == world.alice else world.users["lena"]
    return services.task_register(
        actor=actor,
        person=person,
        year=AT.year,
        month=AT.month,
        title="Báo cáo tổng hợp",
        quantity=Decimal(1),
        due_date=due or AT + datetime.timedelta(days=10),
    )


def _done(world: Any, task: Task) -> Task:
    actor = world.users["alice"] if task.plan.person == world.alice else world.users["lena"]
    return services.task_complete(
        actor=actor,
        task=task,
        completed_on=AT,
        quantity_done=Decimal(1),
        evidence_number="15/BC-UBND",
    )


def test_a_person_with_no_task_this_month_is_asked_to_register(world):
    item = _item(world.users["alice"], "work.plan-to-register")
    assert item.text == f"Chưa đăng ký nhiệm vụ tháng {AT:%m/%Y}"
    assert item.url == "/thang-cua-toi/"


def test_a_draft_plan_is_to_be_sent_and_a_returned_one_to_be_sent_again(world):
    task = _task(world)
    assert "work.plan-to-submit" in _counts(world.users["alice"])
    plan = services.plan_submit(actor=world.users["alice"], plan=task.plan)
    assert not {"work.plan-to-submit", "work.plan-to-register"} & set(_counts(world.users["alice"]))
    services.plan_return(actor=world.users["lena"], plan=plan, reason="Thiếu nhiệm vụ trọng tâm")
    item = _item(world.users["alice"], "work.plan-returned")
    assert item.text == f"Kế hoạch tháng {AT:%m/%Y} bị trả lại: sửa và gửi duyệt lại"


def test_overdue_and_soon_due_tasks_are_counted_and_done_ones_are_not(world):
    late = _task(world)
    soon = _task(world)
    _task(world)  # due in ten days: nothing yet
    finished = _task(world)
    Task.objects.filter(pk__in=[late.pk, finished.pk]).update(
        due_date=AT - datetime.timedelta(days=2)
    )
    Task.objects.filter(pk=soon.pk).update(due_date=AT + datetime.timedelta(days=1))
    _done(world, finished)
    counts = _counts(world.users["alice"])
    assert counts["work.tasks-overdue"] == 1
    assert counts["work.tasks-due-soon"] == 1
    assert _item(world.users["alice"], "work.tasks-overdue").urgent


def test_the_leader_sees_plans_completions_and_exemptions_of_the_people_he_leads(world):
    alice_task = _task(world)
    late = _task(world)
    carol_task = _task(world, world.carol)
    services.plan_submit(actor=world.users["alice"], plan=alice_task.plan)
    _done(world, alice_task)
    Task.objects.filter(pk=late.pk).update(due_date=AT - datetime.timedelta(days=1))
    late.refresh_from_db()
    services.exemption_request(
        actor=world.users["alice"], task=late, kind="delay", reason="Mất điện cả tuần"
    )
    _done(world, carol_task)
    counts = _counts(world.users["lena"])
    assert counts["work.plans-to-approve"] == 1
    assert counts["work.completions-to-verify"] == 2
    assert counts["work.exemptions-to-decide"] == 1
    item = _item(world.users["lena"], "work.plans-to-approve")
    assert item.text == f"1 kế hoạch tháng {AT:%m/%Y} chờ duyệt"
    assert item.url == "/don-vi-cua-toi/#ke-hoach"
    services.task_verify(actor=world.users["lena"], task=alice_task, quality_passed=True)
    assert _counts(world.users["lena"])["work.completions-to-verify"] == 1


def test_the_organiser_and_the_head_of_the_district_are_not_asked_for_a_wards_plans(world):
    task = _task(world)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    assert "work.plans-to-approve" not in _counts(world.users["olga"])
    assert "work.plans-to-approve" not in _counts(world.users["hana"])
    assert "work.plans-to-approve" not in _counts(world.users["root"])


def test_the_head_leads_the_deputies_of_the_unit_he_heads(world):
    deputy_user = org.user_create(actor=None, username="quan", password=PASSWORD)
    deputy = org.person_create(
        None,
        code="CB-Q",
        full_name="Đặng Minh Quân",
        birth_date=datetime.date(1978, 1, 1),
        gender="male",
        category="cadre",
        user=deputy_user,
    )
    org.post_create(
        None,
        person=deputy,
        unit=world.q1,
        title="Phó Chủ tịch UBND quận",
        is_deputy=True,
        start_date=datetime.date(2020, 1, 1),
    )
    assert set(direct_people(world.users["hana"])) == {deputy}
    task = services.task_register(
        actor=deputy_user,
        person=deputy,
        year=AT.year,
        month=AT.month,
        title="Chỉ đạo chuyển đổi số",
        quantity=Decimal(1),
        due_date=AT + datetime.timedelta(days=10),
    )
    services.plan_submit(actor=deputy_user, plan=task.plan)
    assert _counts(world.users["hana"])["work.plans-to-approve"] == 1


def test_a_leader_in_the_sibling_district_sees_none_of_it(world):
    pat = org.user_create(actor=None, username="pat", password=PASSWORD)
    org.role_assign(actor=None, user=pat, role="leader", unit=world.p2)
    task = _task(world)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    _done(world, task)
    assert set(direct_people(pat)) == {world.bob}
    assert todo_for(pat) == []


@pytest.mark.parametrize("username", ["nobody", "tam"])
def test_someone_with_no_month_of_their_own_and_no_one_to_lead_has_nothing(world, username):
    assert todo_for(world.users[username]) == []


def test_the_counts_take_a_few_queries_whatever_the_number_of_people(
    world, django_assert_max_num_queries
):
    lena = world.users["lena"]
    for person in (world.alice, world.carol):
        _done(world, _task(world, person))
    todo_for(lena)  # resolves and caches the scope
    # 7: one of them reads the locks of the months of the work waiting (none is locked).
    with django_assert_max_num_queries(7):
        todo_for(lena)
    for k in range(3):
        person = org.person_create(
            None,
            code=f"CB-N{k}",
            full_name=f"Ngô Văn Nam {k}",
            birth_date=datetime.date(1990, 1, 1),
            gender="male",
            category="civil_servant",
        )
        org.post_create(
            None, person=person, unit=world.p1, title="Công chức", start_date=AT.replace(day=1)
        )
        _done(world, _task(world, person))
    with django_assert_max_num_queries(7):
        assert _counts(lena)["work.completions-to-verify"] == 5


def test_nothing_of_a_locked_month_waits_for_the_leader(world):
    from tests.work.helpers import MONTH, YEAR, day
    from thuocdo.work.locking import month_lock

    def past(title: str, person: Any) -> Task:
        actor = world.users["alice"] if person == world.alice else world.users["lena"]
        return services.task_register(
            actor=actor,
            person=person,
            year=YEAR,
            month=MONTH,
            title=title,
            quantity=Decimal(1),
            due_date=day(20),
        )

    task = past("Báo cáo tháng", world.alice)
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=day(18),
        quantity_done=Decimal(1),
        evidence_number="1/BC",
    )
    services.plan_submit(actor=world.users["alice"], plan=past("Việc khác", world.alice).plan)
    _done(world, _task(world, world.carol))  # this month's: still owed
    lena = world.users["lena"]
    before = _counts(lena)
    assert before["work.completions-to-verify"] == 2
    assert before["work.plans-to-approve"] == 1
    month_lock(actor=world.users["olga"], unit=world.p1, year=YEAR, month=MONTH)
    after = _counts(lena)
    assert after["work.completions-to-verify"] == 1
    assert "work.plans-to-approve" not in after
