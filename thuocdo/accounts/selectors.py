"""Reads of accounts, always through the actor's scope."""

from __future__ import annotations

from functools import reduce
from operator import and_
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from thuocdo.accounts.permissions import accounts_visible_q, require_account_manager
from thuocdo.org.models import Person, Post, RoleAssignment, Unit, User
from thuocdo.org.names import fold
from thuocdo.org.scope import people_write_q, scope_for, today


def account_search_q(query: str) -> Q:
    """Every word of the query in the login, or at the start of a word of the person's name
    or code, without diacritics."""
    words = fold(query).split()
    if not words:
        return Q()
    return reduce(
        and_,
        (
            Q(username__icontains=w)
            | Q(person__search_text__contains=" " + w)
            | Q(email__icontains=w)
            for w in words
        ),
    )


def account_list(*, actor: Any, query: str = "") -> QuerySet[User]:
    """Accounts the actor manages or sees as an organiser, by login, with person and roles."""
    scope = require_account_manager(actor)
    qs = User.objects.filter(accounts_visible_q(scope))
    if query:
        qs = qs.filter(account_search_q(query))
    roles = RoleAssignment.objects.select_related("unit", "authority").order_by("role", "id")
    return (
        qs.select_related("person")
        .prefetch_related(Prefetch("roles", queryset=roles, to_attr="role_list"))
        .order_by("username")
    )


def account_detail(user: User) -> User:
    """An account with its person, the person's current posts and its roles."""
    posts = Post.objects.active(today()).select_related("unit")
    roles = RoleAssignment.objects.select_related("unit", "authority").order_by("role", "id")
    return (
        User.objects.select_related("person")
        .prefetch_related(
            Prefetch("person__posts", queryset=posts, to_attr="current_posts"),
            Prefetch("roles", queryset=roles, to_attr="role_list"),
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
