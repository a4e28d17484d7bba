"""Excel import and export of the task catalogue (job positions and their product types).

The import is built on the shared spreadsheet import (thuocdo.spreadsheets): the whole workbook
is checked first, every problem is listed with its sheet, row and column, and nothing is written
unless there is none. Rows are upserted by code; an export of one job position re-imports
unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook

from thuocdo.audit.services import snapshot
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for
from thuocdo.spreadsheets import (
    OUT_OF_SCOPE,
    AuditBuffer,
    Column,
    ImportReport,
    Problems,
    Progress,
    Row,
    SheetSpec,
    Source,
    WorkbookSpec,
    duplicates_flag,
    header_write,
    import_run,
    in_paths,
    values_apply,
    values_differ,
    workbook_save,
)
from thuocdo.spreadsheets import field_length as _len
from thuocdo.work.models import JobPosition, ProductGroup, ProductType

POSITION_SHEET = SheetSpec(
    "Vị trí việc làm",
    (
        Column("code", "Mã vị trí", True, max_length=_len(JobPosition, "code"), width=16),
        Column("name", "Tên vị trí việc làm", True, max_length=_len(JobPosition, "name"), width=44),
        Column(
            "unit",
            "Mã đơn vị",
            max_length=_len(Unit, "code"),
            width=16,
            help="Để trống nếu vị trí dùng chung cho mọi đơn vị (chỉ quản trị hệ thống).",
        ),
    ),
    help="Mỗi dòng là một vị trí việc làm.",
    example=("VD-VT01", "Văn phòng - Thống kê (ví dụ)", "VD-P01"),
)

PRODUCT_SHEET = SheetSpec(
    "Sản phẩm",
    (
        Column(
            "position",
            "Mã vị trí",
            True,
            max_length=_len(JobPosition, "code"),
            width=16,
            help="Vị trí ở sheet «Vị trí việc làm» hoặc đã có trong hệ thống.",
        ),
        Column("code", "Mã sản phẩm", True, max_length=_len(ProductType, "code"), width=16),
        Column("name", "Tên sản phẩm", True, max_length=_len(ProductType, "name"), width=44),
        Column(
            "group",
            "Nhóm",
            True,
            "choice",
            tuple(ProductGroup.choices),
            aliases=(
                ("lãnh đạo, quản lý", "A"),
                ("chuyên môn dùng chung", "B"),
                ("đặc thù vị trí", "C"),
                ("đặc thù vị trí việc làm", "C"),
                ("phát sinh", "D"),
            ),
            width=30,
        ),
        Column(
            "unit_of_measure",
            "Đơn vị tính",
            True,
            max_length=_len(ProductType, "unit_of_measure"),
            width=14,
        ),
        Column(
            "conversion_factor",
            "Hệ số quy đổi",
            True,
            width=14,
            help="Số dương, ví dụ 1 hoặc 1,5: số sản phẩm chuẩn tương đương một sản phẩm này.",
        ),
        Column("monthly_norm", "Định mức tháng", width=16, help="Không bắt buộc; số không âm."),
    ),
    help="Mỗi dòng là một loại sản phẩm; nhận ra theo Mã vị trí và Mã sản phẩm.",
    example=("VD-VT01", "VD-BC", "Báo cáo tổng hợp", "B — Chuyên môn dùng chung", "báo cáo", 2, 4),
)

SPECS = (POSITION_SHEET, PRODUCT_SHEET)
WORKBOOK = WorkbookSpec(
    key="catalogue",
    title="Hướng dẫn nhập danh mục sản phẩm theo vị trí việc làm vào Thước Đo",
    sheets=SPECS,
    file_name="mau-nhap-danh-muc-san-pham.xlsx",
    guide=(
        "Dòng đầu tiên của mỗi sheet là tiêu đề: không đổi tên, không xóa cột. Dữ liệu bắt đầu "
        "từ dòng 2; dòng trống được bỏ qua.",
        "Sheet «Vị trí việc làm» liệt kê các vị trí; sheet «Sản phẩm» các loại sản phẩm của "
        "từng vị trí, với hệ số quy đổi ra sản phẩm chuẩn và định mức tháng.",
        "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được "
        "nhập, và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
        "Nhập lại: vị trí được nhận ra theo mã, sản phẩm theo mã vị trí và mã sản phẩm; nhập lại "
        "đúng tệp cũ không thay đổi gì. Không có dòng nào bị xóa khi nhập.",
        "Bạn chỉ được thay đổi vị trí của các đơn vị mình phụ trách; vị trí dùng chung cho mọi "
        "đơn vị chỉ quản trị hệ thống được thay đổi.",
    ),
)
_Rows = dict[Any, Row]
FACTOR_MAX = Decimal("99999.999")
NORM_MAX = Decimal("99999999.99")


def _decimal(value: Any) -> Decimal | None:
    """A number typed as a number or as Vietnamese text ("1,5"); None if it is not one."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    try:
        number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(
    row: Row, key: str, problems: Problems, *, positive: bool, places: int, top: Decimal
) -> Decimal | None:
    """Parse a decimal cell, flagging what the database would refuse."""
    raw = row.raw.get(key)
    if raw is None:
        return None
    number = _decimal(raw)
    if number is None:
        problems.add(PRODUCT_SHEET, row, key, "không phải số")
    elif positive and number <= 0:
        problems.add(PRODUCT_SHEET, row, key, "phải lớn hơn 0")
    elif number < 0:
        problems.add(PRODUCT_SHEET, row, key, "không được âm")
    elif number > top:
        problems.add(PRODUCT_SHEET, row, key, f"quá lớn (tối đa {top})")
    elif -number.as_tuple().exponent > places:  # type: ignore[operator]  # finite: int exponent
        problems.add(PRODUCT_SHEET, row, key, f"có quá {places} chữ số thập phân")
    else:
        return number
    return None


def catalogue_import(
    *, actor: Any, source: Source, progress: Progress | None = None
) -> ImportReport:
    """Import job positions and product types from a workbook, all or nothing.

    A position, and every product of it, changes only by someone who may change the position's
    unit, as it is and as the file would make it: a city-wide position (no unit) and its
    products only by a system administrator, however the file reaches them (the position's row
    changed or unchanged, or absent).
    """
    scope = scope_for(actor)
    units = {u.code: u for u in Unit.objects.only("id", "code", "path", "name")}
    existing = {p.code: p for p in JobPosition.objects.select_related("unit")}

    def writable(unit: Unit | None) -> bool:
        """True if the actor may change what belongs to this unit (None: the whole city)."""
        if scope.everything:
            return True
        return unit is not None and in_paths(unit.path, scope.write_paths)

    def check(sheets: dict[str, list[Row]], problems: Problems) -> tuple[_Rows, _Rows]:
        positions = _positions_check(
            sheets[POSITION_SHEET.name], existing, units, writable, problems
        )
        products = _products_check(sheets[PRODUCT_SHEET.name], positions, existing, problems)
        for (code, _), row in products.items():
            if not row.ok or code not in existing or writable(existing[code].unit):
                continue
            if _product_writes(row, existing[code]):
                problems.add(PRODUCT_SHEET, row, "position", _refusal(existing[code]))
        return positions, products

    def write(plan: tuple[_Rows, _Rows], report: ImportReport, audit: AuditBuffer) -> None:
        positions, products = plan
        _positions_write(positions, existing, units, report, audit)
        _products_write(products, existing, report, audit)

    return import_run(
        actor=actor, source=source, workbook=WORKBOOK, check=check, write=write, progress=progress
    )


def _refusal(position: JobPosition) -> str:
    """Why a change to this position or its products is refused."""
    if position.unit is None:
        return "là vị trí dùng chung cho mọi đơn vị: chỉ quản trị hệ thống được thay đổi"
    return f"là vị trí của đơn vị {OUT_OF_SCOPE}"


def _positions_check(
    rows: list[Row],
    existing: dict[str, JobPosition],
    units: dict[str, Unit],
    writable: Callable[[Unit | None], bool],
    problems: Problems,
) -> _Rows:
    """Position rows by code; one that writes must leave and find its unit in scope."""
    positions = duplicates_flag(
        POSITION_SHEET, rows, lambda r: r.values["code"] or None, "code", problems, "mã vị trí"
    )
    for row in positions.values():
        code = row.values["unit"]
        if code and code not in units:
            problems.add(POSITION_SHEET, row, "unit", "không tìm thấy đơn vị có mã này")
        elif row.ok and _position_writes(row, existing, units):
            current = existing.get(row.values["code"])
            unit = units.get(code) if code else None
            if current is not None and not writable(current.unit):
                problems.add(POSITION_SHEET, row, "code", _refusal(current))
            elif not writable(unit):
                problems.add(POSITION_SHEET, row, "unit" if code else "code", OUT_OF_SCOPE)
    return positions


def _products_check(
    rows: list[Row],
    positions: _Rows,
    existing: dict[str, JobPosition],
    problems: Problems,
) -> _Rows:
    """Product rows by (position, code), their numbers parsed, their position found."""
    products = duplicates_flag(
        PRODUCT_SHEET,
        rows,
        lambda r: (
            (r.values["position"], r.values["code"])
            if all((r.values["position"], r.values["code"]))
            else None
        ),
        "code",
        problems,
        "sản phẩm (cùng mã vị trí và mã sản phẩm)",
    )
    for row in products.values():
        row.values["conversion_factor"] = _number(
            row, "conversion_factor", problems, positive=True, places=3, top=FACTOR_MAX
        )
        row.values["monthly_norm"] = _number(
            row, "monthly_norm", problems, positive=False, places=2, top=NORM_MAX
        )
        code = row.values["position"]
        if code not in positions and code not in existing:
            problems.add(
                PRODUCT_SHEET,
                row,
                "position",
                "không tìm thấy vị trí có mã này "
                "(trong sheet «Vị trí việc làm» hoặc trong hệ thống)",
            )
    return products


def _product_values(row: Row) -> dict[str, Any]:
    """The fields an import sets on a product type."""
    return {
        "name": row.values["name"],
        "group": row.values["group"],
        "unit_of_measure": row.values["unit_of_measure"],
        "conversion_factor": row.values["conversion_factor"],
        "monthly_norm": row.values["monthly_norm"],
    }


def _product_writes(row: Row, position: JobPosition) -> bool:
    """True if the row would create or change a product type of an existing position."""
    found = position.product_types.filter(code=row.values["code"]).first()
    return found is None or values_differ(found, _product_values(row))


def _position_values(row: Row, units: dict[str, Unit]) -> dict[str, Any]:
    code = row.values["unit"]
    return {"name": row.values["name"], "unit_id": units[code].pk if code else None}


def _position_writes(row: Row, existing: dict[str, JobPosition], units: dict[str, Unit]) -> bool:
    """True if the row would create or change a job position (only then is scope checked)."""
    found = existing.get(row.values["code"])
    return found is None or values_differ(found, _position_values(row, units))


def _positions_write(
    rows: _Rows,
    existing: dict[str, JobPosition],
    units: dict[str, Unit],
    report: ImportReport,
    audit: AuditBuffer,
) -> None:
    """Create and update job positions; `existing` gains the new ones."""
    counts = report.of("Vị trí việc làm")
    for code, row in rows.items():
        values = _position_values(row, units)
        position = existing.get(code)
        if position is None:
            position = JobPosition.objects.create(code=code, **values)
            existing[code] = position
            audit.add("job_position.import", position)
            counts.created += 1
        elif values_differ(position, values):
            before = snapshot(position)
            values_apply(position, values)
            position.save()
            audit.add("job_position.import", position, before, snapshot(position))
            counts.updated += 1
        else:
            counts.unchanged += 1


def _products_write(
    rows: _Rows,
    positions: dict[str, JobPosition],
    report: ImportReport,
    audit: AuditBuffer,
) -> None:
    """Create and update product types."""
    counts = report.of("Sản phẩm")
    ids = [positions[code].pk for code, _ in rows]
    found = {
        (p.job_position_id, p.code): p for p in ProductType.objects.filter(job_position_id__in=ids)
    }
    for (position_code, code), row in rows.items():
        position = positions[position_code]
        values = _product_values(row)
        product = found.get((position.pk, code))
        if product is None:
            product = ProductType.objects.create(job_position=position, code=code, **values)
            audit.add("product_type.import", product)
            counts.created += 1
        elif values_differ(product, values):
            before = snapshot(product)
            values_apply(product, values)
            product.save()
            audit.add("product_type.import", product, before, snapshot(product))
            counts.updated += 1
        else:
            counts.unchanged += 1


def catalogue_export(job_position: JobPosition, target: str | Path | IO[bytes]) -> None:
    """Write one job position and its catalogue as a workbook the import accepts."""
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    rows: dict[str, list[list[Any]]] = {
        POSITION_SHEET.name: [
            [
                job_position.code,
                job_position.name,
                job_position.unit.code if job_position.unit else None,
            ]
        ],
        PRODUCT_SHEET.name: [
            [
                job_position.code,
                p.code,
                p.name,
                p.get_group_display(),
                p.unit_of_measure,
                p.conversion_factor,
                p.monthly_norm,
            ]
            for p in job_position.product_types.order_by("group", "code")
        ],
    }
    for spec in SPECS:
        ws = wb.create_sheet(spec.name)
        header_write(ws, spec.columns)
        for values in rows[spec.name]:
            ws.append(values)
    workbook_save(wb, target)
