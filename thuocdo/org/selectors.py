"""Reads of the organisation registry, always through the actor's scope."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from functools import reduce
from operator import and_
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr

from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.names import fold
from thuocdo.org.scope import people_q, scope_for, today, units_q, units_write_q


def unit_list(*, actor: Any) -> QuerySet[Unit]:
    """Units the actor may see, in tree order."""
    return Unit.objects.filter(units_q(scope_for(actor))).order_by("path")


def unit_roots(*, actor: Any) -> list[Unit]:
    """The topmost units the actor may see (their parents are out of scope or absent)."""
    visible = unit_list(actor=actor)
    pairs = list(visible.values_list("id", "parent_id"))
    ids = {pk for pk, _ in pairs}
    root_ids = [pk for pk, parent in pairs if parent not in ids]
    return list(Unit.objects.filter(pk__in=root_ids).order_by("name"))


def unit_children(*, actor: Any, unit: Unit) -> list[Unit]:
    """Visible children of a unit, by name."""
    return list(unit_list(actor=actor).filter(parent=unit).order_by("name"))


def unit_headcounts(units: list[Unit], at: datetime.date | None = None) -> dict[int, int]:
    """People holding a post anywhere in each unit's subtree, counted once each.

    Path segments have a fixed width, so every unit at one depth has a path of the same length:
    cutting each post's unit path to that length names the subtree it falls in, and one
    GROUP BY per depth counts distinct people per subtree.
    """
    if not units:
        return {}
    at = at or today()
    counts: dict[str, int] = {}
    by_length: dict[int, list[str]] = {}
    for u in units:
        by_length.setdefault(len(u.path), []).append(u.path)
    for length, paths in by_length.items():
        # Restrict the scan to the smallest subtree holding all the units asked for.
        common = os.path.commonprefix(paths)  # noqa: RUF071 (cut at "/" below)
        prefix = common[: common.rfind("/") + 1]
        rows = (
            Post.objects.active(at)
            .filter(unit__path__startswith=prefix)
            .annotate(branch=Substr("unit__path", 1, length))
            .filter(branch__in=paths)
            .values("branch")
            .annotate(n=Count("person", distinct=True))
        )
        counts.update({row["branch"]: row["n"] for row in rows})
    return {u.pk: counts.get(u.path, 0) for u in units}


def unit_ancestors(unit: Unit) -> list[Unit]:
    """The unit's ancestors, root first (one query via the path)."""
    ids = [int(seg) for seg in unit.path.strip("/").split("/")[:-1] if seg]
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class PeopleFilter:
    """What the people list is narrowed to."""

    query: str = ""
    unit: Unit | None = None
    category: str = ""


def person_search_q(query: str) -> Q:
    """Match every word of the query, without diacritics, at the start of a word of the name."""
    words = fold(query).split()
    if not words:
        return Q()
    return reduce(and_, (Q(search_text__contains=" " + w) for w in words))


def person_list(*, actor: Any, filters: PeopleFilter | None = None) -> QuerySet[Person]:
    """People the actor may see, sorted the Vietnamese way, optionally filtered."""
    filters = filters or PeopleFilter()
    qs = Person.objects.filter(people_q(scope_for(actor)))
    if filters.query:
        qs = qs.filter(person_search_q(filters.query))
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.unit is not None:
        in_unit = Post.objects.active(today()).filter(unit__path__startswith=filters.unit.path)
        qs = qs.filter(pk__in=in_unit.values("person_id"))
    return qs.order_by("sort_key", "id")


def person_posts_prefetch(at: datetime.date | None = None) -> Prefetch[Any]:
    """Prefetch of the posts a person holds now, with their units."""
    posts = Post.objects.active(at or today()).select_related("unit", "managed_by")
    return Prefetch("posts", queryset=posts, to_attr="current_posts")


def person_detail(person: Person) -> Person:
    """Load a person's posts, discipline and rewards for the person page."""
    return Person.objects.prefetch_related(
        Prefetch("posts", queryset=Post.objects.select_related("unit", "managed_by")),
        "disciplines",
        "rewards",
    ).get(pk=person.pk)


def unit_people(*, actor: Any, unit: Unit) -> QuerySet[Post]:
    """Current posts in a unit (not its subtree) held by people the actor may see."""
    visible = Person.objects.filter(people_q(scope_for(actor))).values("pk")
    return (
        Post.objects.active(today())
        .filter(unit=unit, person__in=visible)
        .select_related("person", "managed_by")
        .order_by("-is_head", "-is_deputy", "person__sort_key")
    )


def unit_search(*, actor: Any, text: str, write: bool = True, limit: int = 20) -> list[Unit]:
    """Units the actor may manage (or, with write=False, see) whose name or code holds the
    text, in tree order, with their parent for telling equal names apart."""
    scope = scope_for(actor)
    rows = Unit.objects.filter(units_write_q(scope) if write else units_q(scope))
    return unit_matches(rows, text, limit=limit)


def unit_text_q(text: str) -> Q:
    """Filter on Unit: every word of the text at the start of a word of the name, with or
    without diacritics ("phuong 1" finds «Phường 1»), or the text inside the code."""
    words = fold(text).split()
    if not words:
        return Q()
    by_name = reduce(and_, (Q(search_text__contains=" " + w) for w in words))
    return by_name | Q(name__icontains=text.strip()) | Q(code__icontains=text.strip())


def unit_matches(rows: QuerySet[Unit], text: str, *, limit: int = 20) -> list[Unit]:
    """The first units of `rows` whose name or code holds the text, in tree order, with their
    parent: the suggestions of every unit picker, whatever units it offers."""
    text = text.strip()
    if text:
        rows = rows.filter(unit_text_q(text))
    return list(rows.select_related("parent").order_by("path")[:limit])
