"""`thuocdo report distribution|import|template`: the management command behind the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.reports.conftest import import_as, workbook_bytes
from tests.reports.distribution.test_exports import pdf_text
from tests.reports.documents.test_summary import docx_lines

ROWS = [
    ["CB-A", "", "P1", 2021, "Đảng viên", "HTXS"],
    ["CB-C", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-B", "", "P2", 2021, "Đảng viên", "KHT"],
    ["CB-H", "", "Q1", 2021, "Cán bộ lãnh đạo, quản lý", "HTXS"],
]


@pytest.fixture
def history(world):
    import_as(world, "root", workbook_bytes(ROWS))
    return world


def test_it_prints_the_report_as_json(history):
    out = io.StringIO()
    call_command("report", "distribution", "--unit", "TP", "--year", "2021", stdout=out)
    data = json.loads(out.getvalue())
    party = data["groups"][0]
    assert (party["label"], party["counts"]["total"], party["text"]["KHT"]) == (
        "Đảng viên",
        3,
        "33,33%",
    )
    assert [u["code"] for u in party["units"]] == ["Q1", "Q2"]
    assert data["groups"][1]["quota"]["breached"] is True  # 1 HTXS of 1: above 20%


def test_it_writes_excel_and_pdf_files(history, tmp_path):
    xlsx, pdf = tmp_path / "bao-cao.xlsx", tmp_path / "bao-cao.pdf"
    for fmt, path in (("xlsx", xlsx), ("pdf", pdf)):
        out = io.StringIO()
        call_command(
            "report", "distribution", "--unit", "Q1", "--year", "2021", "--group", "leader",
            "--format", fmt, "--output", str(path), stdout=out,
        )  # fmt: skip
        assert f"Đã ghi báo cáo «{path}»." in out.getvalue()
    ws = load_workbook(xlsx)["Phân bố xếp loại"]
    assert [row[0] for row in ws.iter_rows(values_only=True)][4] == "Cán bộ lãnh đạo, quản lý"
    assert "Vượt tỷ lệ HTXS 20%" in pdf_text(pdf.read_bytes())


def test_it_writes_the_summary_report_in_word(history, tmp_path):
    path = tmp_path / "bao-cao.docx"
    out = io.StringIO()
    call_command(
        "report", "distribution", "--unit", "TP", "--year", "2021", "--format", "docx",
        "--number", "3", "--date", "05/02/2027", "--output", str(path), stdout=out,
    )  # fmt: skip
    assert f"Đã ghi báo cáo «{path}»." in out.getvalue()
    lines = docx_lines(path.read_bytes())
    assert "Số 3-BC/TP" in lines
    assert "Thành phố Mẫu, ngày 05 tháng 02 năm 2027" in lines
    assert any(line.startswith("3 đảng viên được xếp loại: 2 (66,67%)") for line in lines)
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command(
            "report", "distribution", "--unit", "TP", "--year", "2021", "--format", "docx",
            "--date", "2027-02-05",
        )  # fmt: skip


def test_it_is_scoped_by_the_user(history):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị mã «Q2» trong phạm vi"):
        call_command("report", "distribution", "--unit", "Q2", "--year", "2021", "--user", "olga")
    out = io.StringIO()
    call_command(
        "report", "distribution", "--unit", "Q1", "--year", "2021", "--user", "olga", stdout=out
    )
    assert json.loads(out.getvalue())["unit"]["code"] == "Q1"


def test_the_console_script_writes_the_history_template(tmp_path):
    script = [str(sys.executable).rsplit("/", 1)[0] + "/thuocdo"]
    path = tmp_path / "mau.xlsx"
    result = subprocess.run(
        [*script, "report", "template", "--output", str(path)],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert load_workbook(path).sheetnames[:2] == ["Hướng dẫn", "Kết quả xếp loại"]
