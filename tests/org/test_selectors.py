"""Registry selectors: subtree headcounts, search, Vietnamese order, ancestors."""

from __future__ import annotations

import datetime

from thuocdo.org import selectors, services
from thuocdo.org.selectors import PeopleFilter


def test_headcounts_count_each_person_once_per_subtree(world):
    # Lena also serves in the Party cell under P1: she still counts once in P1 and Q1.
    services.post_create(
        None,
        person=world.lena,
        unit=world.cell,
        title="Bí thư chi bộ",
        start_date=datetime.date(2021, 1, 1),
    )
    units = [world.city, world.q1, world.q2, world.p1, world.cell]
    counts = selectors.unit_headcounts(units)
    assert counts == {
        world.city.pk: 5,
        world.q1.pk: 4,
        world.q2.pk: 1,
        world.p1.pk: 3,
        world.cell.pk: 1,
    }


def test_headcounts_ignore_posts_that_have_ended(world):
    post = world.bob.posts.get()
    services.post_end(actor=None, post=post, end_date=datetime.date(2022, 1, 1))
    assert selectors.unit_headcounts([world.q2]) == {world.q2.pk: 0}


def test_search_finds_a_name_from_any_run_of_its_words_without_diacritics(world):
    root = world.users["root"]
    for query in ["nhung", "hong nhung", "nguyen thi", "Hồng Nhung", "NGUYEN"]:
        names = [
            p.full_name for p in selectors.person_list(actor=root, filters=PeopleFilter(query))
        ]
        assert names == ["Nguyễn Thị Hồng Nhung"], query
    assert not selectors.person_list(actor=root, filters=PeopleFilter("nhung hoa")).exists()


def test_people_are_listed_by_given_name_in_vietnamese_order(world):
    names = [p.full_name for p in selectors.person_list(actor=world.users["root"])]
    assert names == [
        "Trần Văn Ánh",
        "Bùi Văn Bình",
        "Hoàng Văn Hải",
        "Lê Thị Lan",
        "Nguyễn Thị Hồng Nhung",
    ]


def test_ancestors_come_root_first(world):
    assert selectors.unit_ancestors(world.cell) == [world.city, world.q1, world.p1]
