"""Targets fixtures: hana's Q1 target set for 2026 and a workbook of her 18 indicators."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from tests.conftest import World
from thuocdo.targets import services
from thuocdo.targets.models import TargetSet

HEADERS = [
    "Mã",
    "Nhóm",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu giao",
    "Chiều (Càng cao càng tốt / Càng thấp càng tốt)",
    "Chỉ tiêu chính (Có/Không)",
    "Trọng số",
]
ACTUAL_HEADERS = ["Mã", "Kỳ (mm/yyyy)", "Giá trị", "Minh chứng"]

PARTY = "Xây dựng Đảng, hệ thống chính trị"
ECONOMY = "Kinh tế - xã hội"
DEFENCE = "Quốc phòng, an ninh"
MORE, LESS = "Càng cao càng tốt", "Càng thấp càng tốt"

# Vĩnh Phúc's 18 targets of a district head (seed 004), in four groups.
EIGHTEEN: list[list[Any]] = [
    ["1", PARTY, "Kết nạp đảng viên mới", "đảng viên", 2000, MORE, "Có", 2],
    ["2", PARTY, "Thành lập tổ chức đảng trong doanh nghiệp", "tổ chức", 5, MORE, "Không", 1],
    ["3", PARTY, "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ", "%", 90, MORE, "Không", 1],
    ["4", PARTY, "Phát triển đoàn viên công đoàn", "người", 1500, MORE, "Không", 1],
    ["5", PARTY, "Giải quyết đơn thư khiếu nại, tố cáo", "%", 95, MORE, "Không", 1],
    ["6", ECONOMY, "Tốc độ tăng trưởng GRDP", "%", 7, MORE, "Có", 3],
    ["7", ECONOMY, "Thu ngân sách trên địa bàn", "tỷ đồng", 1200, MORE, "Có", 2],
    ["8", ECONOMY, "Xã đạt chuẩn nông thôn mới nâng cao", "xã", 4, MORE, "Không", 1],
    ["9", ECONOMY, "Tỷ lệ hộ nghèo", "%", 1.5, LESS, "Không", 1],
    ["10", ECONOMY, "Giải phóng mặt bằng các dự án trọng điểm", "ha", 120, MORE, "Không", 1],
    ["11", ECONOMY, "Tạo việc làm mới", "người", 2500, MORE, "Không", 1],
    ["12", ECONOMY, "Trường học đạt chuẩn quốc gia", "trường", 6, MORE, "Không", 1],
    ["13", ECONOMY, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 93, MORE, "Không", 1],
    ["14", ECONOMY, "Thủ tục hành chính trực tuyến toàn trình", "%", 80, MORE, "Không", 1],
    ["15", DEFENCE, "Hoàn thành chỉ tiêu tuyển quân", "%", 100, MORE, "Có", 1],
    ["16", DEFENCE, "Số vụ tai nạn giao thông", "vụ", 50, LESS, "Không", 1],
    ["17", DEFENCE, "Số vụ phạm pháp hình sự", "vụ", 80, LESS, "Không", 1],
    ["18", "Cải cách hành chính", "Chỉ số hài lòng của người dân", "%", 85, MORE, "Không", 1],
]


def workbook_bytes(
    indicators: Sequence[Sequence[Any]] = EIGHTEEN,
    actuals: Sequence[Sequence[Any]] | None = None,
    headers: Sequence[str] = HEADERS,
) -> bytes:
    """A targets workbook built the way a user would fill the template."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Chỉ tiêu"
    ws.append(list(headers))
    for row in indicators:
        ws.append(list(row))
    if actuals is not None:
        results = wb.create_sheet("Kết quả")
        results.append(ACTUAL_HEADERS)
        for row in actuals:
            results.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def q1_set(world: World) -> TargetSet:
    """hana's (head of Q1) draft target set for 2026, created by the organiser olga."""
    return services.target_set_create(actor=world.users["olga"], unit=world.q1, year=2026)
