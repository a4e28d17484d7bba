"""`thuocdo report leniency`: the flags and the gap table from the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.leniency.cast import lenient_wards


@pytest.fixture
def wards(world):
    return lenient_wards(world)


def test_it_prints_the_flags_as_json(world, wards):
    out = io.StringIO()
    call_command("report", "leniency", "--unit", "Q1", "--year", "2021", stdout=out)
    data = json.loads(out.getvalue())
    assert [(f["kind"], f["unit"]["code"]) for f in data["flags"]] == [
        ("quota_breach", "Q1"),
        ("share_outlier", "P1"),
        ("score_outlier", "P1"),
        ("quota_breach", "P1"),
    ]
    assert data["gaps"] == []


def test_it_narrows_to_one_group(world, wards):
    out = io.StringIO()
    call_command(
        "report", "leniency", "--unit", "Q1", "--year", "2021", "--group", "leader", stdout=out
    )
    assert json.loads(out.getvalue())["flags"] == []


def test_it_writes_excel_and_pdf_files(world, wards, tmp_path):
    xlsx, pdf = tmp_path / "ne-nang.xlsx", tmp_path / "ne-nang.pdf"
    for fmt, path in (("xlsx", xlsx), ("pdf", pdf)):
        out = io.StringIO()
        call_command(
            "report", "leniency", "--unit", "Q1", "--year", "2021", "--format", fmt,
            "--output", str(path), stdout=out,
        )  # fmt: skip
        assert f"Đã ghi báo cáo «{path}»." in out.getvalue()
    rows = list(load_workbook(xlsx)["Cảnh báo nể nang"].iter_rows(values_only=True))
    assert ("Tỷ lệ HTXS cao bất thường", "P1", "Phường Một") in [r[:3] for r in rows]
    assert "Điểm bình quân 95 (20 người có điểm)" in pdf_text(pdf.read_bytes())


def test_it_is_scoped_by_the_user(world, wards):
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị mã «Q2» trong phạm vi"):
        call_command("report", "leniency", "--unit", "Q2", "--year", "2021", "--user", "olga")
