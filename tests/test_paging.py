"""The first-page paginator: the pages of Django's paginator, without a COUNT when the first
page is not full."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thuocdo.paging import FirstPagePaginator

NUMBERS: list[int | float | str | None] = [
    1,
    "1",
    2,
    "2",
    3,
    "0",
    "-1",
    "abc",
    None,
    "",
    1.5,
    "99",
    "１",
]


@pytest.mark.parametrize("rows", [0, 1, 4, 5, 6, 11])
def test_it_gives_the_pages_djangos_paginator_gives(db, rows):
    Group.objects.bulk_create([Group(name=f"Nhóm {k:02d}") for k in range(rows)])
    groups = Group.objects.order_by("name")
    assert groups.count() == rows
    for number in NUMBERS:
        theirs = Paginator(groups, 5).get_page(number)
        ours = FirstPagePaginator(groups, 5).get_page(number)
        assert list(ours) == list(theirs), number
        assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
            theirs.number,
            theirs.paginator.count,
            theirs.paginator.num_pages,
        ), number
        assert (ours.has_next(), ours.has_previous()) == (theirs.has_next(), theirs.has_previous())


def test_a_first_page_that_is_not_full_is_read_in_one_query_and_a_full_one_is_counted(db):
    Group.objects.bulk_create([Group(name=f"Nhóm {k:02d}") for k in range(7)])
    groups = Group.objects.order_by("name")
    total = groups.count()
    with CaptureQueriesContext(connection) as queries:
        page = FirstPagePaginator(groups, total + 1).get_page(1)
        assert (len(page), page.paginator.count, page.has_next()) == (total, total, False)
    assert len(queries.captured_queries) == 1
    with CaptureQueriesContext(connection) as queries:
        page = FirstPagePaginator(groups, total - 1).get_page(1)
        assert (len(page), page.paginator.count, page.has_next()) == (total - 1, total, True)
    assert any("COUNT" in q["sql"] for q in queries.captured_queries)
