"""The one scope mechanism: what a user may see and change, as query filters.

A person sees themself; a direct leader the people of the units they lead; a head or an
organiser the subtree of their unit; a system administrator everything. Every selector and
`access_*` function goes through here.

What an authority (cấp có thẩm quyền) sees, one rule for the person page, the dossier and the
API alike: the people whose posts it manages today, and the people whose evaluations it
concludes (the authority fixed on an evaluation when its period was opened, kept even after
the post has ended or passed to another authority, so a year is concluded by whoever managed
it). For each of them it sees the person page and the whole dossier; of the evaluations, those
it concludes (`/api/danh-gia/<id>/`, reviews/annual/selectors.evaluation_scope_q). So an
evaluation an authority can read always belongs to a person whose page and dossier it can read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from thuocdo.org.models import Post, Role, RoleAssignment, Unit


@dataclass(frozen=True)
class Scope:
    """The resolved visibility of one user."""

    user_id: int | None
    everything: bool = False
    subtree_paths: tuple[str, ...] = ()
    led_unit_ids: tuple[int, ...] = ()
    authority_ids: tuple[int, ...] = ()
    person_id: int | None = None
    write_paths: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        """True when the user may see nothing at all."""
        return not (
            self.everything
            or self.subtree_paths
            or self.led_unit_ids
            or self.authority_ids
            or self.person_id
        )


def today() -> datetime.date:
    """Today's date in the configured time zone."""
    return timezone.localdate()


def scope_for(user: Any) -> Scope:
    """Resolve (and cache on the user object) what this user may see."""
    cached = getattr(user, "_thuocdo_scope", None)
    if isinstance(cached, Scope):
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(user_id=None)
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("unit").order_by("id")
    )
    roles = {a.role for a in assignments}
    everything = user.is_superuser or Role.ADMIN in roles
    subtree = sorted(
        {a.unit.path for a in assignments if a.role in (Role.HEAD, Role.ORGANISER) and a.unit}
    )
    write = sorted({a.unit.path for a in assignments if a.role == Role.ORGANISER and a.unit})
    led = sorted({a.unit_id for a in assignments if a.role == Role.LEADER and a.unit_id})
    auth = sorted(
        {a.authority_id for a in assignments if a.role == Role.AUTHORITY and a.authority_id}
    )
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    if person is not None:
        roles.add(Role.PERSON)
    scope = Scope(
        user_id=user.pk,
        everything=everything,
        subtree_paths=tuple(subtree),
        led_unit_ids=tuple(led),
        authority_ids=tuple(auth),
        person_id=person.pk if person is not None else None,
        write_paths=tuple(write),
        roles=frozenset(roles),
    )
    user._thuocdo_scope = scope
    return scope


def _paths_q(field: str, paths: tuple[str, ...]) -> Q:
    """OR of prefix filters on a path field."""
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths), Q(pk__in=[]))


def units_q(scope: Scope, at: datetime.date | None = None) -> Q:
    """Filter on Unit for the units a scope may see."""
    if scope.everything:
        return Q()
    at = at or today()
    q = _paths_q("path", scope.subtree_paths) | Q(pk__in=scope.led_unit_ids)
    if scope.authority_ids:
        managed = Post.objects.active(at).filter(
            unit=OuterRef("pk"), managed_by__in=scope.authority_ids
        )
        q |= Q(Exists(managed))
    if scope.person_id:
        own = Post.objects.active(at).filter(unit=OuterRef("pk"), person_id=scope.person_id)
        q |= Q(Exists(own))
    return q


def people_q(scope: Scope, at: datetime.date | None = None) -> Q:
    """Filter on Person for the people a scope may see (by posts held on `at`)."""
    if scope.everything:
        return Q()
    at = at or today()
    post_filter = _paths_q("unit__path", scope.subtree_paths) | Q(unit_id__in=scope.led_unit_ids)
    post_filter |= Q(managed_by__in=scope.authority_ids)
    q = Q(Exists(Post.objects.active(at).filter(post_filter, person=OuterRef("pk"))))
    if scope.authority_ids:
        # The people whose evaluations the authority concludes (see the module's docstring).
        # Looked up by name: the registry does not import the reviews app.
        evaluation = apps.get_model("reviews", "Evaluation")
        concluded = evaluation.objects.filter(
            person=OuterRef("pk"), authority_id__in=scope.authority_ids
        )
        q |= Q(Exists(concluded))
    if scope.person_id:
        q |= Q(pk=scope.person_id)
    return q


def people_overseen_q(scope: Scope, at: datetime.date | None = None) -> Q:
    """Filter on Person for the people a scope is a superior of (approves their plans, verifies
    their tasks, decides their exemptions): everyone in the subtrees it heads or organises,
    and in the units it leads as direct leader their staff, not the unit's head or deputies,
    who answer to the level above (a deputy does not verify the chairwoman's work)."""
    if scope.everything:
        return Q()
    at = at or today()
    posts = Post.objects.active(at).filter(
        _paths_q("unit__path", scope.subtree_paths)
        | Q(unit_id__in=scope.led_unit_ids, is_head=False, is_deputy=False),
        person=OuterRef("pk"),
    )
    return Q(Exists(posts))


def people_write_q(scope: Scope, at: datetime.date | None = None) -> Q:
    """Filter on Person for the people a scope may change (organisers, administrators)."""
    if scope.everything:
        return Q()
    at = at or today()
    posts = Post.objects.active(at).filter(
        _paths_q("unit__path", scope.write_paths), person=OuterRef("pk")
    )
    return Q(Exists(posts))


def units_write_q(scope: Scope) -> Q:
    """Filter on Unit for the units a scope may change."""
    if scope.everything:
        return Q()
    return _paths_q("path", scope.write_paths)


def units_subtree_q(scope: Scope) -> Q:
    """Filter on Unit for the subtrees of the units a scope heads or organises."""
    if scope.everything:
        return Q()
    return _paths_q("path", scope.subtree_paths)


def unit_in_subtree_q(unit: Unit, field: str = "path") -> Q:
    """Filter for a unit's whole subtree (itself included)."""
    return Q(**{f"{field}__startswith": unit.path})
