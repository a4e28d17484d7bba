"""The shared writer: a template laid out from the declaration (lists, formats, instructions),
and formula-looking text saved as text."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from openpyxl import Workbook, load_workbook

from thuocdo.spreadsheets import (
    YES_NO,
    Column,
    SheetSpec,
    WorkbookSpec,
    limits,
    template_bytes,
    workbook_bytes,
)
from thuocdo.spreadsheets.web import UploadForm

PEOPLE = SheetSpec(
    "Cán bộ",
    (
        Column("code", "Mã", True, max_length=20, help="Mã duy nhất."),
        Column("born", "Ngày sinh", kind="date"),
        Column(
            "kind", "Loại", True, "choice", (("a", "Tổ chức đảng"), ("b", "Mặt trận, đoàn thể"))
        ),
        Column("member", "Đảng viên", kind="bool", choices=YES_NO),
        Column("group", "Nhóm", choices=(("x", "Nhóm X"),), suggest=True, allowed_text="Tự do"),
        Column("amount", "Số", kind="number", number_format="#,##0.##"),
    ),
    help="Mỗi dòng là một cán bộ.",
)
WORKBOOK = WorkbookSpec(
    key="thu",
    title="Hướng dẫn nhập thử",
    sheets=(PEOPLE,),
    file_name="mau-thu.xlsx",
    guide=("Dòng đầu tiên là tiêu đề.",),
)


def _template():
    return load_workbook(io.BytesIO(template_bytes(WORKBOOK)))


def test_the_template_has_bold_headers_frozen_with_the_declared_widths():
    ws = _template()["Cán bộ"]
    assert [c.value for c in ws[1]][:6] == ["Mã", "Ngày sinh", "Loại", "Đảng viên", "Nhóm", "Số"]
    assert all(c.font.bold for c in ws[1] if c.value)
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 18


def test_choices_are_drop_down_lists_on_a_hidden_sheet():
    wb = _template()
    lists = wb["Danh mục"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]] == ["Tổ chức đảng", "Mặt trận, đoàn thể"]
    validations = {
        str(v.sqref).split(":")[0]: v for v in wb["Cán bộ"].data_validations.dataValidation
    }
    assert set(validations) == {"C2", "D2", "E2"}
    assert validations["C2"].showErrorMessage and not validations["C2"].allow_blank
    assert not validations["E2"].showErrorMessage  # a suggestion accepts other text


def test_dates_and_numbers_are_formatted():
    ws = _template()["Cán bộ"]
    assert ws["B2"].number_format == "DD/MM/YYYY"
    assert ws["F500"].number_format == "#,##0.##"


def test_the_instructions_explain_every_column():
    wb = _template()
    text = [str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert text[:2] == ["Hướng dẫn nhập thử", "Dòng đầu tiên là tiêu đề."]
    assert "Mỗi dòng là một cán bộ." in text
    assert "Mã duy nhất." in text
    assert "Văn bản, tối đa 20 ký tự" in text
    assert "Ngày dạng dd/mm/yyyy hoặc ô kiểu ngày của Excel" in text
    assert "Có, Không" in text and "Tự do" in text


def test_formula_looking_text_is_saved_as_quoted_text_and_numbers_stay_numbers():
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["=1+2", "+1", "-1", "@A1", "- gạch đầu dòng", "bình thường", -5, 2.5])
    cells = load_workbook(io.BytesIO(workbook_bytes(wb))).active[1]  # type: ignore[index]
    kinds = [(c.value, c.data_type, bool(c.quotePrefix)) for c in cells]
    assert kinds == [
        ("=1+2", "s", True),
        ("+1", "s", True),
        ("-1", "s", True),
        ("@A1", "s", True),
        ("- gạch đầu dòng", "s", True),
        ("bình thường", "s", False),
        (-5, "n", False),
        (2.5, "n", False),
    ]


def test_the_upload_form_refuses_other_files_and_files_over_the_limit():
    def errors(name: str, size: int, head: bytes = b"PK\x03\x04") -> list[str]:
        upload = SimpleUploadedFile(name, head + b"0" * (size - len(head)))
        form = UploadForm(data={}, files=MultiValueDict({"file": [upload]}))
        return [str(e) for e in form.errors.get("file", [])]

    assert errors("tep.xlsx", 10) == []
    assert errors("tep.xls", 10) == ["Chỉ nhận tệp Excel .xlsx."]
    assert errors("tep.XLSX", limits.MAX_FILE_BYTES + 1) == [
        "Tệp «tep.XLSX» nặng 20,0 MB, vượt giới hạn 20 MB."
    ]
    assert errors("tep.xlsx", 10, head=b"Ma,Ten") == [
        "Nội dung tệp «tep.xlsx» không đúng định dạng .xlsx."
    ]
