"""Writes to accounts and roles. Each one checks the actor's reach, is atomic and is audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from thuocdo.accounts.hashers import onetime_password_generate, onetime_password_hash
from thuocdo.accounts.permissions import (
    AUTHORITY_ROLES,
    UNIT_ROLES,
    accounts_manageable_q,
    require_account_manager,
    role_grantable,
)
from thuocdo.accounts.selectors import people_without_account
from thuocdo.accounts.usernames import usernames_assign
from thuocdo.audit.models import AuditEvent
from thuocdo.audit.services import audit_event_build, audit_record, audit_record_many
from thuocdo.org.models import Authority, Person, Post, Role, RoleAssignment, Unit, User
from thuocdo.org.scope import people_write_q, scope_for, today, units_write_q

Progress = Callable[[int, int], None]
BATCH = 1000


@dataclass(frozen=True)
class Credential:
    """A new account as the organiser hands it out: printed once, never stored in clear."""

    full_name: str
    person_code: str
    unit_name: str
    username: str
    password: str


def _thousands(number: int) -> str:
    """25.000, the Vietnamese way."""
    return f"{number:,}".replace(",", ".")


def onetime_expiry() -> datetime.datetime:
    """When a one-time password issued now stops working."""
    return timezone.now() + datetime.timedelta(days=settings.THUOCDO_ONETIME_PASSWORD_DAYS)


def name_split(full_name: str) -> tuple[str, str]:
    """Django's first and last name from a Vietnamese full name (given name, the rest)."""
    words = full_name.split()
    return (words[-1], " ".join(words[:-1])) if words else ("", "")


def user_build(*, username: str, person: Person | None, email: str = "") -> tuple[User, str]:
    """An unsaved account with a fresh one-time password, and that password."""
    password = onetime_password_generate()
    first, last = name_split(person.full_name) if person is not None else ("", "")
    user = User(
        username=username,
        password=onetime_password_hash(password),
        email=email,
        first_name=first[:150],
        last_name=last[:150],
        must_change_password=True,
        onetime_password_expires=onetime_expiry(),
    )
    return user, password


def taken_usernames() -> set[str]:
    """Every login in use, lower case (logins are compared without case)."""
    return set(User.objects.annotate(login=Lower("username")).values_list("login", flat=True))


def role_after(assignment: RoleAssignment) -> dict[str, Any]:
    """What the audit trail keeps of a role."""
    return {
        "user": assignment.user_id,
        "role": assignment.role,
        "unit": assignment.unit_id,
        "authority": assignment.authority_id,
    }


def role_event(actor: Any, assignment: RoleAssignment, note: str = "") -> AuditEvent:
    """The audit event of a granted role (built, not saved)."""
    return audit_event_build(
        actor=actor, action="role.assign", obj=assignment, after=role_after(assignment), note=note
    )


def account_after(user: User, person: Person | None) -> dict[str, Any]:
    """What the audit trail keeps of a created account: never its password."""
    return {
        "username": user.username,
        "email": user.email,
        "person": person.pk if person is not None else None,
        "must_change_password": user.must_change_password,
    }


def account_event(actor: Any, user: User, person: Person | None, note: str = "") -> AuditEvent:
    """The audit event of a created account (built, not saved)."""
    after = account_after(user, person)
    return audit_event_build(actor=actor, action="user.create", obj=user, after=after, note=note)


# --- One account -----------------------------------------------------------------------------


def _check_manageable(actor: Any, user: User) -> None:
    scope = require_account_manager(actor)
    if not User.objects.filter(accounts_manageable_q(scope), pk=user.pk).exists():
        raise PermissionDenied("Tài khoản này nằm ngoài phạm vi bạn được quản lý.")


@transaction.atomic
def account_password_reset(*, actor: Any, user: User) -> str:
    """Give an account a new one-time password, to be changed at the next login."""
    _check_manageable(actor, user)
    password = onetime_password_generate()
    user.password = onetime_password_hash(password)
    user.must_change_password = True
    user.onetime_password_expires = onetime_expiry()
    user.save(update_fields=["password", "must_change_password", "onetime_password_expires"])
    audit_record(
        actor=actor,
        action="user.password_reset",
        obj=user,
        after={"must_change_password": True, "expires": user.onetime_password_expires.isoformat()},
    )
    return password


@transaction.atomic
def account_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Lock or unlock an account (a locked account cannot log in; nothing is deleted)."""
    _check_manageable(actor, user)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError("Không thể tự khóa tài khoản của chính mình.")
    if user.is_active != active:
        before = {"is_active": user.is_active}
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            obj=user,
            before=before,
            after={"is_active": active},
        )
    return user


@transaction.atomic
def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    unit: Unit | None = None,
    authority: Authority | None = None,
) -> tuple[RoleAssignment, bool]:
    """Give an account a role not above the actor's own, inside the actor's reach; a role the
    account already holds is returned unchanged (and False: nothing was created)."""
    _check_manageable(actor, user)
    role = Role(role)
    if not role_grantable(scope_for(actor), role, unit):
        raise PermissionDenied(f"Bạn không được giao vai trò «{role.label}» cho đơn vị này.")
    if role in UNIT_ROLES and unit is None:
        raise ValidationError(f"Vai trò «{role.label}» cần một đơn vị.")
    if role in AUTHORITY_ROLES and authority is None:
        raise ValidationError(f"Vai trò «{role.label}» cần một cấp có thẩm quyền.")
    if role not in UNIT_ROLES:
        unit = None
    if role not in AUTHORITY_ROLES:
        authority = None
    existing = RoleAssignment.objects.filter(
        user=user, role=role, unit=unit, authority=authority
    ).first()
    if existing is not None:
        return existing, False
    assignment = RoleAssignment(user=user, role=role, unit=unit, authority=authority)
    assignment.full_clean()
    assignment.save()
    role_event(actor, assignment).save()
    return assignment, True


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role away from an account (the account itself stays)."""
    _check_manageable(actor, assignment.user)
    if not role_grantable(scope_for(actor), assignment.role, assignment.unit):
        raise PermissionDenied("Bạn không được thu hồi vai trò này.")
    before = role_after(assignment)
    audit_record(actor=actor, action="role.revoke", obj=assignment, before=before)
    assignment.delete()


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """The user sets their own password (checked against the password policy)."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.onetime_password_expires = None
    user.save(update_fields=["password", "must_change_password", "onetime_password_expires"])
    # The event says that the password changed, never what it is.
    audit_record(actor=user, action="user.password_change", obj=user, after={"changed": True})
    return user


# --- Accounts for a subtree --------------------------------------------------------------------


def people_link(people: Sequence[Person]) -> None:
    """Save each person's `user` link, a few hundred people per UPDATE.

    Plain SQL: QuerySet.bulk_update builds a Django expression per row, which took a third of
    the time of a city's accounts; this is the same CASE statement, written directly.
    """
    quote = connection.ops.quote_name
    table, pk = quote(Person._meta.db_table), quote(Person._meta.get_field("id").column or "id")
    link = quote(Person._meta.get_field("user").column or "user_id")
    step = 300  # three parameters per person: under SQLite's oldest limit of 999
    for start in range(0, len(people), step):
        chunk = people[start : start + step]
        whens = " ".join(["WHEN %s THEN %s"] * len(chunk))
        marks = ", ".join(["%s"] * len(chunk))
        params: list[Any] = [v for p in chunk for v in (p.pk, p.user_id)]
        params += [p.pk for p in chunk]
        # Only names from the model and placeholders are interpolated.
        sql = f"UPDATE {table} SET {link} = CASE {pk} {whens} END WHERE {pk} IN ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _primary_posts(unit: Unit, person_ids: set[int]) -> dict[int, list[Post]]:
    """Each person's current posts in the subtree, their main one first."""
    posts = (
        Post.objects.active(today())
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("-is_head", "-is_deputy", "start_date", "id")
    )
    by_person: dict[int, list[Post]] = {}
    for post in posts.iterator(chunk_size=5000):
        if post.person_id in person_ids:
            by_person.setdefault(post.person_id, []).append(post)
    return by_person


def _roles_from_posts(posts: Iterable[Post]) -> list[tuple[str, Unit]]:
    """Heads lead their unit's subtree (Người đứng đầu); deputies lead its people."""
    roles: list[tuple[str, Unit]] = []
    for post in posts:
        if post.is_head:
            roles.append((Role.HEAD, post.unit))
        elif post.is_deputy:
            roles.append((Role.LEADER, post.unit))
    return list(dict.fromkeys(roles))


@transaction.atomic
def accounts_create_for_unit(
    *,
    actor: Any,
    unit: Unit,
    roles_from_posts: bool = False,
    progress: Progress | None = None,
    limit: int | None = None,
) -> list[Credential]:
    """Create an account, with a one-time password to change at the first login, for every
    person holding a post in the unit's subtree who has none; with `roles_from_posts`, heads
    also become Người đứng đầu and deputies Lãnh đạo trực tiếp of their unit.

    Bulk statements throughout, and the fast one-time hasher (see hashers.py): a city of
    200,000 people is one call. Returns the credentials, ordered by unit then name. With
    `limit` (the pages and the API: one request), more people than that is refused.
    """
    scope = require_account_manager(actor)
    if not Unit.objects.filter(units_write_q(scope), pk=unit.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi bạn được quản lý.")
    # Locked until the end, so two organisers at once cannot give one person two accounts.
    waiting = people_without_account(actor=actor, unit=unit)
    if limit is not None and (count := waiting.count()) > limit:
        raise ValidationError(
            f"{unit.name} có {_thousands(count)} cán bộ chưa có tài khoản, quá "
            f"{_thousands(limit)} người cho một "
            "lần trên trang: hãy tạo cho từng đơn vị trực thuộc, hoặc dùng lệnh "
            f"«thuocdo accounts create --unit {unit.code}»."
        )
    people = list(waiting.select_for_update(of=("self",)))
    posts = _primary_posts(unit, {p.pk for p in people})
    people.sort(key=lambda p: (posts[p.pk][0].unit.path, p.sort_key, p.pk))
    logins = usernames_assign(((p.full_name, p.code) for p in people), taken_usernames())
    note = f"Tạo tài khoản cho cán bộ chưa có tài khoản thuộc «{unit.name}»"
    credentials: list[Credential] = []
    total = len(people)
    for start in range(0, total, BATCH):
        batch = people[start : start + BATCH]
        names = logins[start : start + BATCH]
        built = [user_build(username=n, person=p) for p, n in zip(batch, names, strict=True)]
        users = User.objects.bulk_create([user for user, _ in built])
        for person, user in zip(batch, users, strict=True):
            person.user = user
        people_link(batch)
        assignments = []
        if roles_from_posts:
            for person, user in zip(batch, users, strict=True):
                for role, target in _roles_from_posts(posts[person.pk]):
                    if role_grantable(scope, role, target):
                        assignments.append(RoleAssignment(user=user, role=role, unit=target))
            RoleAssignment.objects.bulk_create(assignments)
        events = [account_event(actor, u, p, note) for p, u in zip(batch, users, strict=True)]
        events += [role_event(actor, a, note) for a in assignments]
        audit_record_many(events)
        for person, (user, password) in zip(batch, built, strict=True):
            main = posts[person.pk][0].unit.name
            credentials.append(
                Credential(person.full_name, person.code, main, user.username, password)
            )
        if progress is not None:
            progress(len(credentials), total)
    return credentials


def main_units(person_ids: Sequence[int]) -> dict[int, str]:
    """The name of the unit of each person's main current post (head, deputy, oldest)."""
    names: dict[int, str] = {}
    for start in range(0, len(person_ids), 900):
        posts = (
            Post.objects.active(today())
            .filter(person_id__in=person_ids[start : start + 900])
            .order_by("is_head", "is_deputy", "-start_date", "-id")
            .values_list("person_id", "unit__name")
        )
        names.update(dict(posts))  # the last one of each person wins: the main post
    return names


def people_in_reach(actor: Any, codes: Sequence[str]) -> dict[str, Person]:
    """The people with these codes that the actor may give accounts to, by code."""
    found: dict[str, Person] = {}
    ordered = sorted(set(codes))
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        qs = Person.objects.filter(people_write_q(scope_for(actor)), code__in=chunk)
        found.update({p.code: p for p in qs.select_related("user")})
    return found
