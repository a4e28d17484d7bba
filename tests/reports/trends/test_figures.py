"""The pure arithmetic of trends and rankings: competition ranks, means, changes of share."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from thuocdo.reports.trends.figures import competition_ranks, mean_of, share_change, vn_points

D = Decimal


@pytest.mark.parametrize(
    ("scores", "ranks"),
    [
        ([], []),
        ([D(90)], [1]),
        ([D(95), D(90), D(90), D(80)], [1, 2, 2, 4]),
        ([D(80), D(90), D(95), D(90)], [4, 2, 1, 2]),
        ([D(90), D(90), D(90)], [1, 1, 1]),
        ([D(90), None, D("90.00"), D(70)], [1, None, 1, 3]),
        ([None, None], [None, None]),
        ([D("89.99"), D(90), D("89.99"), D(50), D(50)], [2, 1, 2, 4, 4]),
    ],
)
def test_competition_ranks_share_a_place_and_skip_the_next(scores, ranks):
    assert competition_ranks(scores=scores) == ranks


@pytest.mark.parametrize(
    ("total", "count", "mean"),
    [
        (D(0), 0, None),
        (None, 3, None),
        (D(270), 3, D("90.00")),
        (D("255.5"), 3, D("85.17")),  # 85,1666… rounds down
        (D("170.01"), 2, D("85.01")),  # 85,005 rounds half up
    ],
)
def test_mean_of_rounds_half_up_to_two_decimals(total, count, mean):
    assert mean_of(total=total, count=count) == mean


@pytest.mark.parametrize(
    ("first", "last", "change", "text"),
    [
        (Fraction(1, 4), Fraction(3, 8), Fraction(1, 8), "+12,5 điểm %"),
        (Fraction(1, 3), Fraction(3, 10), Fraction(-1, 30), "−3,33 điểm %"),
        (Fraction(1, 5), Fraction(2, 5), Fraction(1, 5), "+20 điểm %"),
        (Fraction(1, 2), Fraction(1, 2), Fraction(0), "0 điểm %"),
        (None, Fraction(1, 2), None, "—"),
    ],
)
def test_a_change_of_share_prints_in_signed_percentage_points(first, last, change, text):
    assert share_change(first=first, last=last) == change
    assert vn_points(share_change(first=first, last=last)) == text
