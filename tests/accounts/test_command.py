"""`thuocdo accounts import|create|template` from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from thuocdo.org.models import User

from .conftest import workbook


def test_template_create_and_import(world, tmp_path) -> None:
    template = tmp_path / "mau.xlsx"
    call_command("accounts", "template", "--output", str(template))
    assert load_workbook(template).sheetnames[:2] == ["Hướng dẫn", "Tài khoản"]

    output = tmp_path / "mat-khau.xlsx"
    call_command("accounts", "create", "--unit", "P1", "--output", str(output), "--user", "olga")
    rows = list(load_workbook(output)["Tài khoản mới"].iter_rows(min_row=3, values_only=True))
    assert [r[4] for r in rows] == ["anhtv"]
    assert User.objects.get(username="anhtv").check_password(str(rows[0][5]))

    source = tmp_path / "tk.xlsx"
    source.write_bytes(workbook([["binhbv", "CB-B", "", "", ""]]).getvalue())
    created = tmp_path / "moi.xlsx"
    call_command("accounts", "import", str(source), "--output", str(created))  # as root
    rows = list(load_workbook(created)["Tài khoản mới"].iter_rows(min_row=3, values_only=True))
    assert rows[0][4] == "binhbv"


def test_out_of_reach_and_rejected_files_fail(world, tmp_path) -> None:
    with pytest.raises(CommandError, match="Không có đơn vị «P2»"):
        call_command(
            "accounts", "create", "--unit", "P2", "--output", str(tmp_path / "x.xlsx"),
            "--user", "olga",
        )  # fmt: skip
    source = tmp_path / "tk.xlsx"
    source.write_bytes(workbook([["binhbv", "CB-B", "", "", ""]]).getvalue())
    with pytest.raises(CommandError, match="Tệp bị từ chối: 1 lỗi") as error:
        call_command("accounts", "import", str(source), "--user", "olga")
    assert error.value.returncode == 2
    assert not User.objects.filter(username="binhbv").exists()


def test_an_unwritable_output_creates_nothing(world, tmp_path) -> None:
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        call_command(
            "accounts", "create", "--unit", "P1", "--output", str(tmp_path / "no" / "x.xlsx"),
            "--user", "olga",
        )  # fmt: skip
    assert not User.objects.filter(username="anhtv").exists()
