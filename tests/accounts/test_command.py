"""`thuocdo accounts import|create|template` from the command line."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from thuocdo.accounts.management.commands.accounts import _credentials_save
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


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "tk.xlsx"
    source.write_bytes(workbook([["binhbv", "CB-B", "", "", ""]]).getvalue())
    return source


def test_the_passwords_file_is_for_its_owner_only_and_says_so(world, tmp_path) -> None:
    created, out = tmp_path / "moi.xlsx", io.StringIO()
    previous = os.umask(0)  # the mode comes from the command, not from the umask
    try:
        call_command("accounts", "import", str(_source(tmp_path)), "-o", str(created), stdout=out)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(created.stat().st_mode) == 0o600
    assert "«" + str(created) + "». Tệp này chứa mật khẩu" in out.getvalue()
    assert "hãy bàn giao cho người dùng rồi xóa tệp" in out.getvalue()
    assert User.objects.filter(username="binhbv").exists()


def test_an_existing_passwords_file_is_never_overwritten(world, tmp_path) -> None:
    existing = tmp_path / "moi.xlsx"
    existing.write_bytes(b"handed over yesterday")
    with pytest.raises(CommandError, match=r"«.*moi\.xlsx» đã tồn tại: không ghi đè") as error:
        call_command("accounts", "import", str(_source(tmp_path)), "-o", str(existing))
    assert error.value.returncode == 2
    assert existing.read_bytes() == b"handed over yesterday"
    assert not User.objects.filter(username="binhbv").exists()


@pytest.mark.parametrize("dangling", [True, False])
def test_a_symbolic_link_is_never_followed(world, tmp_path, dangling: bool) -> None:
    elsewhere, link = tmp_path / "elsewhere.xlsx", tmp_path / "moi.xlsx"
    if not dangling:
        elsewhere.write_bytes(b"someone else's file")
    link.symlink_to(elsewhere)
    with pytest.raises(CommandError, match="đã tồn tại") as error:
        call_command("accounts", "import", str(_source(tmp_path)), "-o", str(link))
    assert error.value.returncode == 2
    assert elsewhere.exists() is not dangling
    if not dangling:
        assert elsewhere.read_bytes() == b"someone else's file"
    assert not User.objects.filter(username="binhbv").exists()


def test_a_file_that_appears_meanwhile_is_refused_at_creation(world, tmp_path) -> None:
    """Between the first check and the write, a link put in place is not followed either."""
    elsewhere, link = tmp_path / "elsewhere.xlsx", tmp_path / "moi.xlsx"
    link.symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        _credentials_save([], str(link))
    assert not elsewhere.exists() and link.is_symlink()


def test_create_refuses_an_existing_passwords_file_too(world, tmp_path) -> None:
    existing = tmp_path / "mat-khau.xlsx"
    existing.write_bytes(b"old")
    with pytest.raises(CommandError, match="đã tồn tại") as error:
        call_command(
            "accounts", "create", "--unit", "P1", "--output", str(existing), "--user", "olga"
        )
    assert error.value.returncode == 2
    assert existing.read_bytes() == b"old"
    assert not User.objects.filter(username="anhtv").exists()
