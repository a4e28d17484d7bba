"""Who may manage which accounts and grant which roles.

A system administrator manages every account. An organiser (Ban Tổ chức) manages the accounts
of the people and units inside the subtrees they organise, and grants only roles that are not
above their own: a person's account, a direct leader, a head or an organiser of a unit inside
their subtree. The membership of a competent authority and the administrator role are above
every organiser: only a system administrator grants them. Everyone else manages no account.
An account out of reach answers 404, exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from thuocdo.org.models import Person, Role, RoleAssignment, Unit, User
from thuocdo.org.scope import Scope, _paths_q, people_write_q, scope_for

# Roles an organiser may grant inside their subtree (each one needs a unit).
ORGANISER_GRANTS = frozenset({Role.PERSON, Role.LEADER, Role.HEAD, Role.ORGANISER})
# Roles that are given over a unit, and over an authority.
UNIT_ROLES = frozenset({Role.LEADER, Role.HEAD, Role.ORGANISER})
AUTHORITY_ROLES = frozenset({Role.AUTHORITY})


def manages_accounts(scope: Scope) -> bool:
    """True for system administrators and organisers."""
    return scope.everything or bool(scope.write_paths)


def require_account_manager(actor: Any) -> Scope:
    """The actor's scope, or 403 for anyone who manages no account."""
    scope = scope_for(actor)
    if not manages_accounts(scope):
        raise PermissionDenied("Chỉ Ban Tổ chức và quản trị hệ thống quản lý tài khoản.")
    return scope


def role_grantable(scope: Scope, role: str, unit: Unit | None) -> bool:
    """Whether this scope may grant `role` (over `unit` when the role needs one)."""
    if scope.everything:
        return True
    if role not in ORGANISER_GRANTS:
        return False
    if role in UNIT_ROLES:
        return unit is not None and any(unit.path.startswith(p) for p in scope.write_paths)
    return bool(scope.write_paths)


def accounts_visible_q(scope: Scope) -> Q:
    """Filter on User: accounts of people in reach, and accounts of no person that hold a role
    over a unit in reach (an account follows its person: one of a person out of reach is out
    of reach, whatever its roles)."""
    if scope.everything:
        return Q()
    if not scope.write_paths:
        return Q(pk__in=[])
    people = Person.objects.filter(people_write_q(scope), user=OuterRef("pk"))
    roles = RoleAssignment.objects.filter(
        _paths_q("unit__path", scope.write_paths), user=OuterRef("pk")
    )
    return Q(Exists(people)) | (Q(person__isnull=True) & Q(Exists(roles)))


def accounts_manageable_q(scope: Scope) -> Q:
    """Filter on User: the accounts this scope may change.

    Everything about the account must lie in reach: its person (if any) is in a subtree the
    organiser writes, every role it holds is one the organiser could grant, and it is neither
    staff nor superuser. An account with no person and no role belongs to the administrator.
    """
    if scope.everything:
        return Q()
    if not scope.write_paths:
        return Q(pk__in=[])
    outside_person = Person.objects.filter(user=OuterRef("pk")).exclude(people_write_q(scope))
    outside_role = RoleAssignment.objects.filter(user=OuterRef("pk")).exclude(
        Q(role=Role.PERSON) | (Q(role__in=UNIT_ROLES) & _paths_q("unit__path", scope.write_paths))
    )
    return (
        accounts_visible_q(scope)
        & ~Q(Exists(outside_person))
        & ~Q(Exists(outside_role))
        & Q(is_staff=False, is_superuser=False)
    )


def access_account(actor: Any, user_id: int | str, *, write: bool = False) -> User:
    """The account if the actor may see it (404 otherwise); 403 if only seen and `write`."""
    scope = require_account_manager(actor)
    try:
        user = User.objects.filter(accounts_visible_q(scope)).get(pk=int(user_id))
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy tài khoản.") from None
    if write and not User.objects.filter(accounts_manageable_q(scope), pk=user.pk).exists():
        raise PermissionDenied("Tài khoản này có vai trò ngoài phạm vi bạn được quản lý.")
    return user
