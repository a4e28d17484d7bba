"""Access to the work record, through the one scope mechanism of `thuocdo.org.scope`.

Seeing a task follows seeing its person. Overseeing (approving plans, verifying tasks,
deciding exemptions) belongs to the leader, head or organiser over the person, never to the
person themself and not to an authority, which concludes on results rather than on tasks.
"""

from __future__ import annotations

from dataclasses import replace
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from thuocdo.org.models import Person, Unit
from thuocdo.org.scope import (
    Scope,
    people_overseen_q,
    people_q,
    people_write_q,
    scope_for,
    units_write_q,
)
from thuocdo.work.models import Exemption, MonthLock, Task, WorkPlan


def _oversight_scope(scope: Scope) -> Scope:
    """The part of a scope that makes someone a superior: leader, head, organiser, admin."""
    return replace(scope, person_id=None, authority_ids=())


def tasks_visible_q(scope: Scope) -> Q:
    """Filter on Task: the tasks of visible people, plus tasks the user collaborates on."""
    if scope.everything:
        return Q()
    q = Q(plan__person__in=Person.objects.filter(people_q(scope)).values("pk"))
    if scope.person_id:
        q |= Q(assignees__person_id=scope.person_id)
    return q


def tasks_visible(actor: Any) -> QuerySet[Task]:
    """Tasks the actor may see."""
    scope = scope_for(actor)
    if scope.is_empty:
        return Task.objects.none()
    return Task.objects.filter(pk__in=Task.objects.filter(tasks_visible_q(scope)).values("pk"))


def overseen_people(actor: Any) -> QuerySet[Person]:
    """People whose work the actor approves and verifies (never the actor themself, nor, for
    a direct leader, the head and deputies of the unit: `people_overseen_q`)."""
    scope = scope_for(actor)
    oversight = _oversight_scope(scope)
    if oversight.is_empty:
        return Person.objects.none()
    people = Person.objects.filter(people_overseen_q(oversight))
    if scope.person_id:
        people = people.exclude(pk=scope.person_id)
    return people


def can_oversee(actor: Any, person: Person) -> bool:
    """True if the actor is a superior of the person (leader, head, organiser, admin)."""
    return overseen_people(actor).filter(pk=person.pk).exists()


def is_owner(actor: Any, task: Task) -> bool:
    """True if the actor is the person whose month the task belongs to, or an assignee."""
    person_id = scope_for(actor).person_id
    if person_id is None:
        return False
    return task.plan.person_id == person_id or task.assignees.filter(person_id=person_id).exists()


def can_push_for(actor: Any, person: Person) -> bool:
    """True if the actor may write this person's record from another system (organisers)."""
    return Person.objects.filter(people_write_q(scope_for(actor)), pk=person.pk).exists()


def require_oversight(actor: Any, person: Person) -> None:
    """Refuse (403) anyone who is not a superior of the person."""
    if not can_oversee(actor, person):
        raise PermissionDenied("Chỉ lãnh đạo trực tiếp, người đứng đầu hoặc Ban Tổ chức được làm.")


def require_owner_or_oversight(actor: Any, task: Task) -> None:
    """Refuse (403) anyone who neither does the task nor oversees its person."""
    if not (is_owner(actor, task) or can_oversee(actor, task.plan.person)):
        raise PermissionDenied("Bạn chỉ có quyền xem nhiệm vụ này.")


def access_task(actor: Any, task_id: int | str, *, write: bool = False) -> Task:
    """Return a visible task; 404 otherwise, 403 if `write` and the actor may only read it."""
    try:
        task = (
            tasks_visible(actor).select_related("plan__person", "product_type").get(pk=int(task_id))
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy nhiệm vụ.") from None
    if write:
        require_owner_or_oversight(actor, task)
    return task


def access_plan(actor: Any, plan_id: int | str, *, write: bool = False) -> WorkPlan:
    """Return a visible plan; 404 otherwise, 403 if `write` and the actor is not a superior."""
    visible = Person.objects.filter(people_q(scope_for(actor))).values("pk")
    try:
        plan = (
            WorkPlan.objects.filter(person__in=visible)
            .select_related("person")
            .get(pk=int(plan_id))
        )
    except (WorkPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy kế hoạch.") from None
    if write:
        require_oversight(actor, plan.person)
    return plan


def access_exemption(actor: Any, exemption_id: int | str, *, write: bool = False) -> Exemption:
    """Return an exemption request on a visible task; 404 otherwise, 403 for a non-superior."""
    try:
        exemption = Exemption.objects.select_related("task__plan__person").get(
            pk=int(exemption_id), task__in=tasks_visible(actor).values("pk")
        )
    except (Exemption.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đề nghị.") from None
    if write:
        require_oversight(actor, exemption.task.plan.person)
    return exemption


def lock_units_q(scope: Scope, prefix: str = "") -> Q:
    """Filter on Unit (through `prefix`, e.g. "unit__") for the units whose month locks an
    organiser sees: those they organise and inside them, and those above them, whose locks
    close their units' months too. Nobody else sees any."""
    if scope.everything:
        return Q()
    if not scope.write_paths:
        return Q(pk__in=[])
    inside = reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in scope.write_paths))
    above = {int(seg) for p in scope.write_paths for seg in p.strip("/").split("/") if seg}
    return inside | Q(**{f"{prefix}pk__in": above})


def month_locks_visible(actor: Any) -> QuerySet[MonthLock]:
    """The month locks the actor sees (`lock_units_q`)."""
    return MonthLock.objects.filter(lock_units_q(scope_for(actor), "unit__"))


def access_month_lock(actor: Any, lock_id: int | str, *, write: bool = False) -> MonthLock:
    """Return a visible month lock; 404 otherwise, 403 if `write` and the actor may not
    change its unit (an organiser of a district sees the city's lock but cannot reopen it)."""
    try:
        lock = month_locks_visible(actor).select_related("unit").get(pk=int(lock_id))
    except (MonthLock.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy khóa sổ tháng.") from None
    if write and not Unit.objects.filter(units_write_q(scope_for(actor)), pk=lock.unit_id).exists():
        raise PermissionDenied("Chỉ Ban Tổ chức phụ trách đơn vị được mở lại tháng.")
    return lock
