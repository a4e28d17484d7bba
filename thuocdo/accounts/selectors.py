"""Reads of accounts, always through the actor's scope.

The list of accounts is read from the people's side (people in reach who have an account, in
the Vietnamese order of names): the same indexed scope query as the people list, a fraction
of a second for a city of 200,000 where a query from the accounts' side took seconds
(bench/accounts.py). Accounts of no person are listed apart; there are few.
"""

from __future__ import annotations

from functools import reduce
from operator import and_
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from thuocdo.accounts.permissions import accounts_visible_q, require_account_manager
from thuocdo.org.models import Person, Post, RoleAssignment, Unit, User
from thuocdo.org.names import fold
from thuocdo.org.scope import people_write_q, scope_for, today


def _roles() -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.select_related("unit", "authority").order_by("role", "id")


def _words(query: str) -> list[str]:
    return fold(query).split()


def account_list(*, actor: Any, query: str = "") -> QuerySet[Person]:
    """People in the actor's reach who have an account, by name; each word of the query
    matches the start of a word of the name or code (no diacritics needed), or of the login."""
    scope = require_account_manager(actor)
    qs = Person.objects.filter(people_write_q(scope), user__isnull=False)
    words = _words(query)
    if words:
        # Logins are matched in a subquery read once, not row by row through the join, and by
        # their start (logins are lower case), which PostgreSQL's index on them serves.
        logins = [User.objects.filter(username__startswith=w).values("pk") for w in words]
        qs = qs.filter(
            reduce(
                and_,
                (
                    Q(search_text__contains=" " + w) | Q(user_id__in=login)
                    for w, login in zip(words, logins, strict=True)
                ),
            )
        )
    return (
        qs.select_related("user")
        .prefetch_related(Prefetch("user__roles", queryset=_roles(), to_attr="role_list"))
        .order_by("sort_key", "id")
    )


def unlinked_account_list(*, actor: Any, query: str = "") -> QuerySet[User]:
    """Accounts of no person that the actor may see, by login."""
    scope = require_account_manager(actor)
    qs = User.objects.filter(accounts_visible_q(scope), person__isnull=True)
    for word in _words(query):
        qs = qs.filter(Q(username__icontains=word) | Q(email__icontains=word))
    return qs.prefetch_related(Prefetch("roles", queryset=_roles(), to_attr="role_list")).order_by(
        "username"
    )


def account_detail(user: User) -> User:
    """An account with its person, the person's current posts and its roles."""
    posts = Post.objects.active(today()).select_related("unit")
    return (
        User.objects.select_related("person")
        .prefetch_related(
            Prefetch("person__posts", queryset=posts, to_attr="current_posts"),
            Prefetch("roles", queryset=_roles(), to_attr="role_list"),
        )
        .get(pk=user.pk)
    )


def people_without_account(*, actor: Any, unit: Unit) -> QuerySet[Person]:
    """People holding a post today in the unit's subtree, in the actor's write scope, who
    have no account yet."""
    posts = Post.objects.active(today()).filter(unit__path__startswith=unit.path)
    return (
        Person.objects.filter(people_write_q(scope_for(actor)))
        .filter(user__isnull=True, pk__in=posts.values("person_id"))
        .order_by("sort_key", "id")
    )
