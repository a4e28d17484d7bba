"""Writes to the organisation registry. Each one is atomic and records an audit event."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.org.models import (
    Authority,
    Discipline,
    Person,
    Post,
    Reward,
    Role,
    RoleAssignment,
    Unit,
    User,
)


def unit_path_assign(unit: Unit) -> None:
    """Set a saved unit's path and depth from its parent."""
    parent_path = unit.parent.path if unit.parent_id and unit.parent else ""
    unit.path = parent_path + unit.own_segment()
    unit.depth = unit.path.count("/") - 1


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    is_party_grassroots: bool = False,
) -> Unit:
    """Create a unit under a parent (or as a root); `is_party_grassroots` marks a grassroots
    Party organisation (đảng bộ cơ sở, or chi bộ cơ sở), the Party members' quota group."""
    unit = Unit(
        code=code, name=name, kind=kind, parent=parent, is_party_grassroots=is_party_grassroots
    )
    unit.refresh_search_text()
    unit.full_clean(exclude=["path"])
    unit.save()
    unit_path_assign(unit)
    unit.save(update_fields=["path", "depth"])
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    kind: str,
    parent: Unit | None,
    is_party_grassroots: bool | None = None,
) -> Unit:
    """Rename, re-kind or move a unit (and mark it a grassroots Party organisation or not,
    when given); a move rewrites its subtree's paths in one statement."""
    before = snapshot(unit)
    old_path = unit.path
    if parent is not None and parent.path.startswith(old_path):
        raise ValueError("Không thể chuyển đơn vị vào chính cây con của nó.")
    unit.name, unit.kind, unit.parent = name, kind, parent
    if is_party_grassroots is not None:
        unit.is_party_grassroots = is_party_grassroots
    unit.refresh_search_text()
    unit.full_clean(exclude=["path"])
    unit_path_assign(unit)
    unit.save()
    if unit.path != old_path:
        depth_shift = unit.path.count("/") - old_path.count("/")
        Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_shift,
        )
    after = snapshot(unit)
    if after != before:
        audit_record(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


@transaction.atomic
def person_create(actor: Any, **fields: Any) -> Person:
    """Create a person."""
    person = Person(**fields)
    person.refresh_name_keys()
    person.full_clean()
    person.save()
    audit_record(actor=actor, action="person.create", obj=person, after=snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change a person's registry fields."""
    before = snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.refresh_name_keys()
    person.full_clean()
    person.save()
    after = snapshot(person)
    if after != before:
        audit_record(actor=actor, action="person.update", obj=person, before=before, after=after)
    return person


@transaction.atomic
def post_create(actor: Any, **fields: Any) -> Post:
    """Give a person a post in a unit."""
    post = Post(**fields)
    post.full_clean()
    post.save()
    audit_record(actor=actor, action="post.create", obj=post, after=snapshot(post))
    return post


@transaction.atomic
def post_end(*, actor: Any, post: Post, end_date: datetime.date) -> Post:
    """End a post on a date."""
    before = snapshot(post)
    post.end_date = end_date
    post.full_clean()
    post.save(update_fields=["end_date"])
    audit_record(actor=actor, action="post.end", obj=post, before=before, after=snapshot(post))
    return post


@transaction.atomic
def authority_create(*, actor: Any, code: str, name: str, unit: Unit) -> Authority:
    """Create a competent authority belonging to a unit."""
    authority = Authority(code=code, name=name, unit=unit)
    authority.full_clean()
    authority.save()
    audit_record(actor=actor, action="authority.create", obj=authority, after=snapshot(authority))
    return authority


@transaction.atomic
def discipline_create(actor: Any, **fields: Any) -> Discipline:
    """Record a disciplinary measure."""
    record = Discipline(**fields)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="discipline.create", obj=record, after=snapshot(record))
    return record


@transaction.atomic
def reward_create(actor: Any, **fields: Any) -> Reward:
    """Record a commendation."""
    record = Reward(**fields)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="reward.create", obj=record, after=snapshot(record))
    return record


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str, person: Person | None = None, **extra: Any
) -> User:
    """Create a login, optionally linked to a person."""
    user = User(username=username, **extra)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    after = {"username": username, "person": person.pk if person else None}
    audit_record(actor=actor, action="user.create", obj=user, after=after)
    return user


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    unit: Unit | None = None,
    authority: Authority | None = None,
) -> RoleAssignment:
    """Give a user a role over a unit or an authority."""
    assignment = RoleAssignment(user=user, role=Role(role), unit=unit, authority=authority)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="role.assign",
        obj=assignment,
        after={
            "user": user.pk,
            "role": role,
            "unit": getattr(unit, "pk", None),
            "authority": getattr(authority, "pk", None),
        },
    )
    return assignment
