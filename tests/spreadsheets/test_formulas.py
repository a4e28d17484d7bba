"""Text that looks like a formula leaves every Excel export as text, never as a live formula.

A name typed as "=HYPERLINK(...)" or "+cmd|' /C calc'!A0" would otherwise run when the export
is opened. Every export saves through the shared writer, which stores such cells as text with
Excel's quote prefix; a structural test keeps new exports on that path.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

import thuocdo
from tests.reports.conftest import import_as, workbook_bytes
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.distribution.exports import distribution_workbook
from thuocdo.targets import selectors as target_selectors
from thuocdo.targets import services as target_services
from thuocdo.targets.exports import dashboard_workbook
from thuocdo.work import services as work_services
from thuocdo.work.catalogue import catalogue_export

FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1:A2)", '=HYPERLINK("http://x.invalid","bấm")']


def _texts(content: bytes) -> dict[str, tuple[str, bool]]:
    """Every text cell of a workbook: its value, its type and whether it is quote-prefixed."""
    wb = load_workbook(io.BytesIO(content))
    found: dict[str, tuple[str, bool]] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found[cell.value] = (cell.data_type, bool(cell.quotePrefix))
    return found


def _assert_escaped(content: bytes, texts: list[str]) -> None:
    cells = _texts(content)
    for text in texts:
        assert cells.get(text) == ("s", True), (text, cells.get(text))
    assert all(kind != "f" for kind, _ in cells.values())


def test_the_catalogue_export_escapes_formula_looking_names(world):
    position = work_services.job_position_create(
        actor=None, code="VT-F", name=FORMULAS[0], unit=world.p1
    )
    for index, text in enumerate(FORMULAS[1:]):
        work_services.product_type_create(
            actor=None,
            job_position=position,
            code=f"SP{index}",
            name=text,
            group="B",
            unit_of_measure="cái",
        )
    buffer = io.BytesIO()
    catalogue_export(position, buffer)
    _assert_escaped(buffer.getvalue(), FORMULAS)


def test_the_targets_export_escapes_formula_looking_names(world):
    target_set = target_services.target_set_create(actor=None, unit=world.q1, year=2026)
    for index, text in enumerate(FORMULAS, start=1):
        target_services.indicator_add(
            actor=None,
            target_set=target_set,
            code=str(index),
            group="other",
            group_label="Khác",
            name=text,
            unit_of_measure="cái",
            target=Decimal(5),
            position=index,
        )
    content = dashboard_workbook(target_selectors.targets_dashboard(target_set))
    _assert_escaped(content, FORMULAS)


def test_the_distribution_export_escapes_a_formula_looking_unit_name(world):
    world.q1.name = FORMULAS[-1]  # the city report lists its districts
    world.q1.save(update_fields=["name"])
    import_as(world, "root", workbook_bytes([["CB-A", "", "P1", 2021, "Đảng viên", "HTT"]]))
    content = distribution_workbook(distribution_report(unit=world.city, year=2021))
    cells = _texts(content)
    assert any(
        FORMULAS[-1] in text and kind == "s" and prefixed
        for text, (kind, prefixed) in cells.items()
    ), cells
    assert all(kind != "f" for kind, _ in cells.values())


def test_every_workbook_is_saved_through_the_shared_writer():
    """No module but the shared writer calls openpyxl's save: every export goes through it."""
    root = Path(thuocdo.__file__).parent
    writer = root / "spreadsheets" / "writer.py"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != writer and re.search(r"\bwb\.save\(|\bWorkbook\(.*\)\.save\(", path.read_text())
    ]
    assert offenders == []
