"""The workbooks of accounts: the import template, and the one-time passwords to hand out."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.accounts.imports import ACCOUNT_SHEET, EXAMPLE_PREFIX
from thuocdo.accounts.services import Credential

TEMPLATE_FILE_NAME = "mau-nhap-tai-khoan.xlsx"
INSTRUCTIONS_SHEET = "Hướng dẫn"
CREDENTIALS_SHEET = "Tài khoản mới"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE = ("nhungnth", "CB000123", "Lãnh đạo trực tiếp", "Q01-P01-UB", "nhungnth@example.vn")


def template_write(target: str | Path | IO[bytes]) -> None:
    """The empty account workbook: instructions first, then the sheet with one example row."""
    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    _instructions_write(instructions)
    ws = wb.create_sheet(ACCOUNT_SHEET.name)
    for index, column in enumerate(ACCOUNT_SHEET.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions[get_column_letter(index)].width = column.width
    example = (EXAMPLE_PREFIX + EXAMPLE[0], *EXAMPLE[1:])
    for index, value in enumerate(example, start=1):
        ws.cell(row=2, column=index, value=value).font = Font(italic=True, color="808080")
    roles = ACCOUNT_SHEET.column("role")
    letter = get_column_letter(ACCOUNT_SHEET.columns.index(roles) + 1)
    labels = ",".join(label for _, label in roles.choices)
    validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
    validation.error = f"Chọn một giá trị trong danh sách: {roles.allowed()}."
    validation.errorTitle = roles.header
    validation.add(f"{letter}2:{letter}50000")
    ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    wb.save(target)


def _instructions_write(ws: Worksheet) -> None:
    """General rules, then one line per column."""
    wrap = Alignment(wrap_text=True, vertical="top")
    general = [
        "Hướng dẫn nhập tài khoản và phân quyền vào Thước Đo",
        "Điền sheet «Tài khoản»: mỗi dòng là một vai trò của một tài khoản. Dòng 1 là tiêu đề: "
        "không đổi tên, không xóa cột. Dòng 2 là ví dụ (tên đăng nhập bắt đầu bằng «Ví dụ»): "
        "được bỏ qua khi nhập, có thể xóa hoặc ghi đè.",
        "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được "
        "nhập, và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
        "Nhập lại: tài khoản được nhận ra theo tên đăng nhập, vai trò theo tên đăng nhập, vai trò "
        "và mã đơn vị; nhập lại đúng tệp cũ không thay đổi gì. Không có tài khoản, vai trò nào "
        "bị xóa, không mật khẩu nào bị đặt lại khi nhập.",
        "Tài khoản mới được cấp mật khẩu một lần, trả về trong tệp «tài khoản mới» ngay sau khi "
        "nhập (chỉ một lần, không lưu lại). Người dùng phải đổi mật khẩu ở lần đăng nhập đầu; "
        f"mật khẩu một lần hết hạn sau {settings.THUOCDO_ONETIME_PASSWORD_DAYS} ngày.",
        "Bạn chỉ được tạo tài khoản cho cán bộ và giao vai trò trên đơn vị trong phạm vi mình "
        "phụ trách, và không giao vai trò cao hơn vai trò của mình.",
    ]
    for row, text in enumerate(general, start=1):
        ws.cell(row=row, column=1, value=text)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    start = len(general) + 2
    for index, text in enumerate(["Cột", "Bắt buộc", "Giá trị cho phép", "Ghi chú"], start=1):
        ws.cell(row=start, column=index, value=text).font = BOLD
    for row, column in enumerate(ACCOUNT_SHEET.columns, start=start + 1):
        values = [column.header, "Có" if column.required else "Không"]
        values += [column.allowed(), column.help]
        for index, value in enumerate(values, start=1):
            ws.cell(row=row, column=index, value=value).alignment = wrap
    for letter, width in zip("ABCD", (30, 10, 50, 80), strict=True):
        ws.column_dimensions[letter].width = width


def _text(ws: Any, value: Any, font: Font | None = None) -> Any:
    """A value as text: a name beginning with «=» stays a name, not a formula.

    Only such values (and styled ones) become cells: a cell object per value would take three
    quarters of the time of a city's workbook.
    """
    if font is None and not (isinstance(value, str) and value.startswith("=")):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


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
    ws.append([_text(ws, note, Font(italic=True))])
    ws.append([_text(ws, header, BOLD) for header, _ in CREDENTIAL_HEADERS])
    for number, c in enumerate(credentials, start=1):
        values: Sequence[Any] = (c.full_name, c.person_code, c.unit_name, c.username, c.password)
        ws.append([number, *(_text(ws, v) for v in values)])
    wb.save(target)


def credentials_file_name(today: datetime.date) -> str:
    """The download name of a credentials workbook."""
    return f"tai-khoan-moi-{today.isoformat()}.xlsx"
