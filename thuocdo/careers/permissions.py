"""Who sees and changes careers records, built on the one scope mechanism (thuocdo.org.scope).

- A dossier is seen by exactly those who see the person page (access_person).
- Review cases are for the competent authority (the people it manages) and organisers (their
  subtree), and the system administrator; only the authority managing the person, or the
  administrator, records a decision.
- Planning pools are seen by heads and organisers over the pool's unit; organisers change
  them. Training records and rotations are recorded by organisers over the person.
An object out of scope answers 404, exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from thuocdo.careers.models import PlanningPool
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import _paths_q, scope_for, today


def may_see_cases(actor: Any) -> bool:
    """Authorities, organisers and administrators open the review cases page."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.write_paths) or bool(scope.authority_ids)


def cases_people_q(actor: Any) -> Q:
    """Filter on Person for the people whose cases the actor may see."""
    scope = scope_for(actor)
    if scope.everything:
        return Q()
    posts = Post.objects.active(today()).filter(
        _paths_q("unit__path", scope.write_paths) | Q(managed_by__in=scope.authority_ids)
    )
    return Q(pk__in=posts.values("person_id"))


def may_decide(actor: Any, person: Person) -> bool:
    """The authority that manages one of the person's current posts, or the administrator."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    if not scope.authority_ids:
        return False
    posts = Post.objects.active(today()).filter(person=person)
    return posts.filter(managed_by__in=scope.authority_ids).exists()


def pools_q(actor: Any) -> Q:
    """Filter on PlanningPool: heads and organisers over the pool's unit, administrators."""
    scope = scope_for(actor)
    if scope.everything:
        return Q()
    return _paths_q("unit__path", scope.subtree_paths)


def may_manage_pools(actor: Any, unit: Unit) -> bool:
    """Organisers over the unit, or the administrator."""
    scope = scope_for(actor)
    return scope.everything or any(unit.path.startswith(p) for p in scope.write_paths)


def access_pool(actor: Any, pool_id: int | str, *, write: bool = False) -> PlanningPool:
    """The pool if the actor may see it; 404 otherwise, 403 if read-only and write."""
    try:
        pool = (
            PlanningPool.objects.filter(pools_q(actor)).select_related("unit").get(pk=int(pool_id))
        )
    except (PlanningPool.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy quy hoạch.") from None
    if write and not may_manage_pools(actor, pool.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức được điều chỉnh quy hoạch.")
    return pool


def pool_units(actor: Any) -> list[Unit]:
    """Units in which the actor may create a pool."""
    scope = scope_for(actor)
    units = Unit.objects.filter(is_active=True).order_by("path")
    if not scope.everything:
        units = units.filter(_paths_q("path", scope.write_paths))
    return list(units)
