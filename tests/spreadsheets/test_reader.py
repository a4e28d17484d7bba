"""The shared reader: sheets and headers found however they are spelled, cells typed, every
problem of a row located, nothing read beyond the declared columns."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook

from thuocdo.spreadsheets import (
    YES_NO,
    Column,
    ImportRejected,
    Problems,
    SheetSpec,
    parse_date,
    parse_month,
    parse_number,
    read_sheets,
)

SHEET = SheetSpec(
    "Cán bộ",
    (
        Column("code", "Mã", True, max_length=5),
        Column("born", "Ngày sinh", kind="date"),
        Column("gender", "Giới tính", True, "choice", (("male", "Nam"), ("female", "Nữ"))),
        Column("member", "Đảng viên", kind="bool", choices=YES_NO, default=False),
        Column("note", "Ghi chú"),
    ),
)
OPTIONAL = SheetSpec("Khen thưởng", (Column("code", "Mã", True),), required=False)


def _content(sheets: dict[str, list[list[Any]]]) -> io.BytesIO:
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def _read(rows: list[list[Any]], name: str = "Cán bộ") -> tuple[list[Any], list[str]]:
    problems = Problems([SHEET, OPTIONAL])
    sheets = read_sheets(_content({name: rows}), [SHEET, OPTIONAL], problems)
    return sheets[SHEET.name], [str(p) for p in problems.problems]


HEADERS = ["Mã", "Ngày sinh", "Giới tính", "Đảng viên", "Ghi chú"]


def test_it_types_every_cell_and_fills_the_defaults():
    rows, problems = _read(
        [HEADERS, [1003, datetime.datetime(1980, 9, 5), "nu", None, "  ghi  chú "]]
    )
    assert problems == []
    assert rows[0].values == {
        "code": "1003",  # a code typed as a number loses Excel's ".0"
        "born": datetime.date(1980, 9, 5),
        "gender": "female",  # without diacritics, any case
        "member": False,  # the default
        "note": "ghi  chú",
    }
    assert rows[0].number == 2


def test_headers_and_sheet_names_are_matched_loosely_and_in_any_order():
    shuffled = ["GHI CHU", "Giới tính (Nam/Nữ)", "Mã*", "Ngày sinh", "Đảng viên"]
    rows, problems = _read([shuffled, ["x", "Nam", "A1", "01/02/1990", "Có"]], name="can bo")
    assert problems == []
    assert (rows[0].values["code"], rows[0].letters["code"]) == ("A1", "C")


def test_every_problem_of_a_row_is_located():
    _, problems = _read(
        [HEADERS, ["TOOLONG", "31/02/1980", "Khác", "hmm", None], [None] * 5, ["A2", None, None]]
    )
    assert problems == [
        "Sheet «Cán bộ», dòng 2, cột A «Mã»: giá trị «TOOLONG» dài quá 5 ký tự.",
        "Sheet «Cán bộ», dòng 2, cột B «Ngày sinh»: giá trị «31/02/1980» không phải ngày hợp lệ "
        "(dd/mm/yyyy).",
        "Sheet «Cán bộ», dòng 2, cột C «Giới tính»: giá trị «Khác» không thuộc các giá trị cho "
        "phép (Nam, Nữ).",
        "Sheet «Cán bộ», dòng 2, cột D «Đảng viên»: giá trị «hmm» không thuộc các giá trị cho "
        "phép (Có, Không).",
        # the empty row 3 is skipped
        "Sheet «Cán bộ», dòng 4, cột C «Giới tính»: ô bắt buộc, không được để trống.",
    ]


def test_a_missing_sheet_or_column_rejects_the_file_at_once():
    problems = Problems([SHEET])
    with pytest.raises(ImportRejected) as rejected:
        read_sheets(_content({"Khác": [["x"]]}), [SHEET, OPTIONAL], problems)
    assert rejected.value.lines() == ["Sheet «Cán bộ»: không có sheet này trong tệp."]
    with pytest.raises(ImportRejected) as rejected:
        read_sheets(_content({"Cán bộ": [HEADERS[:2]]}), [SHEET], Problems([SHEET]))
    assert rejected.value.lines() == [
        "Sheet «Cán bộ», dòng 1, cột «Giới tính»: thiếu cột này ở dòng tiêu đề.",
        "Sheet «Cán bộ», dòng 1, cột «Đảng viên»: thiếu cột này ở dòng tiêu đề.",
        "Sheet «Cán bộ», dòng 1, cột «Ghi chú»: thiếu cột này ở dòng tiêu đề.",
    ]


def test_columns_beyond_the_declared_ones_are_not_read():
    rows, problems = _read([HEADERS, ["A1", None, "Nam", None, None, "=1/0", "x" * 40000]])
    assert problems == []
    assert "x" * 10 not in str(rows[0].raw)


def test_progress_is_reported_to_the_last_row():
    calls: list[tuple[int, int]] = []
    rows: list[list[Any]] = [HEADERS, *(["A", None, "Nam", None, None] for _ in range(2500))]
    read_sheets(_content({"Cán bộ": rows}), [SHEET], Problems(), lambda *a: calls.append(a))
    assert calls[-1] == (2500, 2500)
    assert [done for done, _ in calls[:2]] == [1000, 2000]


def test_problems_are_sorted_as_the_user_reads_the_file():
    problems = Problems([SHEET, OPTIONAL])
    rows = read_sheets(
        _content({"Khen thưởng": [["Mã"], [None]], "Cán bộ": [HEADERS]}),
        [SHEET, OPTIONAL],
        problems,
    )
    assert rows[OPTIONAL.name] == []
    problems.add_file("tệp thử")
    problems.add(OPTIONAL, None, "", "sheet sau")
    problems.add(SHEET, None, "", "sheet trước")
    with pytest.raises(ImportRejected) as rejected:
        problems.raise_if_any()
    assert [p.reason for p in rejected.value.problems] == ["tệp thử", "sheet trước", "sheet sau"]


@pytest.mark.parametrize(
    ("text", "number"),
    [("2.100", "2100"), ("95,5", "95.5"), ("1.234,5", "1234.5"), (2.1, "2.1"), ("x", None),
     (True, None), ("NaN", None), ("1e999999", None)],
)  # fmt: skip
def test_numbers_are_read_the_vietnamese_way(text, number):
    parsed = parse_number(text)
    assert (str(parsed) if parsed is not None else None) == number


@pytest.mark.parametrize(
    ("text", "date"),
    [("05/09/1980", datetime.date(1980, 9, 5)), ("5-9-1980", datetime.date(1980, 9, 5)),
     ("1980-09-05", datetime.date(1980, 9, 5)), ("31/02/1980", None), ("00/00/0000", None),
     (12, None)],
)  # fmt: skip
def test_dates_are_read_day_first(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "month"),
    [("3/2026", datetime.date(2026, 3, 1)), ("2026-03", datetime.date(2026, 3, 1)),
     ("13/2026", None), ("01/0000", None), ("tháng ba", None)],
)  # fmt: skip
def test_months_are_read_as_mm_yyyy(text, month):
    assert parse_month(text) == month
