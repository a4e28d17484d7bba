"""Excel import of past years' classification results ("Kết quả xếp loại"), so that years
before the system was in use can be reported and compared.

It is built on the shared spreadsheet import (thuocdo.spreadsheets): the whole workbook is read
and checked first, every problem is listed (sheet, row, column, value, reason) and nothing is
written unless there is none. A result is identified by (code, year, subject group): re-importing
the same file changes nothing, a changed level or score is updated, nothing is deleted. Writes
are bulk statements and audit events are written in batches, so a city's 50.000 Party members
cost a few hundred queries, not one per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from thuocdo.audit.services import snapshot
from thuocdo.org.models import Category, Person, Unit
from thuocdo.org.scope import scope_for
from thuocdo.reports.models import LEVEL_CHOICES, HistoricalResult
from thuocdo.reviews.models import EvaluationGroup
from thuocdo.spreadsheets import (
    OUT_OF_SCOPE,
    WRITE_BATCH,
    AuditBuffer,
    Column,
    ImportReport,
    Problems,
    Progress,
    Row,
    SheetSpec,
    Source,
    WorkbookSpec,
    by_codes,
    chunks,
    created_check,
    field_length,
    import_run,
    in_paths,
    parse_number,
    writer,
)

TEMPLATE_FILE_NAME = "mau-nhap-ket-qua-xep-loai.xlsx"
REPORT_LABEL = "Kết quả xếp loại"
FIRST_YEAR = 1990
COLLECTIVE = EvaluationGroup.COLLECTIVE.value
NUMBER_HELP = "Số từ 0 đến 100, ô kiểu số của Excel hoặc viết kiểu Việt Nam (92,5)."


GROUP_ALIASES = (
    ("ĐV", EvaluationGroup.PARTY_MEMBER),
    ("Lãnh đạo", EvaluationGroup.LEADER),
    ("Lãnh đạo, quản lý", EvaluationGroup.LEADER),
    ("Cán bộ lãnh đạo", EvaluationGroup.LEADER),
    ("CC", EvaluationGroup.CIVIL_SERVANT),
    ("VC", EvaluationGroup.PUBLIC_EMPLOYEE),
)
LEVEL_ALIASES = (
    *((name, code) for code, name in LEVEL_CHOICES),
    ("HTXSNV", "HTXS"),
    ("HTTNV", "HTT"),
    ("KHTNV", "KHT"),
)

RESULT_SHEET = SheetSpec(
    REPORT_LABEL,
    (
        Column(
            "person",
            "Mã cán bộ",
            max_length=field_length(HistoricalResult, "subject_code"),
            width=16,
            help="Bắt buộc với cá nhân; để trống với tập thể. Mã không bắt buộc phải có trong "
            "hệ thống (người đã nghỉ hưu, chuyển công tác); nếu có, kết quả được gắn với hồ sơ "
            "cán bộ.",
        ),
        Column(
            "full_name",
            "Họ và tên",
            max_length=field_length(HistoricalResult, "full_name"),
            width=30,
            help="Không bắt buộc; để đối chiếu khi xem lại.",
        ),
        Column(
            "unit",
            "Mã đơn vị",
            True,
            max_length=field_length(Unit, "code"),
            width=16,
            help="Đơn vị đã có trong hệ thống nơi kết quả được tính: tổ chức cơ sở đảng của "
            "đảng viên, đơn vị của cán bộ lãnh đạo, công chức, viên chức; với tập thể là chính "
            "đơn vị được xếp loại.",
        ),
        Column(
            "year",
            "Năm",
            True,
            "year",
            width=8,
            allowed_text=f"Năm bốn chữ số, từ {FIRST_YEAR} đến năm hiện tại",
        ),
        Column(
            "group",
            "Nhóm đối tượng",
            True,
            "choice",
            tuple(EvaluationGroup.choices),
            aliases=GROUP_ALIASES,
            width=26,
            help="Một người có thể có kết quả ở nhiều nhóm trong cùng năm (ví dụ vừa là đảng "
            "viên vừa là cán bộ lãnh đạo): mỗi nhóm một dòng.",
        ),
        Column(
            "level",
            "Mức xếp loại",
            True,
            "choice",
            tuple((code, code) for code, _ in LEVEL_CHOICES),
            aliases=LEVEL_ALIASES,
            width=14,
            help="HTXS, HTT, HTNV, KHT, hoặc KXL (không xếp loại); cũng nhận tên đầy đủ "
            "(Hoàn thành tốt nhiệm vụ...).",
        ),
        Column(
            "score",
            "Điểm",
            kind="score",
            width=8,
            help="Không bắt buộc. " + NUMBER_HELP,
            allowed_text="Số từ 0 đến 100",
        ),
        Column(
            "category",
            "Đối tượng",
            False,
            "choice",
            tuple(Category.choices),
            width=18,
            help="Không bắt buộc: cán bộ, công chức, viên chức, người lao động.",
        ),
    ),
    help="Mỗi dòng là kết quả xếp loại một năm của một cá nhân hoặc một tập thể.",
    example=("VD-CB001", "Nguyễn Văn Ví Dụ", "VD-P01", 2021, "Đảng viên", "HTT", 86.5, "Công chức"),
)
SPECS = (RESULT_SHEET,)


@dataclass(frozen=True)
class _Result:
    """One checked row, ready to be written."""

    key: tuple[int, str, str]
    values: dict[str, Any]


def history_import(*, actor: Any, source: Source, progress: Progress | None = None) -> ImportReport:
    """Import past years' results from a workbook, all or nothing, idempotently. `progress`,
    if given, is called with (rows read so far, estimated total rows)."""
    units = {u.code: u for u in Unit.objects.only("id", "code", "path")}

    def check(sheets: dict[str, list[Row]], problems: Problems) -> list[_Result]:
        return _results_check(sheets[RESULT_SHEET.name], units, actor, problems)

    def write(checked: list[_Result], report: ImportReport, audit: AuditBuffer) -> None:
        people = {
            p.code: p.pk
            for p in by_codes(
                Person.objects.only("id", "code"),
                {r.key[2] for r in checked if r.key[1] != COLLECTIVE},
            )
        }
        _results_write(checked, people, actor, report, audit)

    return import_run(
        actor=actor, source=source, workbook=WORKBOOK, check=check, write=write, progress=progress
    )


def _results_check(
    rows: list[Row], units: dict[str, Unit], actor: Any, problems: Problems
) -> list[_Result]:
    """Validate every row against the others, the registry and the actor's scope."""
    spec = RESULT_SHEET
    scope = scope_for(actor)
    this_year = timezone.localdate().year
    seen: dict[tuple[int, str, str], int] = {}
    checked: list[_Result] = []
    for row in rows:
        values = row.values
        unit = units.get(values["unit"] or "")
        if values["unit"] and unit is None:
            problems.add(spec, row, "unit", "không tìm thấy đơn vị có mã này trong hệ thống")
        elif (
            unit is not None and not scope.everything and not in_paths(unit.path, scope.write_paths)
        ):
            problems.add(spec, row, "unit", f"là đơn vị {OUT_OF_SCOPE}")
        year = _year(row.raw.get("year"))
        if row.raw.get("year") is not None and year is None:
            problems.add(spec, row, "year", "không phải năm hợp lệ (bốn chữ số, ví dụ 2021)")
        elif year is not None and not FIRST_YEAR <= year <= this_year:
            problems.add(spec, row, "year", f"phải từ {FIRST_YEAR} đến {this_year}")
        score = None
        if row.raw.get("score") is not None:
            score = parse_number(row.raw["score"])
            if score is None:
                problems.add(spec, row, "score", "không phải số")
            elif not Decimal(0) <= score <= Decimal(100):
                problems.add(spec, row, "score", "phải từ 0 đến 100")
            elif score != score.quantize(Decimal("0.01")):
                problems.add(spec, row, "score", "chỉ được có tối đa hai chữ số thập phân")
        group, person = values["group"], values["person"] or ""
        if group == COLLECTIVE and person:
            problems.add(
                spec,
                row,
                "person",
                "phải để trống với nhóm Tập thể (tập thể nhận ra theo mã đơn vị)",
            )
        elif group and group != COLLECTIVE and not person:
            problems.add(spec, row, "person", "ô bắt buộc với kết quả của cá nhân")
        if not row.ok or unit is None or year is None:
            continue
        code = unit.code if group == COLLECTIVE else person
        key = (year, group, code)
        first = seen.setdefault(key, row.number)
        if first != row.number:
            what = "mã đơn vị" if group == COLLECTIVE else "mã cán bộ"
            problems.add(
                spec,
                row,
                "unit" if group == COLLECTIVE else "person",
                f"trùng {what}, năm và nhóm đối tượng với dòng {first}",
            )
            continue
        checked.append(
            _Result(
                key=key,
                values={
                    "unit_id": unit.pk,
                    "level": values["level"],
                    "score": score,
                    "category": values["category"] or "",
                    "full_name": " ".join((values["full_name"] or "").split()),
                },
            )
        )
    return checked


def _year(value: Any) -> int | None:
    """A cell as a year: an Excel number or text of four digits."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, datetime.date):
        return value.year
    number = parse_number(value)
    if number is None or number != number.to_integral_value() or not 1000 <= number <= 9999:
        return None
    return int(number)


def _existing(checked: list[_Result]) -> dict[tuple[int, str, str], HistoricalResult]:
    """The stored results with the same identities, in chunked queries per (year, group)."""
    codes: dict[tuple[int, str], list[str]] = {}
    for result in checked:
        year, group, code = result.key
        codes.setdefault((year, group), []).append(code)
    found: dict[tuple[int, str, str], HistoricalResult] = {}
    for (year, group), group_codes in codes.items():
        for chunk in chunks(sorted(group_codes)):
            for stored in HistoricalResult.objects.filter(
                year=year, group=group, subject_code__in=chunk
            ):
                found[(year, group, stored.subject_code)] = stored
    return found


def _results_write(
    checked: list[_Result],
    people: dict[str, int],
    actor: Any,
    report: ImportReport,
    audit: AuditBuffer,
) -> None:
    """Create new results and update changed ones, in bulk, each with its audit event."""
    counts = report.of(REPORT_LABEL)
    existing = _existing(checked)
    actor_id = getattr(actor, "pk", None)
    created: list[HistoricalResult] = []
    changed: list[tuple[HistoricalResult, dict[str, Any]]] = []
    for result in checked:
        year, group, code = result.key
        values = {**result.values, "person_id": people.get(code) if group != COLLECTIVE else None}
        stored = existing.get(result.key)
        if stored is None:
            created.append(
                HistoricalResult(
                    year=year, group=group, subject_code=code, imported_by_id=actor_id, **values
                )
            )
        elif any(getattr(stored, name) != value for name, value in values.items()):
            before = snapshot(stored)
            for name, value in values.items():
                setattr(stored, name, value)
            stored.imported_by_id = actor_id
            stored.imported_at = timezone.now()
            changed.append((stored, before))
        else:
            counts.unchanged += 1
    HistoricalResult.objects.bulk_create(created, batch_size=WRITE_BATCH)
    created_check(created)
    if changed:
        fields = [*checked[0].values, "person_id", "imported_by_id", "imported_at"]
        HistoricalResult.objects.bulk_update(
            [stored for stored, _ in changed],
            [name.removesuffix("_id") for name in fields],
            batch_size=WRITE_BATCH,
        )
    for new in created:
        audit.add("history.import", new)
    for stored, before in changed:
        audit.add("history.import", stored, before, snapshot(stored))
    counts.created += len(created)
    counts.updated += len(changed)


# --- Template ---------------------------------------------------------------------------------

GUIDE = (
    "Dòng đầu tiên là tiêu đề: không đổi tên, không xóa cột. Dữ liệu bắt đầu từ dòng 2; dòng "
    "trống được bỏ qua.",
    "Mỗi dòng là kết quả một năm của một cá nhân (ghi Mã cán bộ) hoặc một tập thể (nhóm Tập "
    "thể, để trống Mã cán bộ). Mã đơn vị là đơn vị nơi kết quả được tính và phải có trong hệ "
    "thống.",
    "Số liệu dùng cho báo cáo phân bố xếp loại của những năm hệ thống chưa tổ chức đánh giá. "
    "Với đơn vị đã có kỳ đánh giá năm được công khai trong hệ thống, báo cáo lấy kết quả của "
    "kỳ đánh giá đó.",
    "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được nhập, "
    "và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
    "Nhập lại: kết quả được nhận ra theo mã, năm và nhóm đối tượng; nhập lại đúng tệp cũ không "
    "thay đổi gì, dòng có mức hoặc điểm khác thì được cập nhật. Không có dòng nào bị xóa khi "
    "nhập.",
    "Bạn chỉ được nhập kết quả của các đơn vị trong phạm vi mình phụ trách.",
)
WORKBOOK = WorkbookSpec(
    key="history",
    title="Hướng dẫn nhập kết quả xếp loại các năm trước vào Thước Đo",
    sheets=SPECS,
    file_name=TEMPLATE_FILE_NAME,
    guide=GUIDE,
)


def template_write(path: str | Path) -> None:
    """Write the empty results workbook, its choice lists and its instruction sheet."""
    writer.template_write(WORKBOOK, path)
