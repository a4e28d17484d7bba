"""Importing a head's indicators and actuals from Excel: all or nothing, idempotent."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.targets.conftest import EIGHTEEN, workbook_bytes
from thuocdo.audit.models import AuditEvent
from thuocdo.spreadsheets import ImportRejected
from thuocdo.targets import selectors, services
from thuocdo.targets.imports import parse_month, parse_number, targets_import, template_write
from thuocdo.targets.models import (
    Aggregation,
    Indicator,
    IndicatorActual,
    IndicatorGroup,
    TargetSet,
)

ACTUALS = [
    ["1", "06/2026", 1000, "Báo cáo 6 tháng"],
    ["1", "12/2026", 1100, "Báo cáo năm số 45-BC/HU"],
    ["6", "12/2026", 6.3, "Cục Thống kê"],
    ["16", "12/2026", 40, "Công an huyện"],
]


def _import(world, target_set, content: bytes):
    return targets_import(
        actor=world.users["olga"], target_set=target_set, source=io.BytesIO(content)
    )


def test_it_imports_the_heads_18_indicators_in_their_groups(world, q1_set):
    report = _import(world, q1_set, workbook_bytes())
    assert report.created == 18
    indicators = list(q1_set.indicators.order_by("position"))
    assert [i.code for i in indicators] == [row[0] for row in EIGHTEEN]
    first = indicators[0]
    assert (first.group, first.target, first.is_main, first.weight) == (
        IndicatorGroup.PARTY,
        Decimal(2000),
        True,
        Decimal(2),
    )
    assert indicators[8].direction == "less"  # Tỷ lệ hộ nghèo
    assert indicators[5].aggregation == Aggregation.LAST  # a rate is read at its latest value
    assert first.aggregation == Aggregation.SUM  # a count is summed over the months
    other = indicators[17]
    assert (other.group, other.group_name) == (IndicatorGroup.OTHER, "Cải cách hành chính")
    assert q1_set.head_person == world.hana


def test_it_imports_actuals_and_computes_achievement(world, q1_set):
    _import(world, q1_set, workbook_bytes(actuals=ACTUALS))
    dashboard = selectors.targets_dashboard(q1_set)
    rows = {row.indicator.code: row for row in dashboard.rows}
    assert rows["1"].actual == Decimal(2100)
    assert rows["1"].figure == "2.100 / 2.000 = 105%"
    assert rows["6"].figure == "6,3 / 7 = 90%" and rows["6"].missed_main
    assert rows["16"].figure == "50 / 40 = 125% (càng thấp càng tốt)"
    summary = dashboard.summary
    assert (summary.assigned, summary.met, summary.main_missed) == (18, 2, 3)
    assert summary.veto and summary.review


def test_reimporting_the_same_file_changes_nothing(world, q1_set):
    content = workbook_bytes(actuals=ACTUALS)
    _import(world, q1_set, content)
    events = AuditEvent.objects.count()
    report = _import(world, q1_set, content)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 22)
    assert AuditEvent.objects.count() == events


def test_a_changed_row_is_updated_and_audited(world, q1_set):
    _import(world, q1_set, workbook_bytes())
    rows = [list(r) for r in EIGHTEEN]
    rows[0][4] = "2.200"  # typed as Vietnamese text: two thousand two hundred
    report = _import(world, q1_set, workbook_bytes(rows))
    assert (report.updated, report.unchanged) == (1, 17)
    assert Indicator.objects.get(target_set=q1_set, code="1").target == Decimal(2200)
    event = AuditEvent.objects.filter(action="indicator.update").latest("id")
    assert event.before is not None and event.after is not None
    assert Decimal(event.before["target"]) == 2000 and Decimal(event.after["target"]) == 2200


def test_a_bad_workbook_lists_every_problem_with_row_and_column_and_writes_nothing(world, q1_set):
    rows = [list(r) for r in EIGHTEEN[:4]]
    rows[1][4] = "nhiều"  # row 3: target is not a number
    rows[2][5] = "Càng nhiều càng vui"  # row 4: unknown direction
    rows[3][0] = "1"  # row 5: the code of row 2 again
    rows.append(["19", ECONOMY_TEXT, "", "%", -5, "Càng cao càng tốt", "Có", 1])  # row 6
    actuals: list[list[Any]] = [["99", "13/2026", "abc", ""], ["1", "03/2025", 5, ""]]
    with pytest.raises(ImportRejected) as caught:
        _import(world, q1_set, workbook_bytes(rows, actuals))
    lines = [str(p) for p in caught.value.problems]
    expected = [
        "Sheet «Chỉ tiêu», dòng 3, cột E «Chỉ tiêu giao»: giá trị «nhiều» không phải số.",
        "Sheet «Chỉ tiêu», dòng 4, cột F «Chiều»",
        "Sheet «Chỉ tiêu», dòng 5, cột A «Mã»: giá trị «1» trùng mã chỉ tiêu với dòng 2.",
        "Sheet «Chỉ tiêu», dòng 6, cột C «Tên chỉ tiêu»: ô bắt buộc, không được để trống.",
        "Sheet «Chỉ tiêu», dòng 6, cột E «Chỉ tiêu giao»: giá trị «-5» không được âm.",
        "Sheet «Kết quả», dòng 2, cột A «Mã»: giá trị «99» không có chỉ tiêu nào mang mã này.",
        "Sheet «Kết quả», dòng 2, cột B «Kỳ»: giá trị «13/2026» không phải tháng hợp lệ",
        "Sheet «Kết quả», dòng 2, cột C «Giá trị»: giá trị «abc» không phải số.",
        "Sheet «Kết quả», dòng 3, cột B «Kỳ»: giá trị «03/2025» không thuộc năm 2026",
    ]
    assert len(lines) == len(expected)
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), line
    assert not Indicator.objects.exists() and not IndicatorActual.objects.exists()


ECONOMY_TEXT = "Kinh tế - xã hội"


def test_a_workbook_without_its_columns_is_rejected_at_once(world, q1_set):
    with pytest.raises(ImportRejected) as caught:
        _import(world, q1_set, workbook_bytes(headers=["Mã", "Nhóm", "Tên"]))
    assert any(
        "thiếu cột này" in str(p) and "Chỉ tiêu giao" in str(p) for p in caught.value.problems
    )


def test_a_closed_set_refuses_an_import(world, q1_set):
    _import(world, q1_set, workbook_bytes())
    olga = world.users["olga"]
    services.target_set_assign(actor=olga, target_set=q1_set)
    services.target_set_close(actor=olga, target_set=q1_set)
    with pytest.raises(ImportRejected, match="1 lỗi"):
        _import(world, q1_set, workbook_bytes(actuals=ACTUALS))
    assert not IndicatorActual.objects.exists()


@pytest.mark.parametrize(
    ("text", "number"),
    [("2.100", Decimal(2100)), ("95,5", Decimal("95.5")), ("1.234,5", Decimal("1234.5")),
     (2.1, Decimal("2.1")), ("7", Decimal(7)), ("x", None)],
)  # fmt: skip
def test_numbers_are_read_the_vietnamese_way(text, number):
    assert parse_number(text) == number


def test_months_are_read_as_mm_yyyy():
    assert str(parse_month("3/2026")) == "2026-03-01"
    assert parse_month("13/2026") is None


def test_the_template_has_the_sheets_and_its_instructions(tmp_path):
    path = tmp_path / "mau.xlsx"
    template_write(path)
    wb = load_workbook(path)
    # The choice lists sit on a hidden sheet after these (shared template writer).
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == ["Hướng dẫn", "Chỉ tiêu", "Kết quả"]  # instructions first (issue 16)
    assert [c.value for c in wb["Chỉ tiêu"][1]][:5] == [
        "Mã", "Nhóm", "Tên chỉ tiêu", "Đơn vị tính", "Chỉ tiêu giao",
    ]  # fmt: skip


def test_the_filled_template_imports(world, q1_set, tmp_path):
    path = tmp_path / "mau.xlsx"
    template_write(path)
    wb = load_workbook(path)
    wb["Chỉ tiêu"].append(EIGHTEEN[0])
    wb["Kết quả"].append(["1", "12/2026", 2100, ""])
    wb.save(path)
    report = targets_import(actor=world.users["olga"], target_set=q1_set, source=path)
    assert (report.created, report.unchanged) == (2, 0)


def test_the_command_creates_the_set_and_imports(world, tmp_path, capsys):
    path = tmp_path / "chi-tieu.xlsx"
    path.write_bytes(workbook_bytes(actuals=ACTUALS))
    call_command("targets", "import", str(path), "--unit", "Q1", "--year", "2026", "--user", "olga")
    target_set = TargetSet.objects.get(unit=world.q1, year=2026)
    assert target_set.indicators.count() == 18
    assert "Chỉ tiêu: 18 tạo mới" in capsys.readouterr().out


def test_the_command_rejects_a_bad_file_and_creates_no_set(world, tmp_path):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(workbook_bytes([["1", "Khác", "Chỉ tiêu", "", "abc", "", "", ""]]))
    with pytest.raises(CommandError) as caught:
        call_command("targets", "import", str(path), "--unit", "Q1", "--year", "2026")
    assert caught.value.returncode == 2
    assert not TargetSet.objects.exists()


def test_the_command_writes_the_template(tmp_path):
    path = tmp_path / "mau.xlsx"
    call_command("targets", "template", "--output", str(path))
    assert "Hướng dẫn" in load_workbook(path).sheetnames
