"""Vietnamese names: sorting by given name in the Vietnamese alphabet, and folded search."""

from __future__ import annotations

import random

import pytest

from thuocdo.org.names import fold, search_text, sort_key


def test_it_sorts_by_given_name_then_middle_then_family():
    names = ["Trần Văn An", "Nguyễn Thị Bình", "Lê Anh", "Phạm Thị An", "Đỗ Văn Ánh"]
    ordered = sorted(names, key=sort_key)
    assert ordered == ["Phạm Thị An", "Trần Văn An", "Lê Anh", "Đỗ Văn Ánh", "Nguyễn Thị Bình"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Nguyễn Văn Anh", "Nguyễn Văn Ăn"),  # a before ă
        ("Nguyễn Văn Ăn", "Nguyễn Văn Ân"),  # ă before â
        ("Nguyễn Văn Dũng", "Nguyễn Văn Đức"),  # d before đ
        ("Nguyễn Văn Đức", "Nguyễn Văn Em"),  # đ before e
        ("Nguyễn Văn Ong", "Nguyễn Văn Ông"),  # o before ô before ơ
        ("Nguyễn Văn Ông", "Nguyễn Văn Ơn"),
        ("Nguyễn Văn Uy", "Nguyễn Văn Ưng"),  # u before ư
        ("Nguyễn Văn Ưng", "Nguyễn Văn Vinh"),
        (
            "Nguyễn Văn Ma",
            "Nguyễn Văn Mà",
        ),  # tones after letters: level, huyền, hỏi, ngã, sắc, nặng
        ("Nguyễn Văn Mà", "Nguyễn Văn Mả"),
        ("Nguyễn Văn Mả", "Nguyễn Văn Mã"),
        ("Nguyễn Văn Mã", "Nguyễn Văn Má"),
        ("Nguyễn Văn Má", "Nguyễn Văn Mạ"),
        ("Nguyễn Văn Mạ", "Nguyễn Văn Mai"),  # letters decide before tones
        ("Lê An", "Lê Văn An"),  # same given name: shorter middle first
        ("Hồ Thị Lan", "Nguyễn Thị Lan"),  # same given and middle: family decides
    ],
)
def test_it_follows_the_vietnamese_alphabet(first, second):
    assert sort_key(first) < sort_key(second)


def test_it_does_not_depend_on_case_or_extra_spaces():
    assert sort_key("nguyễn  thị HỒNG nhung") == sort_key("Nguyễn Thị Hồng Nhung")


def test_the_key_is_digits_only_so_any_database_collation_orders_it_the_same():
    key = sort_key("Nguyễn Thị Hồng Nhung")
    assert key.isdigit()
    shuffled = ["Đặng Thu Hà", "Vũ Hà", "Bùi Thị Hạ", "Ngô Hà", "Lý Văn Hải"]
    random.Random(1).shuffle(shuffled)
    by_key = sorted(shuffled, key=sort_key)
    assert by_key == sorted(by_key, key=lambda n: sort_key(n))
    # Every "Hà" comes before "Hạ", whatever the middle and family names.
    assert by_key == ["Ngô Hà", "Vũ Hà", "Đặng Thu Hà", "Bùi Thị Hạ", "Lý Văn Hải"]


def test_folding_removes_every_diacritic_including_d_stroke():
    assert fold("Đặng Thị Hồng Nhung") == "dang thi hong nhung"


def test_search_text_pads_words_so_queries_match_word_starts():
    assert search_text("Nguyễn Thị Hồng Nhung", "CB-7") == " nguyen thi hong nhung cb-7 "
