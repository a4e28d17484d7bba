"""The demo city's past: three years of classification results before the system was in use.

Without them the reports of a fresh demo would be empty. The results are drawn the way the
seeds describe the years before points were used: most people "HTT or better", a share of HTXS
near the 20% quota, and one district (`LENIENT_DISTRICT`) that rates almost everyone
excellent ("nể nang"), so that the leniency analytics and the quota flags have something real
to find. One district (`AT_LIMIT_UNIT`) keeps its Party members' HTXS, over its whole
subtree, exactly at the quota limit every year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import accumulate
from random import Random
from typing import Any

from django.db import transaction
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.demo.bulk import rows_insert, tables_analyze
from thuocdo.demo.common import DemoError
from thuocdo.demo.registry import ROOT_CODE
from thuocdo.org.models import Post, Unit
from thuocdo.reports.common.levels import QUOTA_RATE
from thuocdo.reports.history.counts import history_counts_refresh
from thuocdo.reports.models import HistoricalResult, HistoryCount
from thuocdo.reviews.annual.levels import STATE_GROUPS
from thuocdo.reviews.annual.services.opening import _group_of
from thuocdo.reviews.models import EvaluationGroup

YEARS_BACK = 3
LENIENT_DISTRICT = "Q03"
AT_LIMIT_UNIT = "Q02"
BATCH = 5000

# Chances of each level (HTXS, HTT, HTNV, KHT) in an ordinary unit and in the lenient district.
ORDINARY = (0.16, 0.77, 0.06, 0.01)
LENIENT = (0.45, 0.53, 0.02, 0.0)
LEVELS = ("HTXS", "HTT", "HTNV", "KHT")
# Score bands in tenths of a point (366 Điều 11): HTXS ≥ 90, HTT ≥ 70, HTNV ≥ 50.
BANDS: Mapping[str, tuple[int, int]] = {
    "HTXS": (90, 100),
    "HTT": (70, 89),
    "HTNV": (50, 69),
    "KHT": (30, 49),
}


# The columns written, in order; LEVEL is the level's place among them.
COLUMNS = (
    "year", "group", "subject_code", "person_id", "full_name", "unit_id", "level", "score",
    "category", "imported_at",
)  # fmt: skip
LEVEL = COLUMNS.index("level")


class DemoHistoryError(DemoError):
    """The demo history cannot be built on this database."""


def _thresholds(chances: Sequence[float]) -> tuple[float, ...]:
    """The running sums of the chances: a draw of [0, 1) falls under the first that exceeds
    it (the last is 1, so every draw falls somewhere)."""
    sums = list(accumulate(chances))
    return (*sums[:-1], 1.0)


def _draw(draw: float, thresholds: Sequence[float]) -> str:
    """The level a draw of [0, 1) falls on."""
    for level, threshold in zip(LEVELS, thresholds, strict=True):
        if draw < threshold:
            return level
    return LEVELS[-1]


def _subjects(at: datetime.date) -> Iterator[tuple[str, str, int | None, str, int, str, str]]:
    """(code, name, person id, category, unit id, unit path, group) of every subject: each
    person once per group (a Party member who is công chức is also counted as a Party member),
    and every unit as a collective."""
    seen: set[tuple[str, str]] = set()
    posts = (
        Post.objects.active(at)
        .order_by("person_id", "-is_head", "-is_deputy", "pk")
        .values(
            "person_id",
            "person__code",
            "person__full_name",
            "person__category",
            "person__is_party_member",
            "unit_id",
            "unit__path",
            "is_head",
            "is_deputy",
        )
    )
    for row in posts.iterator(chunk_size=BATCH):
        group = _group_of(row)
        groups = [group]
        if row["person__is_party_member"] and group in STATE_GROUPS:
            groups.append(EvaluationGroup.PARTY_MEMBER)
        for g in groups:
            key = (row["person__code"], str(g))
            if key in seen:
                continue
            seen.add(key)
            yield (
                row["person__code"],
                row["person__full_name"],
                row["person_id"],
                row["person__category"],
                row["unit_id"],
                row["unit__path"],
                str(g),
            )
    for unit in Unit.objects.values("pk", "code", "name", "path").iterator(chunk_size=BATCH):
        yield (unit["code"], unit["name"], None, "", unit["pk"], unit["path"], "collective")


def _at_limit(levels: list[str]) -> list[str]:
    """The same people with exactly as many HTXS as the 20% quota allows (DESIGN.md §4.5)."""
    good = sum(1 for level in levels if level in ("HTXS", "HTT"))
    limit = int(good * QUOTA_RATE)
    out, excellent = [], 0
    for level in levels:
        if level in ("HTXS", "HTT"):
            level = "HTXS" if excellent < limit else "HTT"
            excellent += level == "HTXS"
        out.append(level)
    return out


def demo_history_build(
    *, seed: int, today: datetime.date, years: int = YEARS_BACK
) -> dict[str, int]:
    """Write the demo city's results of the `years` years before this one (bulk, audited)."""
    if HistoricalResult.objects.exists():
        raise DemoHistoryError("Đã có kết quả các năm trước; không dựng thêm dữ liệu mẫu.")
    units = dict(
        Unit.objects.filter(code__in=[LENIENT_DISTRICT, AT_LIMIT_UNIT]).values_list("code", "path")
    )
    lenient = units.get(LENIENT_DISTRICT)
    at_limit = units.get(AT_LIMIT_UNIT)
    rnd = Random(seed).random
    ordinary, lenient_chances = _thresholds(ORDINARY), _thresholds(LENIENT)
    subjects = list(_subjects(today))
    first = today.year - years
    written = 0
    now = timezone.now()
    with transaction.atomic():
        for year in range(first, today.year):
            rows: list[list[Any]] = []
            # The district's whole subtree: its committee, agencies, wards and cells.
            limited: list[int] = []
            for code, name, person, category, unit, path, group in subjects:
                chances = lenient_chances if lenient and path.startswith(lenient) else ordinary
                level = _draw(rnd(), chances)
                if at_limit and path.startswith(at_limit) and group == "party_member":
                    limited.append(len(rows))
                score = _score(rnd(), level)
                rows.append(
                    [year, group, code, person, name if person else "", unit, level, score,
                     category, now]
                )  # fmt: skip
            fixed = _at_limit([rows[i][LEVEL] for i in limited])
            for i, level in zip(limited, fixed, strict=True):
                rows[i][LEVEL] = level
            rows_insert(HistoricalResult, COLUMNS, (tuple(row) for row in rows))
            written += len(rows)
        history_counts_refresh(years=range(first, today.year))
        tables_analyze(HistoricalResult, HistoryCount)
        root = Unit.objects.filter(code=ROOT_CODE).first()
        if root is not None:
            audit_record(
                actor=None,
                action="demo.history_build",
                obj=root,
                after={"results": written, "years": [first, today.year - 1], "seed": seed},
                note="Dữ liệu mẫu: kết quả xếp loại các năm trước của Thành phố Mẫu",
            )
    return {"history": written}


# Every score of a band, to a tenth of a point, made once.
SCORES: Mapping[str, tuple[Decimal, ...]] = {
    level: tuple(Decimal(tenths) / 10 for tenths in range(low * 10, high * 10 + 1))
    for level, (low, high) in BANDS.items()
}


def _score(draw: float, level: str) -> Decimal:
    """A plausible annual score inside the level's band (HTXS ≥ 90, HTT ≥ 70, HTNV ≥ 50), for
    a draw of [0, 1)."""
    scores = SCORES[level]
    return scores[int(draw * len(scores))]
