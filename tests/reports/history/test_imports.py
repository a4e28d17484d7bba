"""Importing past years' results from Excel: all or nothing, idempotent, in bulk, audited."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.reports.conftest import (
    HEADERS,
    LEADER_COUNTS,
    PARTY_COUNTS,
    import_as,
    workbook_bytes,
)
from tests.spreadsheets.events import changes, import_event, sha256
from thuocdo.audit.models import AuditEvent
from thuocdo.reports.history.imports import RESULT_SHEET, template_write
from thuocdo.reports.models import HistoricalResult
from thuocdo.spreadsheets import ImportRejected

SMALL = [
    ["CB-A", "Nguyễn Thị Hồng Nhung", "P1", 2021, "Đảng viên", "HTT", 86.5, "Công chức"],
    ["CB-H", "", "Q1", 2021, "Cán bộ lãnh đạo, quản lý", "Hoàn thành xuất sắc nhiệm vụ", 92, ""],
    ["DV-9", "Phạm Văn Cũ", "CB1", 2021, "ĐV", "htnv", None, None],
    ["", "", "P1", 2021, "Tập thể", "HTXS", None, None],
]


def _rejected(world, content: bytes, username: str = "root") -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_as(world, username, content)
    return [str(problem) for problem in caught.value.problems]


def test_it_imports_the_can_tho_history_in_bulk(world, can_tho_file):
    with CaptureQueriesContext(connection) as queries:
        report = import_as(world, "root", can_tho_file)
    rows = sum(PARTY_COUNTS.values()) + sum(LEADER_COUNTS.values())
    assert rows == 49463 + 1236
    assert (report.created, report.updated, report.unchanged) == (rows, 0, 0)
    assert HistoricalResult.objects.count() == rows
    party = HistoricalResult.objects.filter(group="party_member")
    assert party.filter(level="HTXS").count() == 8714
    assert party.values("unit").distinct().count() == 4
    # Bulk statements: a few hundred queries (SQLite caps the rows per INSERT), never one a row.
    assert len(queries) < rows / 25
    # One audit event for the whole file, with the counts and the file's hash.
    assert AuditEvent.objects.filter(action="import").count() == 1
    assert not AuditEvent.objects.filter(action="history.import").exists()
    event = import_event()
    assert event["sha256"] == sha256(can_tho_file)
    assert len(event["created"]["history.import"]) == rows


def test_reimporting_the_same_file_changes_nothing(world):
    content = workbook_bytes(SMALL)
    first = import_as(world, "root", content)
    events = AuditEvent.objects.count()
    stamps = list(HistoricalResult.objects.order_by("pk").values_list("pk", "imported_at"))
    again = import_as(world, "root", content)
    assert (first.created, again.created, again.updated, again.unchanged) == (4, 0, 0, 4)
    assert AuditEvent.objects.count() == events
    assert list(HistoricalResult.objects.order_by("pk").values_list("pk", "imported_at")) == stamps


def test_it_reads_each_column_and_links_known_people(world):
    import_as(world, "root", workbook_bytes(SMALL))
    alice = HistoricalResult.objects.get(subject_code="CB-A")
    assert (alice.person, alice.unit, alice.level, alice.score, alice.category) == (
        world.alice,
        world.p1,
        "HTT",
        Decimal("86.50"),
        "civil_servant",
    )
    leader = HistoricalResult.objects.get(subject_code="CB-H")
    assert (leader.group, leader.level, leader.person) == ("leader", "HTXS", world.hana)
    # A code the registry does not know (someone who has left) is kept with its name.
    gone = HistoricalResult.objects.get(subject_code="DV-9")
    assert (gone.person, gone.full_name, gone.level) == (None, "Phạm Văn Cũ", "HTNV")
    collective = HistoricalResult.objects.get(group="collective")
    assert (collective.subject_code, collective.unit, collective.person) == ("P1", world.p1, None)


def test_a_changed_level_is_updated_and_audited(world):
    import_as(world, "root", workbook_bytes(SMALL))
    changed = [list(row) for row in SMALL]
    changed[0][5] = "HTXS"
    report = import_as(world, "root", workbook_bytes(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert HistoricalResult.objects.get(subject_code="CB-A").level == "HTXS"
    [change] = changes("history.import")
    assert (change["before"]["level"], change["after"]["level"]) == ("HTT", "HTXS")
    assert import_event()["actor"] == world.users["root"]


def test_a_bad_row_gives_row_column_and_reason_and_saves_nothing(world):
    rows = [list(row) for row in SMALL]
    rows[1][5] = "Xuất sắc lắm"  # Excel row 3, column F
    problems = _rejected(world, workbook_bytes(rows))
    assert problems == [
        "Sheet «Kết quả xếp loại», dòng 3, cột F «Mức xếp loại»: giá trị «Xuất sắc lắm» không "
        "thuộc các giá trị cho phép (HTXS, HTT, HTNV, KHT, KXL)."
    ]
    assert HistoricalResult.objects.count() == 0
    assert not AuditEvent.objects.filter(action="import").exists()


def test_every_problem_is_listed_at_once(world):
    rows: list[list[Any]] = [
        ["", "", "P1", 2021, "Đảng viên", "HTT", None, None],  # 2: no person code
        ["CB-A", "", "P1", 2021, "Tập thể", "HTT", None, None],  # 3: code on a collective
        ["CB-C", "", "XX", 2021, "Đảng viên", "HTT", None, None],  # 4: unknown unit
        ["CB-D", "", "P1", 2999, "Đảng viên", "HTT", None, None],  # 5: future year
        ["CB-E", "", "P1", 2021, "Đảng viên", "HTT", 120, None],  # 6: score above 100
        ["CB-F", "", "P1", 2021, "Đảng viên", "HTT", None, None],  # 7
        ["CB-F", "", "P2", 2021, "Đảng viên", "KHT", None, None],  # 8: repeats row 7
        ["CB-G", "", "P1", "năm ngoái", "Đảng viên", "HTT", None, None],  # 9: not a year
    ]
    problems = _rejected(world, workbook_bytes(rows))
    assert len(problems) == 7
    expected = [
        ("dòng 2, cột A «Mã cán bộ»", "ô bắt buộc với kết quả của cá nhân"),
        ("dòng 3, cột A «Mã cán bộ»", "phải để trống với nhóm Tập thể"),
        ("dòng 4, cột C «Mã đơn vị»", "không tìm thấy đơn vị có mã này"),
        ("dòng 5, cột D «Năm»", "phải từ 1990 đến"),
        ("dòng 6, cột G «Điểm»", "phải từ 0 đến 100"),
        ("dòng 8, cột A «Mã cán bộ»", "trùng mã cán bộ, năm và nhóm đối tượng với dòng 7"),
        ("dòng 9, cột D «Năm»", "không phải năm hợp lệ"),
    ]
    for problem, (where, reason) in zip(problems, expected, strict=True):
        assert where in problem and reason in problem
    assert HistoricalResult.objects.count() == 0


def test_a_missing_column_rejects_the_file(world):
    headers = [h for h in HEADERS if h != "Mức xếp loại"]
    row: list[Any] = ["CB-A", "", "P1", 2021, "Đảng viên"]
    problems = _rejected(world, workbook_bytes([row], headers))
    assert problems == [
        "Sheet «Kết quả xếp loại», dòng 1, cột «Mức xếp loại»: thiếu cột này ở dòng tiêu đề."
    ]


def test_an_organiser_imports_only_into_their_subtree(world):
    rows = [
        ["CB-A", "", "P1", 2021, "Đảng viên", "HTT", None, None],
        ["CB-B", "", "P2", 2021, "Đảng viên", "HTT", None, None],
    ]
    problems = _rejected(world, workbook_bytes(rows), "olga")
    assert len(problems) == 1
    assert "dòng 3, cột C «Mã đơn vị»" in problems[0]
    assert "nằm ngoài phạm vi bạn được quyền cập nhật" in problems[0]
    assert import_as(world, "olga", workbook_bytes(rows[:1])).created == 1


def test_the_template_has_the_columns_and_instructions(tmp_path, world):
    path = tmp_path / "mau.xlsx"
    template_write(path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Hướng dẫn", "Kết quả xếp loại"]  # instructions first
    headers = [cell.value for cell in wb["Kết quả xếp loại"][1]]
    # The cell after the last header holds the example row's note, under no header.
    assert headers == [*(column.header for column in RESULT_SHEET.columns), None]
    instructions = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row)
    assert "nhập lại đúng tệp cũ không thay đổi gì" in instructions
    assert "Mức xếp loại" in instructions
    # The empty template itself is a valid (empty) import.
    assert import_as(world, "root", path.read_bytes()).created == 0


def test_the_command_imports_and_exits_2_on_a_rejected_file(world, tmp_path):
    good = tmp_path / "tot.xlsx"
    good.write_bytes(workbook_bytes(SMALL))
    out = io.StringIO()
    call_command("report", "import", str(good), "--user", "root", stdout=out)
    assert "Kết quả xếp loại: 4 tạo mới" in out.getvalue()
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(workbook_bytes([["CB-X", "", "XX", 2021, "Đảng viên", "HTT", None, None]]))
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("report", "import", str(bad), "--user", "root", stderr=err)
    assert caught.value.returncode == 2
    assert "dòng 2, cột C «Mã đơn vị»" in err.getvalue()
    assert HistoricalResult.objects.count() == 4
