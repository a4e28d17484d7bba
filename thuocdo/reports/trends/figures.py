"""The arithmetic of trends and of the comparison of equivalent positions (no Django import).

Ranks are competition ranks ("1, 2, 2, 4"): subjects with the same score share a rank and the
next one skips as many places as were shared, as results are ranked when published. A subject
without a score, or not classified (KXL), has no rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from thuocdo.rules.fmt import vn_number

CENT = Decimal("0.01")


def competition_ranks(*, scores: Sequence[Decimal | None]) -> list[int | None]:
    """The rank of each score, best first, ties sharing a rank (1, 2, 2, 4); None unranked."""
    known = sorted((score for score in scores if score is not None), reverse=True)
    first_place: dict[Decimal, int] = {}
    for place, score in enumerate(known, start=1):
        first_place.setdefault(score, place)
    return [None if score is None else first_place[score] for score in scores]


def mean_of(*, total: Decimal | None, count: int) -> Decimal | None:
    """A mean rounded half up to two decimals; None when nothing was scored."""
    if not count or total is None:
        return None
    return (Decimal(total) / count).quantize(CENT, rounding=ROUND_HALF_UP)


def share_change(*, first: Fraction | None, last: Fraction | None) -> Fraction | None:
    """How far a share moved between two years (a ratio; 0.125 is 12,5 percentage points)."""
    if first is None or last is None:
        return None
    return last - first


def vn_points(change: Fraction | None) -> str:
    """A change of share in percentage points, signed (+12,5 điểm %; −3,33 điểm %; 0 điểm %)."""
    if change is None:
        return "—"
    exact = Decimal(change.numerator * 100) / Decimal(change.denominator)
    points = exact.quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    if points == 0:
        return "0 điểm %"
    sign = "+" if points > 0 else "−"
    return f"{sign}{vn_number(abs(points))} điểm %"
