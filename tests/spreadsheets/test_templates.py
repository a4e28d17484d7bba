"""Every importer's template opens on «Hướng dẫn» and shows one example row per sheet, marked as
such, that its importer skips while it is left as written (issue 16)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import World
from thuocdo.org.imports import WORKBOOKS, people_import, units_import
from thuocdo.org.models import Unit
from thuocdo.reports.history.imports import WORKBOOK as HISTORY
from thuocdo.reports.history.imports import history_import
from thuocdo.spreadsheets import ImportRejected, WorkbookSpec, template_bytes
from thuocdo.spreadsheets.writer import EXAMPLE_NOTE
from thuocdo.targets import services as target_services
from thuocdo.targets.imports import WORKBOOK as TARGETS
from thuocdo.targets.imports import targets_import
from thuocdo.work.catalogue import WORKBOOK as CATALOGUE
from thuocdo.work.catalogue import catalogue_import


def _targets(world: World, source: Any) -> Any:
    target_set = target_services.target_set_create(actor=None, unit=world.q1, year=2026)
    return targets_import(actor=world.users["root"], target_set=target_set, source=source)


IMPORTERS: dict[str, tuple[WorkbookSpec, Callable[[World, Any], Any]]] = {
    "units": (WORKBOOKS["units"], lambda w, s: units_import(actor=w.users["root"], source=s)),
    "people": (WORKBOOKS["people"], lambda w, s: people_import(actor=w.users["root"], source=s)),
    "catalogue": (CATALOGUE, lambda w, s: catalogue_import(actor=w.users["root"], source=s)),
    "targets": (TARGETS, _targets),
    "history": (HISTORY, lambda w, s: history_import(actor=w.users["root"], source=s)),
}


@pytest.mark.parametrize("importer", IMPORTERS)
def test_the_template_opens_on_its_instructions(importer):
    workbook, _ = IMPORTERS[importer]
    wb = load_workbook(io.BytesIO(template_bytes(workbook)))
    assert wb.sheetnames[0] == "Hướng dẫn"
    assert wb.active is not None and wb.active.title == "Hướng dẫn"
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Hướng dẫn", *(spec.name for spec in workbook.sheets)]
    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "dòng ví dụ" in guide


@pytest.mark.parametrize("importer", IMPORTERS)
def test_every_sheet_has_one_example_row_marked_as_such(importer):
    workbook, _ = IMPORTERS[importer]
    wb = load_workbook(io.BytesIO(template_bytes(workbook)))
    for spec in workbook.sheets:
        ws = wb[spec.name]
        example = [ws.cell(row=2, column=i + 1) for i in range(len(spec.columns))]
        assert len(spec.example) == len(spec.columns)
        assert all(cell.font.italic for cell in example if cell.value is not None)
        assert ws.cell(row=2, column=len(spec.columns) + 1).value == EXAMPLE_NOTE
        assert all(ws.cell(row=3, column=i + 1).value is None for i in range(len(spec.columns)))


@pytest.mark.parametrize("importer", IMPORTERS)
def test_the_template_as_downloaded_imports_nothing(world, importer):
    """Its example rows name units and people that do not exist: read, they would be refused."""
    workbook, run = IMPORTERS[importer]
    report = run(world, io.BytesIO(template_bytes(workbook)))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)


def test_an_example_row_written_over_is_imported(world):
    wb = load_workbook(io.BytesIO(template_bytes(WORKBOOKS["units"])))
    ws = wb["Đơn vị"]
    for column, value in enumerate(["P1-MOI", "Tổ dân phố mới", "Chi bộ", "P1"], start=1):
        ws.cell(row=2, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    report = units_import(actor=world.users["olga"], source=buffer)
    assert report.of("unit").created == 1
    assert Unit.objects.get(code="P1-MOI").parent == world.p1


def test_an_example_row_partly_changed_is_read_as_data(world):
    """Only the example exactly as written is skipped; a half-edited one is checked like any row."""
    wb = load_workbook(io.BytesIO(template_bytes(WORKBOOKS["units"])))
    wb["Đơn vị"]["B2"] = "Tên đã sửa"
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportRejected, match="VD-Q01"):
        units_import(actor=world.users["root"], source=buffer)
