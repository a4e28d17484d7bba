"""The pure arithmetic of a distribution: shares in both conventions, the quota, formats."""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

import pytest

from tests.reports.conftest import LEADER_COUNTS, PARTY_COUNTS
from thuocdo.reports.common import levels as distribution
from thuocdo.reports.common.levels import LevelCounts, quota_check, quota_source, vn_share


def test_the_party_counts_print_the_can_tho_figures():
    counts = LevelCounts.of(PARTY_COUNTS)
    assert counts.total == 49463
    assert vn_share(counts.good_or_better_share) == "95,6%"
    assert vn_share(counts.excellent_of_good) == "18,43%"
    assert vn_share(counts.share("HTNV")) == "4,07%"
    assert vn_share(counts.share("KHT")) == "0,34%"
    assert not quota_check(counts).breached


def test_the_leaders_break_the_quota():
    counts = LevelCounts.of(LEADER_COUNTS)
    assert (counts.total, counts.good_or_better) == (1236, 1224)
    check = quota_check(counts)
    assert (check.limit, check.breached) == (244, True)
    assert vn_share(check.share) == "35,46%"
    assert check.explanation() == (
        "434 HTXS trên 1.224 người được xếp loại từ Hoàn thành tốt nhiệm vụ trở lên = 35,46%, "
        "vượt tỷ lệ 20% (tối đa 244; vượt 190)"
    )


@pytest.mark.parametrize(
    ("htxs", "htt", "breached"),
    [(20, 80, False), (21, 79, True), (0, 0, False), (1, 0, True), (2, 8, False), (3, 8, True)],
)
def test_the_quota_allows_exactly_a_fifth_of_htt_or_better(htxs, htt, breached):
    assert quota_check(LevelCounts(htxs=htxs, htt=htt)).breached is breached


def test_unclassified_subjects_are_counted_but_not_in_the_total():
    counts = LevelCounts.of({"HTT": 3, "KHT": 1, "KXL": 2})
    assert (counts.total, counts.kxl, counts.is_empty) == (4, 2, False)
    assert counts.share("KHT") == Fraction(1, 4)
    assert LevelCounts(kxl=1).share("HTT") is None
    assert LevelCounts().is_empty


def test_counts_add_up():
    assert LevelCounts(1, 2, 3, 4, 5) + LevelCounts(10, 20, 30, 40, 50) == LevelCounts(
        11, 22, 33, 44, 55
    )


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (Fraction(1, 5), "20%"),
        (Fraction(47285, 49463), "95,6%"),
        (Fraction(1, 3), "33,33%"),
        (Fraction(1, 8), "12,5%"),
        (Fraction(1, 200), "0,5%"),
        (Fraction(1), "100%"),
        (None, "—"),
    ],
)
def test_shares_are_printed_the_vietnamese_way(ratio, text):
    assert vn_share(ratio) == text


@pytest.mark.parametrize(
    ("group", "year", "source"),
    [
        ("party_member", 2021, "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW"),
        ("leader", 2024, "Quy định 124-QĐ/TW; Hướng dẫn 25-HD/BTCTW"),
        ("collective", 2025, "Quy định 366-QĐ/TW; Hướng dẫn 43-HD/BTCTW"),
        ("civil_servant", 2026, "Nghị định 335/2025/NĐ-CP"),
        ("public_employee", 2026, "Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP"),
        ("civil_servant", 2021, None),
    ],
)
def test_each_group_and_year_cites_the_regulation_that_set_the_quota(group, year, source):
    assert quota_source(group, year) == source


def test_the_module_does_not_import_django():
    tree = ast.parse(Path(distribution.__file__).read_text(encoding="utf-8"))
    nodes = list(ast.walk(tree))
    imported = {a.name for n in nodes if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in nodes if isinstance(n, ast.ImportFrom)}
    assert not any(name.startswith("django") for name in imported)
