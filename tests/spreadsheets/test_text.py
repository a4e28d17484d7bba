"""Text read from a workbook is stored in one form (NFC), and hidden characters are refused.

Vietnamese typed on some systems arrives decomposed (NFD: "e" + combining marks); stored as is,
it neither sorts nor matches the same name typed elsewhere. Zero-width and right-to-left
override characters make a code or a name look like another. Table-driven over every importer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import World
from tests.spreadsheets.sheets import EMPTY, workbook
from thuocdo.org.imports import people_import, units_import
from thuocdo.org.models import Person, Unit
from thuocdo.reports.history.imports import history_import
from thuocdo.reports.models import HistoricalResult
from thuocdo.spreadsheets import ImportRejected
from thuocdo.targets import services as target_services
from thuocdo.targets.imports import targets_import
from thuocdo.targets.models import Indicator
from thuocdo.work.catalogue import catalogue_import
from thuocdo.work.models import JobPosition

NAME = "Phường Nguyễn Thị Minh Khai"
NFD = unicodedata.normalize("NFD", NAME)


def _units(world: World, text: str) -> Callable[[], Any]:
    sheets = {"Đơn vị": [*EMPTY["units"]["Đơn vị"], ["P1-X", text, "Chi bộ", "P1"]]}
    return lambda: units_import(actor=world.users["olga"], source=workbook(sheets))


def _people(world: World, text: str) -> Callable[[], Any]:
    post = ["CB-X", "P1", "Chuyên viên", None, None, None, None, None, "01/01/2024"]
    sheets = {
        "Cán bộ": [*EMPTY["people"]["Cán bộ"], ["CB-X", text, "01/01/1990", "Nữ", "Công chức"]],
        "Chức vụ": [*EMPTY["people"]["Chức vụ"], post],
    }
    return lambda: people_import(actor=world.users["olga"], source=workbook(sheets))


def _catalogue(world: World, text: str) -> Callable[[], Any]:
    sheets = {**EMPTY["catalogue"]}
    sheets["Vị trí việc làm"] = [*sheets["Vị trí việc làm"], ["VT-X", text, "P1"]]
    return lambda: catalogue_import(actor=world.users["olga"], source=workbook(sheets))


def _targets(world: World, text: str) -> Callable[[], Any]:
    sheets = {"Chỉ tiêu": [*EMPTY["targets"]["Chỉ tiêu"], ["1", "Khác", text, "cái", 5]]}
    target_set = target_services.target_set_create(actor=None, unit=world.q1, year=2026)
    return lambda: targets_import(
        actor=world.users["olga"], target_set=target_set, source=workbook(sheets)
    )


def _history(world: World, text: str) -> Callable[[], Any]:
    row = ["DV-X", text, "P1", 2021, "Đảng viên", "HTT"]
    sheets = {"Kết quả xếp loại": [*EMPTY["history"]["Kết quả xếp loại"], row]}
    return lambda: history_import(actor=world.users["olga"], source=workbook(sheets))


# importer, the sheet and column the text goes to, where it is stored.
IMPORTERS: dict[str, tuple[Callable[[World, str], Callable[[], Any]], str, str, Callable[[], str]]]
IMPORTERS = {
    "units": (_units, "Đơn vị", "B", lambda: Unit.objects.get(code="P1-X").name),
    "people": (_people, "Cán bộ", "B", lambda: Person.objects.get(code="CB-X").full_name),
    "catalogue": (
        _catalogue,
        "Vị trí việc làm",
        "B",
        lambda: JobPosition.objects.get(code="VT-X").name,
    ),
    "targets": (_targets, "Chỉ tiêu", "C", lambda: Indicator.objects.get(code="1").name),
    "history": (
        _history,
        "Kết quả xếp loại",
        "B",
        lambda: HistoricalResult.objects.get(subject_code="DV-X").full_name,
    ),
}
HIDDEN = {
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "byte order mark": "\ufeff",
    "a control character": "\x7f",
}


@pytest.mark.parametrize("importer", IMPORTERS)
def test_decomposed_vietnamese_is_stored_composed(world, importer):
    build, _, _, stored = IMPORTERS[importer]
    assert NFD != NAME
    build(world, NFD)()
    assert stored() == NAME


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("importer", IMPORTERS)
def test_hidden_characters_are_refused_with_their_row_and_column(world, importer, hidden):
    build, sheet, letter, _ = IMPORTERS[importer]
    text = NAME[:6] + HIDDEN[hidden] + NAME[6:]
    with pytest.raises(ImportRejected) as rejected:
        build(world, text)()
    located = [(p.sheet, p.row, p.letter) for p in rejected.value.problems]
    assert (sheet, 2, letter) in located
    problem = next(
        p for p in rejected.value.problems if (p.sheet, p.row, p.letter) == (sheet, 2, letter)
    )
    assert "ký tự không được phép" in problem.reason
    assert f"U+{ord(HIDDEN[hidden]):04X}" in problem.reason
