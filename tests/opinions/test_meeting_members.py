"""The members on a meeting's attendance list: the unit's people in name order, with their
post's title, narrowed by a name typed with or without diacritics, in one query."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thuocdo.opinions.selectors import meeting_members
from thuocdo.org import services as org


def _shown(world: Any, text: str) -> list[str]:
    return [row.person.full_name for row in meeting_members(world.p1, text=text) if row.shown]


def test_every_member_of_the_unit_is_listed_once_in_name_order_with_the_title(
    world: Any,
) -> None:
    rows = meeting_members(world.p1)
    # Given names first: Lan, Nhung, Ánh in the Vietnamese alphabet (A before L before N).
    assert [r.person for r in rows] == [world.carol, world.lena, world.alice]
    assert [r.title for r in rows] == [
        "Công chức Tư pháp - Hộ tịch",
        "Phó Chủ tịch UBND phường",
        "Công chức Văn phòng - Thống kê",
    ]
    assert all(r.shown for r in rows)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("nhung", ["Nguyễn Thị Hồng Nhung"]),
        ("Hồng Nhung", ["Nguyễn Thị Hồng Nhung"]),
        ("TRAN anh", ["Trần Văn Ánh"]),
        ("thi", ["Lê Thị Lan", "Nguyễn Thị Hồng Nhung"]),
        ("  ", ["Trần Văn Ánh", "Lê Thị Lan", "Nguyễn Thị Hồng Nhung"]),
        ("ong", []),  # the start of a word only: «Hồng» is not found by its middle
        ("bình", []),  # Bùi Văn Bình works in the sibling district
    ],
)
def test_the_filter_matches_word_starts_without_diacritics(
    world: Any, text: str, shown: list[str]
) -> None:
    assert _shown(world, text) == shown
    assert len(meeting_members(world.p1, text=text)) == 3  # the others are kept, hidden


def test_the_head_post_gives_the_title_and_a_past_post_is_not_a_member(world: Any) -> None:
    org.post_create(
        None, person=world.carol, unit=world.p1, title="Chủ tịch UBND phường", is_head=True,
        start_date=datetime.date(2021, 1, 1),
    )  # fmt: skip
    org.post_create(
        None, person=world.bob, unit=world.p1, title="Công chức Địa chính",
        start_date=datetime.date(2019, 1, 1), end_date=datetime.date(2020, 12, 31),
    )  # fmt: skip
    rows = meeting_members(world.p1)
    assert [r.person for r in rows] == [world.carol, world.lena, world.alice]
    assert rows[0].title == "Chủ tịch UBND phường"


def test_the_list_is_one_query_filtered_or_not(world: Any) -> None:
    for text in ("", "nguyen thi"):
        with CaptureQueriesContext(connection) as queries:
            rows = meeting_members(world.p1, text=text)
            assert [r.title for r in rows] and [r.person.full_name for r in rows]
        assert len(queries.captured_queries) == 1, text
