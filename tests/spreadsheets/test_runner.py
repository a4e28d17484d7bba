"""The all-or-nothing runner: a problem found by the checks writes nothing, a failure while
writing rolls everything back, and an accepted file is written and audited once."""

from __future__ import annotations

import hashlib
import io

import pytest
from openpyxl import Workbook

from thuocdo.audit.models import AuditEvent
from thuocdo.org.models import Unit
from thuocdo.spreadsheets import (
    AuditBuffer,
    Column,
    ImportRejected,
    ImportReport,
    Problems,
    Row,
    SheetSpec,
    WorkbookSpec,
    duplicates_flag,
    import_run,
)

SHEET = SheetSpec("Đơn vị", (Column("code", "Mã", True), Column("name", "Tên", True)))
WORKBOOK = WorkbookSpec(
    key="test", title="Thử", sheets=(SHEET,), file_name="thu.xlsx", labels={"unit": "Đơn vị"}
)


def _file(*rows: list[str]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Đơn vị"
    for row in [["Mã", "Tên"], *rows]:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "don-vi.xlsx"
    return buffer


def _check(sheets: dict[str, list[Row]], problems: Problems) -> dict[str, Row]:
    return duplicates_flag(
        SHEET, sheets[SHEET.name], lambda r: r.values["code"], "code", problems, "mã"
    )


def _write(rows: dict[str, Row], report: ImportReport, audit: AuditBuffer) -> None:
    for code, row in rows.items():
        unit = Unit(code=code, name=row.values["name"], kind="party", path="", depth=0)
        unit.save()
        unit.path = unit.own_segment()
        unit.save()
        if code == "BOOM":
            raise RuntimeError("the database fails half-way")
        audit.add("unit.import", unit)
        report.of("unit").created += 1


def _run(source: io.BytesIO, actor=None) -> ImportReport:
    return import_run(actor=actor, source=source, workbook=WORKBOOK, check=_check, write=_write)


def test_an_accepted_file_is_written_and_audited_once_with_the_files_name_and_hash(db):
    source = _file(["A", "Một"], ["B", "Hai"])
    digest = hashlib.sha256(source.getvalue()).hexdigest()
    report = _run(source)
    assert report.lines() == ["Đơn vị: 2 tạo mới, 0 cập nhật, 0 không thay đổi."]
    assert report.kind == "test"
    assert sorted(Unit.objects.values_list("code", flat=True)) == ["A", "B"]
    [event] = AuditEvent.objects.all()
    assert (event.action, event.object_type, event.object_repr) == (
        "import",
        "import.test",
        "don-vi.xlsx",
    )
    assert event.note == f"Nhập từ tệp «don-vi.xlsx», SHA-256 {digest}"
    assert event.after == {
        "workbook": "test",
        "file": "don-vi.xlsx",
        "sha256": digest,
        "counts": {"unit": {"created": 2, "updated": 0, "unchanged": 0}},
        "created": {"unit.import": sorted(Unit.objects.values_list("pk", flat=True))},
        "updated": {},
    }


def test_a_problem_found_by_the_checks_writes_nothing(db):
    with pytest.raises(ImportRejected) as rejected:
        _run(_file(["A", "Một"], ["A", "Một lần nữa"]))
    assert rejected.value.lines() == [
        "Sheet «Đơn vị», dòng 3, cột A «Mã»: giá trị «A» trùng mã với dòng 2."
    ]
    assert not Unit.objects.exists() and not AuditEvent.objects.exists()


def test_a_failure_while_writing_rolls_everything_back(db):
    with pytest.raises(RuntimeError):
        _run(_file(["A", "Một"], ["BOOM", "Hỏng"]))
    assert not Unit.objects.exists() and not AuditEvent.objects.exists()
