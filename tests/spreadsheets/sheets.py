"""The headers of every importer's sheets, and a workbook builder, for the cross-importer tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

UNIT = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
PERSON = [
    "Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Đối tượng", "Đảng viên",
    "Ngày vào Đảng", "Dân tộc",
]  # fmt: skip
POST = [
    "Mã cán bộ", "Mã đơn vị", "Chức danh", "Người đứng đầu", "Cấp phó", "Chủ chốt",
    "Nhóm nhiệm vụ", "Diện quản lý", "Từ ngày", "Đến ngày",
]  # fmt: skip
DISCIPLINE = [
    "Mã cán bộ", "Loại", "Hình thức", "Ngày", "Số quyết định", "Cơ quan ban hành", "Lý do",
    "Liên quan nhiệm vụ", "Tự phát hiện, khắc phục",
]  # fmt: skip
POSITION = ["Mã vị trí", "Tên vị trí việc làm", "Mã đơn vị"]
PRODUCT = [
    "Mã vị trí", "Mã sản phẩm", "Tên sản phẩm", "Nhóm", "Đơn vị tính", "Hệ số quy đổi",
    "Định mức tháng",
]  # fmt: skip
INDICATOR = [
    "Mã", "Nhóm", "Tên chỉ tiêu", "Đơn vị tính", "Chỉ tiêu giao", "Chiều", "Chỉ tiêu chính",
    "Trọng số",
]  # fmt: skip
HISTORY = [
    "Mã cán bộ", "Họ và tên", "Mã đơn vị", "Năm", "Nhóm đối tượng", "Mức xếp loại", "Điểm",
    "Đối tượng",
]  # fmt: skip

# Every importer's required sheets, with their headers and no row.
EMPTY: dict[str, dict[str, list[list[Any]]]] = {
    "units": {"Đơn vị": [UNIT]},
    "people": {"Cán bộ": [PERSON], "Chức vụ": [POST]},
    "catalogue": {"Vị trí việc làm": [POSITION], "Sản phẩm": [PRODUCT]},
    "targets": {"Chỉ tiêu": [INDICATOR]},
    "history": {"Kết quả xếp loại": [HISTORY]},
}


def workbook(sheets: dict[str, list[list[Any]]], name: str = "tep.xlsx") -> io.BytesIO:
    """A workbook whose sheets are given as rows, headers first, as an uploaded file."""
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def workbook_content(sheets: dict[str, list[list[Any]]]) -> bytes:
    """The bytes of such a workbook."""
    return workbook(sheets).getvalue()
