"""The registry import's workbooks and table dumps, shared by its tests (the cast is in
conftest.py). Workbooks are real .xlsx files written with openpyxl in tmp_path."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import openpyxl

from thuocdo.audit.models import AuditEvent
from thuocdo.org.models import (
    Authority,
    Discipline,
    Person,
    Post,
    Reward,
    RoleAssignment,
    Unit,
    User,
)

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"]
AUTHORITY_HEADERS = ["Mã", "Tên", "Mã đơn vị"]
PERSON_HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Đối tượng",
    "Đảng viên",
    "Ngày vào Đảng",
    "Dân tộc",
]
POST_HEADERS = [
    "Mã cán bộ",
    "Mã đơn vị",
    "Chức danh",
    "Người đứng đầu",
    "Cấp phó",
    "Chủ chốt",
    "Nhóm nhiệm vụ",
    "Diện quản lý",
    "Từ ngày",
    "Đến ngày",
]
DISCIPLINE_HEADERS = [
    "Mã cán bộ",
    "Loại",
    "Hình thức",
    "Ngày",
    "Số quyết định",
    "Cơ quan ban hành",
    "Lý do",
    "Liên quan nhiệm vụ",
    "Tự phát hiện, khắc phục",
]
REWARD_HEADERS = ["Mã cán bộ", "Hình thức", "Ngày", "Số quyết định", "Cơ quan ban hành"]
ORG_MODELS = [Unit, Authority, Person, Post, Discipline, Reward, RoleAssignment, User, AuditEvent]


def xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write a workbook whose sheets are given as rows (the first row being the headers)."""
    wb = openpyxl.Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of the organisation and audit tables, to compare before and after."""
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in ORG_MODELS}


def before(event: AuditEvent) -> dict[str, Any]:
    """The before snapshot of an update event."""
    assert event.before is not None
    return dict(event.before)


def after(event: AuditEvent) -> dict[str, Any]:
    """The after snapshot of an event."""
    assert event.after is not None
    return dict(event.after)


def units_file(tmp_path: Path, name: str = "units.xlsx") -> Path:
    """A valid units workbook whose children come before their parents."""
    return xlsx(
        tmp_path / name,
        {
            "Đơn vị": [
                UNIT_HEADERS,
                ["P11", "Phường Một Một", "Chi bộ", "D3"],
                ["D3", "Quận Ba", "tổ chức đảng", "TP"],
                ["UB3", "Ủy ban nhân dân Quận Ba", "CO QUAN NHA NUOC", "D3"],
                ["MT3", "Ủy ban MTTQ Quận Ba", "Mặt trận Tổ quốc, đoàn thể", "D3"],
                ["SN3", "Trung tâm Y tế Quận Ba", "public_service", "UB3"],
            ],
            "Cấp có thẩm quyền": [AUTHORITY_HEADERS, ["BTV3", "BTV Quận ủy Quận Ba", "D3"]],
        },
    )


def people_sheets() -> dict[str, list[list[Any]]]:
    """A valid people workbook: real Excel dates and text dates, posts, records."""
    return {
        "Cán bộ": [
            PERSON_HEADERS,
            [
                "CB001",
                "Nguyễn  Thị Hồng Nhung",
                datetime.datetime(1980, 9, 5),
                "Nữ",
                "Công chức",
                "Có",
                "03/02/2005",
                "",
            ],
            ["CB002", "Trần Văn An", "17/11/1975", "nam", "can bo", "Không", None, "Tày"],
            [1003, "Lê Minh Tâm", "01/01/1990", "Nam", "Viên chức", None, None, None],
        ],
        "Chức vụ": [
            POST_HEADERS,
            ["CB001", "Q1", "Chủ tịch", "Có", "", "Có", "Lãnh đạo quận", "BTV", "01/06/2021", ""],
            ["CB002", "Q1", "Phó Chủ tịch", "Không", "Có", "Có", "", "", "01/06/2021", None],
            [
                "1003",
                "Q1",
                "Chuyên viên",
                None,
                None,
                None,
                None,
                None,
                datetime.datetime(2019, 3, 1),
                datetime.datetime(2022, 12, 31),
            ],
        ],
        "Kỷ luật": [
            DISCIPLINE_HEADERS,
            [
                "CB002",
                "Đảng",
                "Khiển trách",
                "15/08/2023",
                "12-QĐ/UBKT",
                "UBKT Quận ủy",
                "Chậm báo cáo",
                "",
                "",
            ],
        ],
        "Khen thưởng": [
            REWARD_HEADERS,
            ["CB001", "Bằng khen", "20/01/2024", "45/QĐ-UBND", "UBND thành phố"],
        ],
    }
