"""Excel import of a target set's indicators ("Chỉ tiêu") and actuals ("Kết quả").

It is built on the shared spreadsheet import (thuocdo.spreadsheets): the whole workbook is read
and checked first, every problem is listed (sheet, row, column, value, reason) and nothing is
written unless there is none. Indicators are matched by their code within the
set and actuals by (code, month), so re-importing the same file changes nothing. Nothing is
deleted by an import.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError

from thuocdo.spreadsheets import (
    MONTH_FORMAT,
    OUT_OF_SCOPE,
    YES_NO,
    AuditBuffer,
    Column,
    ImportReport,
    Problems,
    Progress,
    Row,
    SheetSpec,
    Source,
    WorkbookSpec,
    choice_map,
    duplicates_flag,
    field_length,
    import_run,
    normal,
    writer,
)
from thuocdo.spreadsheets import parse_month as parse_month  # re-exported: the forms read months
from thuocdo.spreadsheets import parse_number as parse_number
from thuocdo.targets import services
from thuocdo.targets.models import (
    Aggregation,
    Direction,
    Indicator,
    IndicatorActual,
    IndicatorGroup,
    TargetSet,
    TargetSetState,
)
from thuocdo.targets.permissions import can_change

TEMPLATE_FILE_NAME = "mau-nhap-chi-tieu.xlsx"
INDICATOR_LABEL = "Chỉ tiêu"
ACTUAL_LABEL = "Kết quả thực hiện"
PERIOD_FORMAT = MONTH_FORMAT
NUMBER_ALLOWED = "Số không âm"
NUMBER_FORMAT = "#,##0.##"
NUMBER_HELP = (
    "Số không âm: ô kiểu số của Excel, hoặc viết kiểu Việt Nam (2.100 là hai nghìn một trăm; "
    "95,5 là chín mươi lăm phẩy năm)."
)


INDICATOR_SHEET = SheetSpec(
    "Chỉ tiêu",
    (
        Column(
            "code",
            "Mã",
            True,
            max_length=field_length(Indicator, "code"),
            width=10,
            help="Mã duy nhất trong bộ chỉ tiêu (ví dụ 1, 2.1, KT-03); dùng để nhận ra chỉ tiêu "
            "khi nhập lại và ở sheet «Kết quả».",
        ),
        Column(
            "group",
            "Nhóm",
            True,
            "group",
            # The list only suggests: a local group name is accepted too.
            choices=tuple(IndicatorGroup.choices)[:-1],
            suggest=True,
            width=30,
            help="Một trong các nhóm có sẵn, hoặc ghi tên nhóm khác do địa phương quy định.",
            allowed_text=", ".join(IndicatorGroup.labels[:-1]) + " hoặc tên nhóm khác",
        ),
        Column("name", "Tên chỉ tiêu", True, max_length=field_length(Indicator, "name"), width=60),
        Column(
            "unit_of_measure",
            "Đơn vị tính",
            max_length=field_length(Indicator, "unit_of_measure"),
            width=14,
            help="Với đơn vị «%» hoặc «tỷ lệ», kết quả lấy theo kỳ gần nhất; các đơn vị khác "
            "được cộng dồn các kỳ.",
        ),
        Column(
            "target",
            "Chỉ tiêu giao",
            True,
            "number",
            width=14,
            help=NUMBER_HELP,
            allowed_text=NUMBER_ALLOWED,
            number_format=NUMBER_FORMAT,
        ),
        Column(
            "direction",
            "Chiều",
            False,
            "choice",
            tuple(Direction.choices),
            width=22,
            default=Direction.MORE,
            help="Để trống nghĩa là Càng cao càng tốt. Càng thấp càng tốt: tỷ lệ hoàn thành = "
            "chỉ tiêu / kết quả (ví dụ số vụ tai nạn).",
        ),
        Column(
            "is_main",
            "Chỉ tiêu chính",
            kind="bool",
            choices=YES_NO,
            width=16,
            default=False,
            help="Có/Không; để trống nghĩa là Không. Không đạt chỉ tiêu chính cùng với hoàn "
            "thành dưới 50% chỉ tiêu là căn cứ xếp loại Không hoàn thành nhiệm vụ.",
        ),
        Column(
            "weight",
            "Trọng số",
            kind="number",
            width=10,
            help="Để trống nghĩa là 1. Dùng để tính tỷ lệ hoàn thành chung có trọng số.",
            allowed_text=NUMBER_ALLOWED,
            number_format=NUMBER_FORMAT,
        ),
    ),
    help="Mỗi dòng là một chỉ tiêu giao cho đơn vị, người đứng đầu trong năm.",
    example=(
        "VD-1",
        "Kinh tế - xã hội",
        "Thu ngân sách trên địa bàn (ví dụ)",
        "tỷ đồng",
        1200,
        "Càng cao càng tốt",
        "Có",
        2,
    ),
)

ACTUAL_SHEET = SheetSpec(
    "Kết quả",
    (
        Column(
            "code",
            "Mã",
            True,
            max_length=field_length(Indicator, "code"),
            width=10,
            help="Mã chỉ tiêu ở sheet «Chỉ tiêu» hoặc đã có trong bộ chỉ tiêu.",
        ),
        Column(
            "period",
            "Kỳ",
            True,
            "month",
            width=12,
            help="Tháng thuộc năm của bộ chỉ tiêu.",
            allowed_text=f"Tháng dạng {PERIOD_FORMAT} (ví dụ 03/2026) hoặc ô kiểu ngày của Excel",
            number_format="@",  # typed as text, so that 03/2026 is not turned into a date
        ),
        Column(
            "value",
            "Giá trị",
            True,
            "number",
            width=14,
            help=NUMBER_HELP,
            allowed_text=NUMBER_ALLOWED,
            number_format=NUMBER_FORMAT,
        ),
        Column(
            "evidence_note",
            "Minh chứng",
            width=50,
            help="Văn bản, báo cáo, số liệu chứng minh kết quả.",
        ),
    ),
    required=False,
    help="Không bắt buộc. Mỗi dòng là kết quả của một chỉ tiêu trong một tháng; ghi lại cùng "
    "tháng thì kết quả cũ được thay.",
    example=("VD-1", "06/2026", 600, "Báo cáo 6 tháng đầu năm"),
)

SPECS = (INDICATOR_SHEET, ACTUAL_SHEET)
_GROUPS = choice_map(Column("group", "Nhóm", kind="choice", choices=tuple(IndicatorGroup.choices)))
GUIDE = (
    "Dòng đầu tiên của mỗi sheet là tiêu đề: không đổi tên, không xóa cột. Dữ liệu bắt đầu từ "
    "dòng 2; dòng trống được bỏ qua.",
    "Sheet «Chỉ tiêu» liệt kê các chỉ tiêu được giao; sheet «Kết quả» (không bắt buộc) ghi kết "
    "quả từng tháng kèm minh chứng.",
    "Tỷ lệ hoàn thành: càng cao càng tốt = kết quả / chỉ tiêu (2.100 / 2.000 = 105%); càng thấp "
    "càng tốt = chỉ tiêu / kết quả. Đạt khi từ 100% trở lên.",
    "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được nhập, "
    "và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
    "Nhập lại: chỉ tiêu được nhận ra theo mã, kết quả theo mã và kỳ; nhập lại đúng tệp cũ không "
    "thay đổi gì. Không có dòng nào bị xóa khi nhập. Bộ chỉ tiêu đã khóa sổ không nhận tệp.",
)
WORKBOOK = WorkbookSpec(
    key="targets",
    title="Hướng dẫn nhập chỉ tiêu và kết quả thực hiện vào Thước Đo",
    sheets=SPECS,
    file_name=TEMPLATE_FILE_NAME,
    guide=GUIDE,
)


def _aggregation_for(unit_of_measure: str) -> str:
    """Rates are read at their latest value, counts are summed over the months."""
    folded = normal(unit_of_measure)
    return Aggregation.LAST if "%" in folded or "ty le" in folded else Aggregation.SUM


def _number_check(
    spec: SheetSpec, row: Row, key: str, problems: Problems, default: Decimal | None = None
) -> Decimal | None:
    """Parse a number cell from the raw value (so "2.100" is read as Vietnamese text)."""
    raw = row.raw.get(key)
    if raw is None:
        return default
    number = parse_number(raw)
    if number is None:
        problems.add(spec, row, key, "không phải số")
    elif number < 0:
        problems.add(spec, row, key, "không được âm")
        number = None
    return number


def _indicator_values(row: Row, problems: Problems) -> dict[str, Any]:
    """The indicator fields of a row, or problems recorded against it."""
    spec = INDICATOR_SHEET
    group_text = row.values["group"] or ""
    group = _GROUPS.get(normal(group_text), IndicatorGroup.OTHER)
    values: dict[str, Any] = {
        "group": group,
        "group_label": group_text if group == IndicatorGroup.OTHER else "",
        "code": row.values["code"],
        "name": row.values["name"],
        "unit_of_measure": row.values["unit_of_measure"] or "",
        "target": _number_check(spec, row, "target", problems),
        "direction": row.values["direction"] or Direction.MORE,
        "is_main": bool(row.values["is_main"]),
        "weight": _number_check(spec, row, "weight", problems, Decimal(1)),
        "position": row.number - 1,
    }
    if len(values["group_label"]) > _max("group_label"):
        problems.add(spec, row, "group", f"tên nhóm dài quá {_max('group_label')} ký tự")
    if row.ok:
        # The model's own rules (a zero target that more-is-better cannot measure, digits...)
        # are checked here, before anything is written, and reported against their column.
        probe = Indicator(**values, aggregation=Aggregation.SUM)
        try:
            probe.full_clean(exclude=["target_set"], validate_unique=False)
        except ValidationError as error:
            columns = {c.key for c in spec.columns}
            for field_name, messages in error.message_dict.items():
                key = field_name if field_name in columns else "code"
                for message in messages:
                    problems.add(spec, row, key, message.rstrip(".").lower())
    return values


def _max(field_name: str) -> int:
    """The max_length of an indicator text field."""
    return field_length(Indicator, field_name) or 0


def targets_import(
    *, actor: Any, target_set: TargetSet, source: Source, progress: Progress | None = None
) -> ImportReport:
    """Import indicators and actuals into a set from a workbook, all or nothing."""

    def check(sheets: dict[str, list[Row]], problems: Problems) -> _Plan:
        if not can_change(actor, target_set, "manage"):
            # The pages and the command check it first; the import does not rely on them.
            problems.add_file(f"bộ chỉ tiêu «{target_set}» {OUT_OF_SCOPE}")
        if target_set.state == TargetSetState.CLOSED:
            problems.add_file(services.CLOSED_MESSAGE.rstrip("."))
        indicator_rows = duplicates_flag(
            INDICATOR_SHEET,
            sheets[INDICATOR_SHEET.name],
            lambda r: r.values["code"] or None,
            "code",
            problems,
            "mã chỉ tiêu",
        )
        parsed = {code: _indicator_values(row, problems) for code, row in indicator_rows.items()}
        existing = {i.code: i for i in target_set.indicators.all()}
        known = set(existing) | set(indicator_rows)
        actuals = _actuals_check(sheets[ACTUAL_SHEET.name], target_set, known, problems)
        return _Plan(parsed, existing, actuals)

    def write(plan: _Plan, report: ImportReport, audit: AuditBuffer) -> None:
        # The services write and audit each change themselves.
        _indicators_write(actor, target_set, plan.indicators, plan.existing, report)
        _actuals_write(actor, target_set, plan.actuals, plan.existing, report)

    return import_run(
        actor=actor, source=source, workbook=WORKBOOK, check=check, write=write, progress=progress
    )


@dataclass(frozen=True)
class _Actual:
    """One checked row of the results sheet."""

    code: str
    period: datetime.date
    value: Decimal
    evidence_note: str


def _actuals_check(
    rows: list[Row], target_set: TargetSet, known: set[str], problems: Problems
) -> list[_Actual]:
    """Validate result rows: a known code, a month of the set's year, a number, no repeats."""
    spec = ACTUAL_SHEET
    checked: list[_Actual] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    for row in rows:
        code = row.values["code"] or ""
        if code and code not in known:
            problems.add(spec, row, "code", "không có chỉ tiêu nào mang mã này")
        period = parse_month(row.raw["period"]) if row.raw.get("period") is not None else None
        if row.raw.get("period") is not None and period is None:
            problems.add(spec, row, "period", f"không phải tháng hợp lệ ({PERIOD_FORMAT})")
        elif period is not None and period.year != target_set.year:
            problems.add(spec, row, "period", f"không thuộc năm {target_set.year} của bộ chỉ tiêu")
        value = _number_check(spec, row, "value", problems)
        if period is not None and code:
            first = seen.setdefault((code, period), row.number)
            if first != row.number:
                problems.add(spec, row, "period", f"trùng mã và kỳ với dòng {first}")
        if row.ok and period is not None and value is not None:
            checked.append(_Actual(code, period, value, row.values["evidence_note"] or ""))
    return checked


@dataclass
class _Plan:
    """The checked rows of a targets workbook and the set's indicators."""

    indicators: dict[str, dict[str, Any]]
    existing: dict[str, Indicator]
    actuals: list[_Actual]


def _indicators_write(
    actor: Any,
    target_set: TargetSet,
    parsed: dict[str, dict[str, Any]],
    existing: dict[str, Indicator],
    report: ImportReport,
) -> None:
    """Create new indicators and update changed ones through the audited services."""
    counts = report.of(INDICATOR_LABEL)
    for code, values in parsed.items():
        indicator = existing.get(code)
        if indicator is None:
            aggregation = _aggregation_for(values["unit_of_measure"])
            existing[code] = services.indicator_add(
                actor=actor, target_set=target_set, aggregation=aggregation, **values
            )
            counts.created += 1
        elif any(getattr(indicator, name) != value for name, value in values.items()):
            services.indicator_update(actor=actor, indicator=indicator, **values)
            counts.updated += 1
        else:
            counts.unchanged += 1


def _actuals_write(
    actor: Any,
    target_set: TargetSet,
    rows: list[_Actual],
    indicators: dict[str, Indicator],
    report: ImportReport,
) -> None:
    """Record new or changed actuals; an identical one is left alone."""
    counts = report.of(ACTUAL_LABEL)
    current = {
        (a.indicator.code, a.period): a
        for a in IndicatorActual.objects.filter(indicator__target_set=target_set).select_related(
            "indicator"
        )
    }
    for row in rows:
        actual = current.get((row.code, row.period))
        if actual is not None and (actual.value, actual.evidence_note) == (
            row.value,
            row.evidence_note,
        ):
            counts.unchanged += 1
            continue
        services.actual_record(
            actor=actor,
            indicator=indicators[row.code],
            period=row.period,
            value=row.value,
            evidence_note=row.evidence_note,
            document_number=actual.document_number if actual is not None else "",
        )
        if actual is None:
            counts.created += 1
        else:
            counts.updated += 1


def template_write(path: str | Path | IO[bytes]) -> None:
    """Write the empty targets workbook with its "Hướng dẫn" instruction sheet."""
    writer.template_write(WORKBOOK, path)
