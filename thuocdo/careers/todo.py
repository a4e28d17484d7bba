"""Today's work in careers, for the home page: the review cases («Trường hợp cần xem xét»)
waiting for the competent authority's decision. See `thuocdo.web.todo`."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from thuocdo.careers.selectors import case_list
from thuocdo.org.models import Post
from thuocdo.org.scope import scope_for, today
from thuocdo.web.todo import APPEALS, TodoItem, n


def todo_for(actor: Any) -> list[TodoItem]:
    """Cases of last year and this year, on people the actor's authority manages, with no
    decision recorded. Nothing is decided automatically: each waits for a written decision."""
    scope = scope_for(actor)
    if not scope.authority_ids:
        return []
    at = today()
    items = []
    for year in (at.year - 1, at.year):
        cases = [c for c in case_list(actor=actor, year=year) if c.decision is None]
        if not cases:
            continue
        managed = set(
            Post.objects.active(at)
            .filter(managed_by__in=scope.authority_ids, person_id__in={c.person.pk for c in cases})
            .values_list("person_id", flat=True)
        )
        count = sum(1 for c in cases if c.person.pk in managed)
        if count:
            items.append(
                TodoItem(
                    key="careers.cases-to-decide",
                    text=f"{n(count)} trường hợp cần xem xét năm {year} chờ quyết định",
                    url=f"{reverse('careers:case-list')}?nam={year}",
                    count=count,
                    section=APPEALS,
                )
            )
    return items
