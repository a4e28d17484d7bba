"""Catalogue import (all or nothing, every problem listed) and export (re-imports unchanged)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.spreadsheets.events import import_event
from thuocdo.audit.models import AuditEvent
from thuocdo.spreadsheets import ImportRejected
from thuocdo.work import services
from thuocdo.work.catalogue import catalogue_export, catalogue_import
from thuocdo.work.models import JobPosition, ProductType

POSITIONS = ["Mã vị trí", "Tên vị trí việc làm", "Mã đơn vị"]
PRODUCTS = [
    "Mã vị trí", "Mã sản phẩm", "Tên sản phẩm", "Nhóm", "Đơn vị tính", "Hệ số quy đổi",
    "Định mức tháng",
]  # fmt: skip


def _workbook(positions, products) -> io.BytesIO:
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    for name, header, rows in [
        ("Vị trí việc làm", POSITIONS, positions),
        ("Sản phẩm", PRODUCTS, products),
    ]:
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = _workbook(
    [["VT-TP", "Tư pháp - Hộ tịch", "P1"]],
    [
        ["VT-TP", "HT", "Đăng ký hộ tịch", "Đặc thù vị trí", "hồ sơ", "0,25", 200],
        ["VT-TP", "BC", "Báo cáo", "B", "báo cáo", 1.5, None],
    ],
)


def test_an_organiser_imports_a_catalogue(world):
    report = catalogue_import(actor=world.users["olga"], source=GOOD)
    assert report.created == 3
    hotich = ProductType.objects.get(code="HT")
    assert (hotich.group, hotich.conversion_factor, hotich.monthly_norm) == (
        "C",
        Decimal("0.25"),
        Decimal(200),
    )
    assert not AuditEvent.objects.filter(action="product_type.import").exists()
    event = import_event()
    assert event["actor"] == world.users["olga"] and event["workbook"] == report.kind
    assert len(event["created"]["product_type.import"]) == 2
    assert event["counts"]["Sản phẩm"]["created"] == 2


def test_importing_the_same_file_twice_changes_nothing(world):
    catalogue_import(actor=world.users["olga"], source=GOOD)
    again = catalogue_import(actor=world.users["olga"], source=GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_bad_file_is_rejected_with_every_problem_listed_and_nothing_written(world):
    bad = _workbook(
        [["VT-TP", "Tư pháp", "KHONG-CO"], ["VT-TP", "Trùng", "P1"]],
        [
            ["VT-TP", "HT", "Hộ tịch", "Z", "hồ sơ", "0", None],
            ["VT-XX", "BC", "Báo cáo", "B", "báo cáo", "abc", -1],
            ["VT-TP", "HT", "Lặp", "B", "", 1, None],
        ],
    )
    with pytest.raises(ImportRejected) as rejected:
        catalogue_import(actor=world.users["olga"], source=bad)
    found = {(p.sheet, p.row, p.column) for p in rejected.value.problems}
    assert found == {
        ("Vị trí việc làm", 2, "Mã đơn vị"),  # unknown unit
        ("Vị trí việc làm", 3, "Mã vị trí"),  # duplicate code
        ("Sản phẩm", 2, "Nhóm"),  # not a group
        ("Sản phẩm", 2, "Hệ số quy đổi"),  # not positive
        ("Sản phẩm", 3, "Mã vị trí"),  # unknown position
        ("Sản phẩm", 3, "Hệ số quy đổi"),  # not a number
        ("Sản phẩm", 3, "Định mức tháng"),  # negative
        ("Sản phẩm", 4, "Đơn vị tính"),  # required
        ("Sản phẩm", 4, "Mã sản phẩm"),  # duplicate product
    }
    assert "dòng 3" in str(rejected.value)
    assert not JobPosition.objects.exists() and not ProductType.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith=".import").exists()


def test_writing_outside_ones_scope_is_rejected(world):
    outside = _workbook([["VT-Q2", "Văn phòng", "P2"]], [])
    with pytest.raises(ImportRejected, match="phạm vi"):
        catalogue_import(actor=world.users["olga"], source=outside)


def test_an_export_re_imports_unchanged(world, catalogue):
    buffer = io.BytesIO()
    catalogue_export(catalogue.position, buffer)
    buffer.seek(0)
    report = catalogue_import(actor=world.users["olga"], source=buffer)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def _city_position():
    position = services.job_position_create(actor=None, code="XA-VPTK", name="Văn phòng")
    services.product_type_create(
        actor=None,
        job_position=position,
        code="BC",
        name="Báo cáo",
        group="C",
        unit_of_measure="báo cáo",
        conversion_factor=Decimal(2),
    )
    return position


CITY_ROW = ["XA-VPTK", "Văn phòng", None]
CITY_PRODUCT = ["XA-VPTK", "BC", "Báo cáo", "C", "báo cáo", 2, None]


def test_a_city_wide_product_cannot_be_changed_through_its_unchanged_position(world):
    """Finding 2 of the security review: the unchanged position row no longer skips the check."""
    _city_position()
    changed = [*CITY_PRODUCT[:5], 99, None]
    with pytest.raises(ImportRejected) as rejected:
        catalogue_import(actor=world.users["olga"], source=_workbook([CITY_ROW], [changed]))
    assert [str(p) for p in rejected.value.problems] == [
        "Sheet «Sản phẩm», dòng 2, cột A «Mã vị trí»: giá trị «XA-VPTK» là vị trí dùng chung "
        "cho mọi đơn vị: chỉ quản trị hệ thống được thay đổi."
    ]
    assert ProductType.objects.get(code="BC").conversion_factor == Decimal(2)


def test_the_city_wide_catalogue_re_imports_unchanged_and_the_administrator_changes_it(world):
    _city_position()
    same = catalogue_import(actor=world.users["olga"], source=_workbook([CITY_ROW], [CITY_PRODUCT]))
    assert (same.created, same.updated, same.unchanged) == (0, 0, 2)
    changed = [*CITY_PRODUCT[:5], 3, None]
    report = catalogue_import(actor=world.users["root"], source=_workbook([CITY_ROW], [changed]))
    assert report.updated == 1
    assert ProductType.objects.get(code="BC").conversion_factor == Decimal(3)


def test_a_city_wide_position_cannot_be_taken_into_ones_unit(world):
    _city_position()
    with pytest.raises(ImportRejected, match="dùng chung"):
        catalogue_import(
            actor=world.users["olga"], source=_workbook([["XA-VPTK", "Văn phòng", "P1"]], [])
        )
    assert JobPosition.objects.get(code="XA-VPTK").unit is None
