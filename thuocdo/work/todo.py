"""Today's work in the work record, for the home page: the person's own month (plan to send,
tasks overdue or due soon) and what their direct leader owes them (plans to approve,
completions to verify, exemptions to decide). Counts only; see `thuocdo.web.todo`.

"Direct" is narrower than what a scope may oversee: an organiser may approve any plan of
their district, and a head any plan of their subtree, but the work waits on the home page of
the leader of the person's unit, and of its head for the unit's deputies (or for everyone in
a unit that has no leader assigned). "Đơn vị của tôi" still lists all that may be done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from thuocdo.org.models import Person, Post, Role, RoleAssignment
from thuocdo.org.scope import Scope, scope_for, today
from thuocdo.web.todo import LED, OWN, TodoItem, month_label, n
from thuocdo.work.models import Exemption, ExemptionState, PlanState, Task, TaskState, WorkPlan
from thuocdo.work.selectors import without_locked

DUE_SOON_DAYS = 3
OPEN_STATES = (TaskState.PLANNED, TaskState.IN_PROGRESS)


def head_paths(scope: Scope) -> list[str]:
    """The units a scope heads (its subtrees that are not an organiser's)."""
    return [p for p in scope.subtree_paths if p not in scope.write_paths]


def direct_posts_q(scope: Scope) -> Q:
    """Filter on Post: posts whose holder the scope leads directly: the staff of the units it
    leads; in the units it heads, the head and deputies, and everyone if no leader is
    assigned to the unit. An organiser's or administrator's reach does not count."""
    q = Q(unit_id__in=scope.led_unit_ids, is_head=False, is_deputy=False)
    headed = head_paths(scope)
    if headed:
        leader = RoleAssignment.objects.filter(role=Role.LEADER, unit_id=OuterRef("unit_id"))
        own = Q(is_head=True) | Q(is_deputy=True) | ~Q(Exists(leader))
        q |= Q(unit__path__in=headed) & own
    return q


def direct_people(actor: Any, at: datetime.date | None = None) -> QuerySet[Person]:
    """People the actor leads directly on a day (never the actor themself)."""
    return Person.objects.filter(pk__in=direct_people_ids(actor, at))


def direct_people_ids(actor: Any, at: datetime.date | None = None) -> list[int]:
    """Ids of the people the actor leads directly on a day: a unit's worth, read once from the
    posts (an index on the unit), so the counts that follow filter on a short list instead of
    testing every person of the city."""
    scope = scope_for(actor)
    if not (scope.led_unit_ids or head_paths(scope)):
        return []
    posts = Post.objects.active(at or today()).filter(direct_posts_q(scope))
    if scope.person_id:
        posts = posts.exclude(person_id=scope.person_id)
    return sorted(set(posts.values_list("person_id", flat=True)))


def _team_url(anchor: str) -> str:
    return reverse("work:team-detail") + anchor


def waiting_for(
    people: list[int],
) -> tuple[QuerySet[WorkPlan], QuerySet[Task], QuerySet[Exemption]]:
    """What these people wait for from their leader: plans sent for approval, tasks reported
    done, objective-cause exemptions asked for; nothing of a locked month, which could not be
    done (thuocdo.work.locking)."""
    return without_locked(
        WorkPlan.objects.filter(person__in=people, state=PlanState.SUBMITTED),
        Task.objects.filter(plan__person__in=people, state=TaskState.DONE),
        Exemption.objects.filter(task__plan__person__in=people, state=ExemptionState.PENDING),
    )


@dataclass(frozen=True)
class OwnWork:
    """The work a leader owes the people they lead directly: what the home page lists under
    «Người tôi phụ trách», and «Đơn vị của tôi» counts as left to do (the page also lists what
    the actor may do for others, which is their direct leaders' work)."""

    people: frozenset[int]
    plans: int
    completions: int
    exemptions: int


def own_work(actor: Any, person_id: int | None = None) -> OwnWork:
    """What the actor owes the people they lead directly (of one of them if given)."""
    people = direct_people_ids(actor)
    if person_id is not None:
        people = [p for p in people if p == person_id]
    if not people:
        return OwnWork(frozenset(), 0, 0, 0)
    plans, tasks, exemptions = waiting_for(people)
    return OwnWork(frozenset(people), plans.count(), tasks.count(), exemptions.count())


def _led(actor: Any) -> list[TodoItem]:
    """Plans to approve (by month), completions to verify, exemptions to decide."""
    people = direct_people_ids(actor)
    if not people:
        return []
    items: list[TodoItem] = []
    submitted, done, pending = waiting_for(people)
    plans = submitted.values("year", "month").annotate(count=Count("id")).order_by("year", "month")
    for row in plans:
        when = month_label(row["year"], row["month"])
        items.append(
            TodoItem(
                key="work.plans-to-approve",
                text=f"{n(row['count'])} kế hoạch tháng {when} chờ duyệt",
                url=_team_url("#ke-hoach"),
                count=row["count"],
                section=LED,
            )
        )
    waiting = done.count()
    if waiting:
        items.append(
            TodoItem(
                key="work.completions-to-verify",
                text=f"{n(waiting)} nhiệm vụ đã hoàn thành chờ xác nhận",
                url=_team_url("#hoan-thanh"),
                count=waiting,
                section=LED,
            )
        )
    asked = pending.count()
    if asked:
        items.append(
            TodoItem(
                key="work.exemptions-to-decide",
                text=f"{n(asked)} đề nghị miễn trừ do nguyên nhân khách quan chờ quyết định",
                url=_team_url("#mien-tru"),
                count=asked,
                section=LED,
            )
        )
    return items


def _own(person_id: int, at: datetime.date) -> list[TodoItem]:
    """This month's plan to register or send again, and tasks overdue or due soon."""
    items: list[TodoItem] = []
    month_url = reverse("work:month-detail")
    when = month_label(at.year, at.month)
    plan = (
        WorkPlan.objects.filter(person_id=person_id, year=at.year, month=at.month)
        .annotate(tasks_count=Count("tasks"))
        .values("state", "tasks_count")
        .first()
    )
    if plan is None or (plan["state"] == PlanState.DRAFT and not plan["tasks_count"]):
        text, key = f"Chưa đăng ký nhiệm vụ tháng {when}", "work.plan-to-register"
    elif plan["state"] == PlanState.DRAFT:
        text, key = f"Kế hoạch tháng {when} chưa gửi duyệt", "work.plan-to-submit"
    elif plan["state"] == PlanState.RETURNED:
        text, key = f"Kế hoạch tháng {when} bị trả lại: sửa và gửi duyệt lại", "work.plan-returned"
    else:
        key = ""
    if key:
        items.append(TodoItem(key=key, text=text, url=month_url, count=1, section=OWN))
    soon = at + datetime.timedelta(days=DUE_SOON_DAYS)
    counts = Task.objects.filter(plan__person_id=person_id, state__in=OPEN_STATES).aggregate(
        overdue=Count("id", filter=Q(due_date__lt=at)),
        soon=Count("id", filter=Q(due_date__gte=at, due_date__lte=soon)),
    )
    if counts["overdue"]:
        items.append(
            TodoItem(
                key="work.tasks-overdue",
                text=f"{n(counts['overdue'])} nhiệm vụ quá hạn chưa báo cáo hoàn thành",
                url=month_url,
                count=counts["overdue"],
                section=OWN,
                urgent=True,
            )
        )
    if counts["soon"]:
        items.append(
            TodoItem(
                key="work.tasks-due-soon",
                text=f"{n(counts['soon'])} nhiệm vụ đến hạn trong {DUE_SOON_DAYS} ngày tới",
                url=month_url,
                count=counts["soon"],
                section=OWN,
            )
        )
    return items


def todo_for(actor: Any) -> list[TodoItem]:
    """What waits for the actor in the work record."""
    scope = scope_for(actor)
    items = _own(scope.person_id, today()) if scope.person_id else []
    return items + _led(actor)
