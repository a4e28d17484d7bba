"""Reports fixtures: a synthetic history built from the Cần Thơ 2021 figures (seed 003).

49.463 Party members classified: 95,6% HTT or better, of which 18,43% HTXS; 4,07% HTNV;
0,34% KHT. Integer counts that print exactly those figures (checked in test_selectors):
HTXS 8.714, HTT 38.571, HTNV 2.011, KHT 167 — 47.285 / 49.463 = 95,60%; 8.714 / 47.285 =
18,43%; 2.011 / 49.463 = 4,07%; 167 / 49.463 = 0,34%. And 1.236 leaders: 434 / 790 / 9 / 3,
whose 434 HTXS are 35,46% of the 1.224 rated HTT or better, above the 20% quota.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import World
from thuocdo.org.models import Person
from thuocdo.reports.history.imports import history_import
from thuocdo.reviews.models import MonthlyScore, Period
from thuocdo.spreadsheets import ImportReport

HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Mã đơn vị",
    "Năm",
    "Nhóm đối tượng",
    "Mức xếp loại",
    "Điểm",
    "Đối tượng",
]
YEAR = 2021
PARTY_COUNTS = {"HTXS": 8714, "HTT": 38571, "HTNV": 2011, "KHT": 167}
LEADER_COUNTS = {"HTXS": 434, "HTT": 790, "HTNV": 9, "KHT": 3}
# The grassroots units the Party members are spread over (two districts), and the leaders'.
PARTY_UNITS = ("CB1", "P1", "P2", "Q2")
LEADER_UNITS = ("Q1", "Q2", "TP")


def _spread(
    counts: dict[str, int], units: Sequence[str], group: str, prefix: str
) -> Iterator[list[Any]]:
    """Rows for the counts, levels dealt round-robin over the units."""
    number = 0
    for level, count in counts.items():
        for _ in range(count):
            number += 1
            unit = units[number % len(units)]
            yield [f"{prefix}{number:06d}", "", unit, YEAR, group, level, None, None]


def can_tho_rows() -> Iterator[list[Any]]:
    """Every row of the synthetic Cần Thơ 2021 history."""
    yield from _spread(PARTY_COUNTS, PARTY_UNITS, "Đảng viên", "DV")
    yield from _spread(LEADER_COUNTS, LEADER_UNITS, "Cán bộ lãnh đạo, quản lý", "LD")


def workbook_bytes(rows: Iterable[Sequence[Any]], headers: Sequence[str] = HEADERS) -> bytes:
    """A history workbook filled the way a user fills the template (write-only: fast)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kết quả xếp loại")
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def can_tho_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 50.699-row workbook, written once per test session."""
    path = tmp_path_factory.mktemp("history") / "can-tho-2021.xlsx"
    path.write_bytes(workbook_bytes(can_tho_rows()))
    return path


def import_as(world: World, username: str, content: bytes | Path) -> ImportReport:
    """Import a workbook (bytes or a file) as one of the cast."""
    source: Any = content if isinstance(content, Path) else io.BytesIO(content)
    return history_import(actor=world.users[username], source=source)


@pytest.fixture
def can_tho(world: World, can_tho_file: Path) -> World:
    """The cast with the Cần Thơ 2021 history imported by the system administrator."""
    import_as(world, "root", can_tho_file)
    return world


def month_scores(world: World, levels: dict[Person, str], month: int = 11) -> Period:
    """Monthly scores of a month of 2026 with the given levels, for the month reports."""
    period = Period.objects.create(
        kind="month", year=2026, number=month, unit=world.city, ruleset="nd-335-2025"
    )
    for person, level in levels.items():
        unit = person.posts.get().unit
        zero = Decimal(0)
        MonthlyScore.objects.create(
            period=period,
            person=person,
            unit=unit,
            general=zero,
            quantity=zero,
            quality=zero,
            timeliness=zero,
            results=zero,
            total=Decimal(80),
            proposed_level=level,
            level=level,
        )
    return period
