"""The workbooks of accounts: the import template (thuocdo.spreadsheets), and the one-time
passwords to hand out."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from thuocdo.accounts.imports import WORKBOOK
from thuocdo.accounts.services import Credential
from thuocdo.spreadsheets import XLSX
from thuocdo.spreadsheets import template_write as spreadsheet_template_write
from thuocdo.spreadsheets.writer import streamed_value, workbook_save

__all__ = ["XLSX", "credentials_file_name", "credentials_write", "template_write"]

CREDENTIALS_SHEET = "Tài khoản mới"
BOLD = Font(bold=True)


def template_write(target: str | Path | IO[bytes]) -> None:
    """The empty accounts workbook: «Hướng dẫn» first, then the sheet with its example row."""
    spreadsheet_template_write(WORKBOOK, target)


CREDENTIAL_HEADERS = (
    ("STT", 6),
    ("Họ và tên", 30),
    ("Mã cán bộ", 14),
    ("Đơn vị", 40),
    ("Tên đăng nhập", 18),
    ("Mật khẩu một lần", 18),
)


def credentials_write(
    credentials: Iterable[Credential],
    target: str | Path | IO[bytes],
    *,
    issued: datetime.date | None = None,
) -> None:
    """The new accounts for the organiser to hand out, streamed (200,000 rows fit)."""
    wb = Workbook(write_only=True)
    ws: Any = wb.create_sheet(CREDENTIALS_SHEET)
    for index, (_, width) in enumerate(CREDENTIAL_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    days = settings.THUOCDO_ONETIME_PASSWORD_DAYS
    note = (
        f"Mật khẩu một lần: đổi ở lần đăng nhập đầu tiên, hết hạn sau {days} ngày"
        + (f" kể từ {issued.strftime('%d/%m/%Y')}" if issued else "")
        + ". Giao riêng cho từng người; hủy tệp này sau khi giao."
    )
    ws.append([streamed_value(ws, note, Font(italic=True))])
    ws.append([streamed_value(ws, header, BOLD) for header, _ in CREDENTIAL_HEADERS])
    for number, c in enumerate(credentials, start=1):
        values: Sequence[Any] = (c.full_name, c.person_code, c.unit_name, c.username, c.password)
        ws.append([number, *(streamed_value(ws, v) for v in values)])
    workbook_save(wb, target)


def credentials_file_name(today: datetime.date) -> str:
    """The download name of a credentials workbook."""
    return f"tai-khoan-moi-{today.isoformat()}.xlsx"
