"""Excel import of units and of people with their posts, and the empty templates to fill in.

An import is all-or-nothing: the whole workbook is read and checked first, every problem is
collected (sheet, Excel row, column, value, reason in Vietnamese) and the file is rejected if
there is even one. Only then is everything written, in one transaction, with bulk statements,
so that a 200,000-row file costs a few hundred queries rather than a million. Rows are upserted
by their codes, and a row that matches the database exactly is left alone: re-importing the
same file writes nothing and records no audit event.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar
from zipfile import BadZipFile

from django.db import models, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.audit.models import AuditEvent
from thuocdo.audit.services import audit_event_build, audit_record_many, snapshot
from thuocdo.org.models import (
    PATH_SEGMENT,
    Authority,
    Category,
    Discipline,
    DisciplineForm,
    DisciplineKind,
    Gender,
    Person,
    Post,
    Reward,
    Unit,
    UnitKind,
)
from thuocdo.org.names import fold
from thuocdo.org.scope import Scope, people_write_q, scope_for

Source = str | Path | IO[bytes]
Progress = Callable[[int, int], None]
M = TypeVar("M", bound=models.Model)

# Codes are looked up with `code__in`; 900 stays under SQLite's oldest bound-parameter limit.
LOOKUP_CHUNK = 900
WRITE_BATCH = 1000
AUDIT_BATCH = 5000
PROGRESS_EVERY = 1000
# Unit.path holds 255 characters of "0000000042/" segments.
MAX_UNIT_DEPTH = 255 // (PATH_SEGMENT + 1)
DATE_FORMAT = "dd/mm/yyyy"


# --- Problems and results -------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """One reason a workbook is rejected, located as precisely as the user needs to fix it."""

    sheet: str
    row: int | None
    column: str
    letter: str
    value: str
    reason: str

    def __str__(self) -> str:
        """A Vietnamese sentence: where, which value, what is wrong."""
        parts = []
        if self.sheet:
            parts.append(f"Sheet «{self.sheet}»")
        if self.row:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(
                f"cột {self.letter} «{self.column}»" if self.letter else f"cột «{self.column}»"
            )
        body = f"giá trị «{self.value}» {self.reason}" if self.value else self.reason
        if not parts:
            return body[:1].upper() + body[1:] + "."
        return f"{', '.join(parts)}: {body}."


class ImportRejected(Exception):
    """The workbook was not imported; `problems` lists everything that must be fixed."""

    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        """Keep the problems in file order."""
        # Sheets in the workbook's order, then rows and columns as the user reads them
        # ("AA" comes after "Z"), whatever order the checks found them in.
        rank = {"": -1}
        for specs in WORKBOOKS.values():
            rank.update({spec.name: len(rank) + i for i, spec in enumerate(specs)})
        for problem in problems:
            rank.setdefault(problem.sheet, len(rank))
        self.problems: list[ImportProblem] = sorted(
            problems,
            key=lambda p: (rank[p.sheet], p.row or 0, len(p.letter), p.letter),
        )
        super().__init__(f"Tệp bị từ chối: {len(self.problems)} lỗi.")

    def __str__(self) -> str:
        """Every problem, one per line."""
        return "\n".join([self.args[0], *(str(p) for p in self.problems)])


@dataclass
class EntityCounts:
    """How many rows of one entity were created, updated, or already up to date."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


ENTITY_LABELS = {
    "unit": "Đơn vị",
    "authority": "Cấp có thẩm quyền",
    "person": "Cán bộ",
    "post": "Chức vụ",
    "discipline": "Kỷ luật",
    "reward": "Khen thưởng",
}


@dataclass
class ImportReport:
    """What an accepted import did, per entity."""

    kind: str
    counts: dict[str, EntityCounts] = field(default_factory=dict)

    def of(self, entity: str) -> EntityCounts:
        """The counts of one entity ("unit", "person", "post"...), created on first use."""
        return self.counts.setdefault(entity, EntityCounts())

    @property
    def created(self) -> int:
        """Rows created, all entities together."""
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        """Rows changed, all entities together."""
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        """Rows already up to date, all entities together."""
        return sum(c.unchanged for c in self.counts.values())

    def lines(self) -> list[str]:
        """The report in Vietnamese, one line per entity."""
        return [
            f"{ENTITY_LABELS.get(name, name)}: {c.created} tạo mới, {c.updated} cập nhật, "
            f"{c.unchanged} không thay đổi."
            for name, c in self.counts.items()
        ]

    def __str__(self) -> str:
        """The report as one block of text."""
        return "\n".join(self.lines())


# --- Column and sheet specifications (shared by the reader and the templates) ---------------

YES_NO = (("yes", "Có"), ("no", "Không"))
_YES = {"co", "x", "yes", "y", "true", "1", "c"}
_NO = {"khong", "no", "n", "false", "0", "k"}


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: how to read it and how to explain it."""

    key: str
    header: str
    required: bool = False
    kind: str = "text"  # text | date | choice | bool
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label shown to the user)
    aliases: tuple[tuple[str, str], ...] = ()  # extra accepted spellings -> stored value
    max_length: int | None = None
    width: int = 18
    help: str = ""
    default: Any = None

    def allowed(self) -> str:
        """The allowed values, as the instructions show them."""
        if self.kind == "date":
            return f"Ngày dạng {DATE_FORMAT} hoặc ô kiểu ngày của Excel"
        if self.kind in ("choice", "bool"):
            return ", ".join(label for _, label in self.choices)
        if self.max_length:
            return f"Văn bản, tối đa {self.max_length} ký tự"
        return "Văn bản"


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of an import workbook."""

    name: str
    columns: tuple[Column, ...]
    required: bool = True
    help: str = ""

    def column(self, key: str) -> Column:
        """The column with this key."""
        return next(c for c in self.columns if c.key == key)


def _len(model: type[models.Model], name: str) -> int | None:
    """The max_length of a model's text field, so the reader rejects what the database would."""
    max_length = getattr(model._meta.get_field(name), "max_length", None)
    return int(max_length) if max_length else None


UNIT_SHEET = SheetSpec(
    "Đơn vị",
    (
        Column(
            "code",
            "Mã đơn vị",
            True,
            max_length=_len(Unit, "code"),
            width=16,
            help="Mã duy nhất của đơn vị; dùng để nhận ra đơn vị khi nhập lại.",
        ),
        Column("name", "Tên đơn vị", True, max_length=_len(Unit, "name"), width=44),
        Column(
            "kind",
            "Loại",
            True,
            "choice",
            tuple(UnitKind.choices),
            width=30,
            help="Chọn trong danh sách; cũng chấp nhận mã loại (party, state...).",
        ),
        Column(
            "parent",
            "Mã đơn vị cấp trên",
            max_length=_len(Unit, "code"),
            width=20,
            help="Để trống nếu là đơn vị gốc. Đơn vị cấp trên có thể nằm ở dòng sau trong tệp "
            "hoặc đã có trong hệ thống.",
        ),
    ),
    help="Mỗi dòng là một đơn vị. Thứ tự dòng không quan trọng.",
)

AUTHORITY_SHEET = SheetSpec(
    "Cấp có thẩm quyền",
    (
        Column("code", "Mã", True, max_length=_len(Authority, "code"), width=16),
        Column("name", "Tên", True, max_length=_len(Authority, "name"), width=44),
        Column(
            "unit",
            "Mã đơn vị",
            True,
            max_length=_len(Unit, "code"),
            width=16,
            help="Đơn vị mà cấp có thẩm quyền thuộc về (trong tệp hoặc trong hệ thống).",
        ),
    ),
    required=False,
    help="Không bắt buộc. Các cấp có thẩm quyền (ví dụ BTV Thành ủy) và đơn vị của họ.",
)

PERSON_SHEET = SheetSpec(
    "Cán bộ",
    (
        Column(
            "code",
            "Mã cán bộ",
            True,
            max_length=_len(Person, "code"),
            width=16,
            help="Mã duy nhất của cán bộ; dùng để nhận ra cán bộ khi nhập lại.",
        ),
        Column("full_name", "Họ và tên", True, max_length=_len(Person, "full_name"), width=30),
        Column("birth_date", "Ngày sinh", True, "date", width=14),
        Column("gender", "Giới tính", True, "choice", tuple(Gender.choices), width=12),
        Column("category", "Đối tượng", True, "choice", tuple(Category.choices), width=18),
        Column(
            "is_party_member",
            "Đảng viên",
            kind="bool",
            choices=YES_NO,
            width=12,
            help="Để trống nghĩa là Không.",
            default=False,
        ),
        Column(
            "party_joined",
            "Ngày vào Đảng",
            kind="date",
            width=16,
            help="Chỉ điền khi cột Đảng viên là Có.",
        ),
        Column(
            "ethnicity",
            "Dân tộc",
            max_length=_len(Person, "ethnicity"),
            width=14,
            help="Để trống nghĩa là Kinh.",
            default="Kinh",
        ),
    ),
    help="Mỗi dòng là một cán bộ. Họ và tên ghi đầy đủ, có dấu.",
)

POST_SHEET = SheetSpec(
    "Chức vụ",
    (
        Column(
            "person",
            "Mã cán bộ",
            True,
            max_length=_len(Person, "code"),
            width=16,
            help="Cán bộ ở sheet «Cán bộ» hoặc đã có trong hệ thống.",
        ),
        Column(
            "unit",
            "Mã đơn vị",
            True,
            max_length=_len(Unit, "code"),
            width=16,
            help="Đơn vị đã có trong hệ thống.",
        ),
        Column("title", "Chức danh", True, max_length=_len(Post, "title"), width=28),
        Column(
            "is_head",
            "Người đứng đầu",
            kind="bool",
            choices=YES_NO,
            width=16,
            default=False,
            help="Một người không được đứng đầu hai đơn vị trong cùng một thời gian.",
        ),
        Column("is_deputy", "Cấp phó", kind="bool", choices=YES_NO, width=10, default=False),
        Column("is_key", "Chủ chốt", kind="bool", choices=YES_NO, width=10, default=False),
        Column("duty_group", "Nhóm nhiệm vụ", max_length=_len(Post, "duty_group"), width=20),
        Column(
            "managed_by",
            "Diện quản lý",
            max_length=_len(Authority, "code"),
            width=16,
            help="Mã cấp có thẩm quyền quản lý chức vụ này (đã có trong hệ thống).",
        ),
        Column("start_date", "Từ ngày", True, "date", width=14),
        Column(
            "end_date",
            "Đến ngày",
            kind="date",
            width=14,
            help="Để trống nếu đang giữ chức vụ. Không được trước Từ ngày.",
        ),
    ),
    help="Mỗi dòng là một chức vụ. Một chức vụ được nhận ra bởi Mã cán bộ, Mã đơn vị, "
    "Chức danh và Từ ngày; một người có thể giữ nhiều chức vụ.",
)

DISCIPLINE_SHEET = SheetSpec(
    "Kỷ luật",
    (
        Column("person", "Mã cán bộ", True, max_length=_len(Person, "code"), width=16),
        Column(
            "kind",
            "Loại",
            True,
            "choice",
            (("party", "Đảng"), ("administrative", "Hành chính")),
            aliases=tuple((label, value) for value, label in DisciplineKind.choices),
            width=14,
        ),
        Column("form", "Hình thức", True, "choice", tuple(DisciplineForm.choices), width=18),
        Column("date", "Ngày", True, "date", width=14, help="Ngày quyết định."),
        Column(
            "decision_number",
            "Số quyết định",
            True,
            max_length=_len(Discipline, "decision_number"),
            width=18,
        ),
        Column(
            "issuing_body",
            "Cơ quan ban hành",
            True,
            max_length=_len(Discipline, "issuing_body"),
            width=30,
        ),
        Column("reason", "Lý do", width=40),
        Column(
            "duty_related",
            "Liên quan nhiệm vụ",
            kind="bool",
            choices=YES_NO,
            width=18,
            default=True,
            help="Để trống nghĩa là Có.",
        ),
        Column(
            "self_remedied",
            "Tự phát hiện, khắc phục",
            kind="bool",
            choices=YES_NO,
            width=22,
            default=False,
            help="Để trống nghĩa là Không.",
        ),
    ),
    required=False,
    help="Không bắt buộc. Một quyết định kỷ luật được nhận ra bởi Mã cán bộ, Loại, Ngày và "
    "Số quyết định.",
)

REWARD_SHEET = SheetSpec(
    "Khen thưởng",
    (
        Column("person", "Mã cán bộ", True, max_length=_len(Person, "code"), width=16),
        Column("form", "Hình thức", True, max_length=_len(Reward, "form"), width=30),
        Column("date", "Ngày", True, "date", width=14, help="Ngày quyết định."),
        Column(
            "decision_number",
            "Số quyết định",
            True,
            max_length=_len(Reward, "decision_number"),
            width=18,
        ),
        Column(
            "issuing_body",
            "Cơ quan ban hành",
            True,
            max_length=_len(Reward, "issuing_body"),
            width=30,
        ),
    ),
    required=False,
    help="Không bắt buộc. Một khen thưởng được nhận ra bởi Mã cán bộ, Ngày và Số quyết định.",
)

WORKBOOKS: dict[str, tuple[SheetSpec, ...]] = {
    "units": (UNIT_SHEET, AUTHORITY_SHEET),
    "people": (PERSON_SHEET, POST_SHEET, DISCIPLINE_SHEET, REWARD_SHEET),
}
TEMPLATE_FILE_NAMES = {"units": "mau-nhap-don-vi.xlsx", "people": "mau-nhap-can-bo.xlsx"}
INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"


# --- Templates --------------------------------------------------------------------------------


def template_write(kind: str, path: str | Path) -> None:
    """Write the empty import workbook of a kind ("units" or "people") with its instructions."""
    if kind not in WORKBOOKS:
        raise ValueError(f"Loại mẫu không hợp lệ: {kind!r} (chọn units hoặc people).")
    specs = WORKBOOKS[kind]
    wb = Workbook()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    # Choice lists live on a hidden sheet: an inline list cannot hold a label with a comma
    # ("Mặt trận Tổ quốc, đoàn thể") and is limited to 255 characters.
    lists = wb.create_sheet(LISTS_SHEET)
    list_ranges: dict[tuple[str, ...], str] = {}
    for spec in specs:
        ws = wb.create_sheet(spec.name)
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            cell = ws.cell(row=1, column=index, value=column.header)
            cell.font = bold
            cell.fill = header_fill
            ws.column_dimensions[letter].width = column.width
            target = f"{letter}2:{letter}5000"
            if column.choices:
                labels = tuple(label for _, label in column.choices)
                if labels not in list_ranges:
                    list_col = get_column_letter(len(list_ranges) + 1)
                    for row, label in enumerate(labels, start=1):
                        lists.cell(row=row, column=len(list_ranges) + 1, value=label)
                    list_ranges[labels] = f"'{LISTS_SHEET}'!${list_col}$1:${list_col}${len(labels)}"
                validation = DataValidation(
                    type="list", formula1=list_ranges[labels], allow_blank=not column.required
                )
                validation.error = f"Chọn một giá trị trong danh sách: {column.allowed()}."
                validation.errorTitle = column.header
                validation.add(target)
                ws.add_data_validation(validation)
            if column.kind == "date":
                for row in range(2, 1001):
                    ws.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
    _instructions_write(wb.create_sheet(INSTRUCTIONS_SHEET), specs)
    # The list sheet goes last and hidden, so the workbook opens on the first data sheet.
    wb.move_sheet(lists, offset=len(wb.sheetnames) - 1)
    lists.sheet_state = "hidden"
    wb.active = 0
    wb.save(path)


def _instructions_write(ws: Worksheet, specs: Sequence[SheetSpec]) -> None:
    """Fill the instruction sheet: general rules, then one line per column."""
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    general = [
        "Hướng dẫn nhập dữ liệu vào Thước Đo",
        "Dòng đầu tiên của mỗi sheet là tiêu đề: không đổi tên, không xóa cột. Dữ liệu bắt đầu "
        "từ dòng 2; dòng trống được bỏ qua.",
        f"Ngày ghi theo dạng {DATE_FORMAT} (ví dụ 05/09/1980) hoặc dùng ô kiểu ngày của Excel.",
        "Cột có giá trị chọn (Loại, Giới tính, Có/Không...) nhận đúng nhãn trong danh sách; "
        "không phân biệt chữ hoa, chữ thường, có dấu hay không dấu.",
        "Tệp được kiểm tra toàn bộ trước khi ghi: chỉ cần một dòng sai là cả tệp không được "
        "nhập, và mọi lỗi được liệt kê cùng lúc (sheet, dòng, cột, giá trị, lý do).",
        "Nhập lại: dữ liệu được nhận ra theo mã. Dòng có mã đã có thì cập nhật, mã mới thì "
        "tạo mới; nhập lại đúng tệp cũ không thay đổi gì. Không có dòng nào bị xóa khi nhập.",
        "Bạn chỉ được nhập dữ liệu trong phạm vi đơn vị mình phụ trách; chỉ quản trị hệ thống "
        "được tạo đơn vị gốc.",
    ]
    for row, text in enumerate(general, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=False)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    start = len(general) + 2
    headers = ["Sheet", "Cột", "Bắt buộc", "Giá trị cho phép", "Ghi chú"]
    for index, text in enumerate(headers, start=1):
        ws.cell(row=start, column=index, value=text).font = bold
    row = start + 1
    for spec in specs:
        ws.cell(row=row, column=1, value=spec.name).font = bold
        ws.cell(row=row, column=2, value="(cả sheet)")
        ws.cell(row=row, column=3, value="Có" if spec.required else "Không")
        ws.cell(row=row, column=5, value=spec.help).alignment = wrap
        row += 1
        for column in spec.columns:
            values = [spec.name, column.header, "Có" if column.required else "Không"]
            values += [column.allowed(), column.help]
            for index, value in enumerate(values, start=1):
                ws.cell(row=row, column=index, value=value).alignment = wrap
            row += 1
    for letter, width in zip("ABCDE", (20, 26, 10, 50, 70), strict=True):
        ws.column_dimensions[letter].width = width


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class _Row:
    """One data row: its Excel number, the parsed values and the raw cells for messages."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    letters: dict[str, str]
    ok: bool = True


class _Collector:
    """Gathers problems so that validation never stops at the first one."""

    def __init__(self) -> None:
        """Start with no problems."""
        self.problems: list[ImportProblem] = []

    def add(
        self, spec: SheetSpec, row: _Row | None, key: str, reason: str, value: Any = None
    ) -> None:
        """Record a problem on a row's cell (or on the sheet when there is no row)."""
        column = spec.column(key).header if key else ""
        letter = row.letters.get(key, "") if row is not None else ""
        shown = row.raw.get(key) if row is not None and value is None else value
        self.problems.append(
            ImportProblem(
                sheet=spec.name,
                row=row.number if row is not None else None,
                column=column,
                letter=letter,
                value=_display(shown),
                reason=reason,
            )
        )
        if row is not None:
            row.ok = False

    def raise_if_any(self) -> None:
        """Reject the file if anything was found."""
        if self.problems:
            raise ImportRejected(self.problems)


def _display(value: Any) -> str:
    """A cell value as the user typed it, short enough for a message."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    text = str(value).strip()
    return text if len(text) <= 80 else text[:77] + "..."


def _normal(text: Any) -> str:
    """Fold a header or sheet name: no diacritics, no case, no notes in brackets, no stars."""
    folded = fold(re.sub(r"\(.*?\)", "", str(text or "")).replace("*", ""))
    return " ".join(folded.split())


_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def _parse_date(value: Any) -> datetime.date | None:
    """A real Excel date or text dd/mm/yyyy; None if it is not a date that exists."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        iso = _ISO_DATE.match(text)
        if not iso:
            return None
        year, month, day = (int(g) for g in iso.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _text(value: Any) -> str:
    """A cell as text: codes typed as numbers lose Excel's ".0", spaces are trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _choice_map(column: Column) -> dict[str, Any]:
    """Every accepted spelling of a choice column, folded, mapped to the stored value."""
    if column.kind == "bool":
        return {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}
    mapping: dict[str, Any] = {}
    for value, label in column.choices:
        mapping[_normal(value)] = value
        mapping[_normal(label)] = value
    for alias, value in column.aliases:
        mapping[_normal(alias)] = value
    return mapping


def _open(source: Source) -> Any:
    """Open a workbook for streaming reads, or reject a file that is not one."""
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        # read_only streams rows, which keeps 200,000-row files within memory.
        return load_workbook(source, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        problem = ImportProblem(
            "", None, "", "", "", f"tệp không phải bảng tính Excel (.xlsx) hợp lệ ({error})"
        )
        raise ImportRejected([problem]) from error


def _sheets_read(
    source: Source, specs: Sequence[SheetSpec], progress: Progress | None, problems: _Collector
) -> dict[str, list[_Row]]:
    """Read and parse every sheet; reject at once if a sheet or a column is missing.

    Problems inside rows are only collected, so that the checks across rows can add theirs.
    """
    wb = _open(source)
    try:
        by_name = {_normal(name): name for name in wb.sheetnames}
        found: dict[str, tuple[Any, dict[str, int]]] = {}
        for spec in specs:
            actual = by_name.get(_normal(spec.name))
            if actual is None:
                if spec.required:
                    problems.add(spec, None, "", "không có sheet này trong tệp")
                continue
            ws = wb[actual]
            header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            positions = {_normal(text): index for index, text in enumerate(header) if text}
            columns: dict[str, int] = {}
            for column in spec.columns:
                position = positions.get(_normal(column.header))
                if position is None:
                    problems.problems.append(
                        ImportProblem(
                            spec.name, 1, column.header, "", "", "thiếu cột này ở dòng tiêu đề"
                        )
                    )
                else:
                    columns[column.key] = position
            found[spec.name] = (ws, columns)
        problems.raise_if_any()
        total = sum(max((ws.max_row or 1) - 1, 0) for ws, _ in found.values())
        done = 0
        result: dict[str, list[_Row]] = {}
        for spec in specs:
            if spec.name not in found:
                result[spec.name] = []
                continue
            ws, columns = found[spec.name]
            rows = result[spec.name] = []
            for number, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, max(total, done))
                row = _row_parse(spec, columns, number, cells, problems)
                if row is not None:
                    rows.append(row)
        if progress is not None:
            progress(done, done)
    finally:
        wb.close()
    return result


_CHOICE_MAPS: dict[tuple[str, str], dict[str, Any]] = {}


def _row_parse(
    spec: SheetSpec,
    columns: dict[str, int],
    number: int,
    cells: Sequence[Any],
    problems: _Collector,
) -> _Row | None:
    """Parse one row's cells by the sheet's columns; None for an empty row."""
    raw: dict[str, Any] = {}
    for key, position in columns.items():
        value = cells[position] if position < len(cells) else None
        if isinstance(value, str) and not value.strip():
            value = None
        raw[key] = value
    if all(value is None for value in raw.values()):
        return None
    letters = {key: get_column_letter(position + 1) for key, position in columns.items()}
    row = _Row(number=number, values={}, raw=raw, letters=letters)
    for column in spec.columns:
        value = raw.get(column.key)
        if value is None:
            if column.required:
                row.values[column.key] = None
                problems.add(spec, row, column.key, "ô bắt buộc, không được để trống")
            else:
                row.values[column.key] = column.default
            continue
        if column.kind == "date":
            parsed = _parse_date(value)
            if parsed is None:
                problems.add(spec, row, column.key, f"không phải ngày hợp lệ ({DATE_FORMAT})")
            row.values[column.key] = parsed
        elif column.kind in ("choice", "bool"):
            mapping = _CHOICE_MAPS.get((spec.name, column.key)) or _CHOICE_MAPS.setdefault(
                (spec.name, column.key), _choice_map(column)
            )  # not setdefault alone: it would rebuild the map on every cell
            folded = _normal(value) if not isinstance(value, bool) else ("co" if value else "khong")
            if folded not in mapping:
                problems.add(
                    spec, row, column.key, f"không thuộc các giá trị cho phép ({column.allowed()})"
                )
            row.values[column.key] = mapping.get(folded)
        else:
            text = _text(value)
            if column.max_length and len(text) > column.max_length:
                problems.add(spec, row, column.key, f"dài quá {column.max_length} ký tự")
            row.values[column.key] = text
    return row


def _duplicates_flag(
    spec: SheetSpec,
    rows: Iterable[_Row],
    key: Callable[[_Row], Any],
    column: str,
    problems: _Collector,
    what: str,
) -> dict[Any, _Row]:
    """Index rows by a key; flag every later row repeating an earlier one."""
    seen: dict[Any, _Row] = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in seen:
            problems.add(spec, row, column, f"trùng {what} với dòng {seen[value].number}")
        else:
            seen[value] = row
    return seen


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of a sequence."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _by_codes(queryset: models.QuerySet[M], codes: Iterable[str], lookup: str = "code") -> list[M]:
    """The objects whose code is among `codes`, in a few chunked queries."""
    found: list[M] = []
    for chunk in _chunks(sorted(set(codes))):
        found.extend(queryset.filter(**{f"{lookup}__in": chunk}))
    return found


def _in_paths(path: str, paths: Sequence[str]) -> bool:
    """True when a unit path lies in one of the subtrees."""
    return any(path.startswith(prefix) for prefix in paths)


def _d(value: datetime.date | None) -> str:
    """A date the Vietnamese way, for messages."""
    return value.strftime("%d/%m/%Y") if value else "nay"


# --- Writing helpers --------------------------------------------------------------------------


class _Audit:
    """Buffers audit events and writes them in batches, to bound memory on huge files."""

    def __init__(self, actor: Any, note: str) -> None:
        """Remember who imports what."""
        self.actor, self.note, self.events = actor, note, list[AuditEvent]()

    def add(
        self, action: str, obj: models.Model, before: dict[str, Any] | None, after: dict[str, Any]
    ) -> None:
        """Queue one event."""
        self.events.append(
            audit_event_build(
                actor=self.actor, action=action, obj=obj, before=before, after=after, note=self.note
            )
        )
        if len(self.events) >= AUDIT_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the queued events."""
        if self.events:
            audit_record_many(self.events)
            self.events = []


def _note(source: Source) -> str:
    """The audit note naming the imported file."""
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    return f"Nhập từ tệp «{Path(str(name)).name if name else 'tải lên'}»"


def _apply(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set field values on an instance; True if anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _differs(obj: models.Model, values: dict[str, Any]) -> bool:
    """True if any of the values differs from the instance's."""
    return any(getattr(obj, name) != value for name, value in values.items())


# --- Units ------------------------------------------------------------------------------------
#
# Scope rule for every sheet: a row that would write nothing (it matches the database) needs
# no permission, so an organiser may re-import a file that also lists the units above theirs.
# A row that creates or changes something must lie inside the actor's write subtrees.

OUT_OF_SCOPE = "nằm ngoài phạm vi bạn được quyền cập nhật"


def units_import(*, actor: Any, source: Source, progress: Progress | None = None) -> ImportReport:
    """Import units (and optionally authorities) from a workbook, all or nothing.

    `progress`, if given, is called with (rows read so far, estimated total rows).
    """
    problems = _Collector()
    sheets = _sheets_read(source, WORKBOOKS["units"], progress, problems)
    scope = scope_for(actor)
    units = list(Unit.objects.all())
    by_code = {u.code: u for u in units}
    code_of = {u.pk: u.code for u in units}
    unit_rows = _units_check(sheets[UNIT_SHEET.name], by_code, code_of, scope, problems)
    authorities = {
        a.code: a for a in _by_codes(Authority.objects.all(), _codes(sheets[AUTHORITY_SHEET.name]))
    }
    authority_rows = _authorities_check(
        sheets[AUTHORITY_SHEET.name], by_code, authorities, unit_rows, scope, problems
    )
    problems.raise_if_any()
    report = ImportReport(kind="units")
    audit = _Audit(actor, _note(source))
    with transaction.atomic():
        _units_write(unit_rows, units, by_code, code_of, report, audit)
        _authorities_write(authority_rows, by_code, authorities, report, audit)
        audit.flush()
    return report


def _codes(rows: Iterable[_Row], key: str = "code") -> set[str]:
    """The non-empty codes of a column."""
    return {r.values[key] for r in rows if r.values.get(key)}


def _unit_changes(unit: Unit, row: _Row, code_of: dict[int, str]) -> bool:
    """True if a unit row differs from the unit in the database."""
    parent = code_of.get(unit.parent_id) if unit.parent_id else None
    values = {"name": row.values["name"], "kind": row.values["kind"]}
    return _differs(unit, values) or parent != (row.values["parent"] or None)


def _units_check(
    rows: list[_Row],
    by_code: dict[str, Unit],
    code_of: dict[int, str],
    scope: Scope,
    problems: _Collector,
) -> dict[str, _Row]:
    """Validate unit rows against each other and the database; return valid rows by code."""
    spec = UNIT_SHEET
    in_file = _duplicates_flag(
        spec, rows, lambda r: r.values["code"] or None, "code", problems, "mã đơn vị"
    )
    # The tree as it will be: the database's parents, overridden by the file's.
    parent_of: dict[str, str | None] = {
        u.code: code_of[u.parent_id] if u.parent_id else None for u in by_code.values()
    }
    for code, row in in_file.items():
        parent = row.values["parent"] or None
        if parent is not None and parent not in in_file and parent not in by_code:
            problems.add(
                spec,
                row,
                "parent",
                "không tìm thấy đơn vị cấp trên có mã này (trong tệp hoặc trong hệ thống)",
            )
            parent = None  # judged as a root below, so one mistake is reported once
        parent_of[code] = parent
    in_cycle = _cycles_flag(in_file, parent_of, problems)
    depth: dict[str, int] = {}
    for code, row in in_file.items():
        if code not in in_cycle and _depth(code, parent_of, depth) >= MAX_UNIT_DEPTH:
            problems.add(spec, row, "parent", f"làm cây đơn vị sâu quá {MAX_UNIT_DEPTH} cấp")
    if not scope.everything:
        _units_scope_check(in_file, by_code, code_of, parent_of, in_cycle, scope, problems)
    return in_file


def _cycles_flag(
    in_file: dict[str, _Row], parent_of: dict[str, str | None], problems: _Collector
) -> set[str]:
    """Flag the rows whose parents lead back to themselves; return every code that reaches
    a cycle, so later checks do not walk into it."""
    state: dict[str, str] = {}  # "walk": on the current walk, "ok": reaches a root, "bad"
    bad: set[str] = set()
    for start in in_file:
        walk: list[str] = []
        code: str | None = start
        while code is not None and code not in state:
            state[code] = "walk"
            walk.append(code)
            code = parent_of.get(code)
        verdict = "ok"
        if code is not None and state[code] == "walk":
            cycle = walk[walk.index(code) :]
            shown = " → ".join([*cycle, code])
            for member in cycle:
                if member in in_file:
                    problems.add(
                        UNIT_SHEET,
                        in_file[member],
                        "parent",
                        f"tạo thành vòng lặp cấp trên: {shown}",
                    )
            verdict = "bad"
        elif code is not None and state[code] == "bad":
            verdict = "bad"
        for member in walk:
            state[member] = verdict
        if verdict == "bad":
            bad.update(walk)
    return bad


def _depth(code: str, parent_of: dict[str, str | None], memo: dict[str, int]) -> int:
    """A unit's depth in the final tree (0 for a root); its chain must not reach a cycle."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in memo:
        chain.append(current)
        current = parent_of.get(current)
    base = memo[current] if current is not None else -1
    for member in reversed(chain):
        base += 1
        memo[member] = base
    return memo[code]


def _units_scope_check(
    in_file: dict[str, _Row],
    by_code: dict[str, Unit],
    code_of: dict[int, str],
    parent_of: dict[str, str | None],
    in_cycle: set[str],
    scope: Scope,
    problems: _Collector,
) -> None:
    """Flag rows that change units outside the actor's subtrees (or create a root)."""
    spec = UNIT_SHEET
    roots = {u.code for u in by_code.values() if u.path in scope.write_paths}
    memo: dict[str, bool] = {}

    def writable(code: str) -> bool:
        """True if the unit will sit under one of the actor's subtree roots."""
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in memo and current not in roots:
            chain.append(current)
            current = parent_of.get(current)
        result = current is not None and (current in roots or memo[current])
        memo.update(dict.fromkeys(chain, result))
        return result

    for code, row in in_file.items():
        existing = by_code.get(code)
        if not row.ok or code in in_cycle:
            continue
        if existing is not None and not _unit_changes(existing, row, code_of):
            continue
        if existing is not None and not _in_paths(existing.path, scope.write_paths):
            problems.add(spec, row, "code", f"là đơn vị {OUT_OF_SCOPE}")
            continue
        parent = row.values["parent"] or None
        if existing is not None and parent == (code_of.get(existing.parent_id or 0)):
            continue  # renamed or re-kinded in place, inside the subtree
        if parent is None:
            problems.add(
                spec,
                row,
                "parent",
                "để trống: chỉ quản trị hệ thống được tạo đơn vị gốc hoặc chuyển đơn vị "
                "thành đơn vị gốc",
            )
        elif not writable(parent):
            problems.add(spec, row, "parent", f"là đơn vị cấp trên {OUT_OF_SCOPE}")


def _units_write(
    rows: dict[str, _Row],
    units: list[Unit],
    by_code: dict[str, Unit],
    code_of: dict[int, str],
    report: ImportReport,
    audit: _Audit,
) -> None:
    """Create and update units, then recompute every path that the changes moved."""
    counts = report.of("unit")
    before: dict[str, dict[str, Any]] = {}
    created: list[Unit] = []
    changed: list[Unit] = []
    for code, row in rows.items():
        unit = by_code.get(code)
        if unit is None:
            created.append(
                Unit(code=code, name=row.values["name"], kind=row.values["kind"], path="", depth=0)
            )
        elif _unit_changes(unit, row, code_of):
            before[code] = snapshot(unit)
            _apply(unit, {"name": row.values["name"], "kind": row.values["kind"]})
            changed.append(unit)
        else:
            counts.unchanged += 1
    # Paths need primary keys, so new units are inserted first and placed afterwards.
    Unit.objects.bulk_create(created, batch_size=WRITE_BATCH)
    if any(u.pk is None for u in created):
        ids = dict(_pairs(Unit.objects.all(), [u.code for u in created]))
        for unit in created:
            unit.pk = ids[unit.code]
    for unit in created:
        by_code[unit.code] = unit
        units.append(unit)
        code_of[unit.pk] = unit.code
    parent_of = {u.code: code_of[u.parent_id] if u.parent_id else None for u in units}
    parent_of.update({code: row.values["parent"] or None for code, row in rows.items()})
    # Every path follows from the final parents, so a moved unit drags its whole subtree along
    # (and several moves in one file compose) without one UPDATE per subtree.
    old = {u.code: (u.parent_id, u.path, u.depth) for u in units}
    depth: dict[str, int] = {}
    for unit in sorted(units, key=lambda u: _depth(u.code, parent_of, depth)):
        parent_code = parent_of[unit.code]
        parent = by_code[parent_code] if parent_code else None
        unit.parent_id = parent.pk if parent else None
        unit.path = (parent.path if parent else "") + unit.own_segment()
        unit.depth = unit.path.count("/") - 1
    dirty = {u.code: u for u in units if old[u.code] != (u.parent_id, u.path, u.depth)}
    dirty.update({u.code: u for u in changed})
    Unit.objects.bulk_update(
        list(dirty.values()), ["name", "kind", "parent", "path", "depth"], batch_size=WRITE_BATCH
    )
    for unit in created:
        audit.add("unit.import", unit, None, snapshot(unit))
    for unit in changed:
        audit.add("unit.import", unit, before[unit.code], snapshot(unit))
    counts.created += len(created)
    counts.updated += len(changed)


def _authority_values(row: _Row, units: dict[str, Unit]) -> dict[str, Any]:
    """The fields of an authority row; the unit may be new in this file (no id yet)."""
    unit = units.get(row.values["unit"])
    return {"name": row.values["name"], "unit_id": unit.pk if unit else None}


def _authorities_check(
    rows: list[_Row],
    units: dict[str, Unit],
    existing: dict[str, Authority],
    unit_rows: dict[str, _Row],
    scope: Scope,
    problems: _Collector,
) -> dict[str, _Row]:
    """Validate authority rows; return valid rows by code."""
    spec = AUTHORITY_SHEET
    in_file = _duplicates_flag(
        spec, rows, lambda r: r.values["code"] or None, "code", problems, "mã"
    )
    unit_path = {u.pk: u.path for u in units.values()}
    for code, row in in_file.items():
        unit_code = row.values["unit"]
        if unit_code and unit_code not in units and unit_code not in unit_rows:
            problems.add(
                spec, row, "unit", "không tìm thấy đơn vị có mã này (trong tệp hoặc trong hệ thống)"
            )
            continue
        authority = existing.get(code)
        if scope.everything or not row.ok:
            continue
        if authority is not None and not _differs(authority, _authority_values(row, units)):
            continue
        if authority is not None and not _in_paths(unit_path[authority.unit_id], scope.write_paths):
            problems.add(spec, row, "code", f"thuộc đơn vị {OUT_OF_SCOPE}")
        elif unit_code in units and not _in_paths(units[unit_code].path, scope.write_paths):
            problems.add(spec, row, "unit", f"là đơn vị {OUT_OF_SCOPE}")
        # A unit new in this file was already checked to sit inside the actor's subtrees.
    return in_file


def _authorities_write(
    rows: dict[str, _Row],
    units: dict[str, Unit],
    existing: dict[str, Authority],
    report: ImportReport,
    audit: _Audit,
) -> None:
    """Create and update authorities (after the units, which may be new)."""
    if not rows:
        return
    counts = report.of("authority")
    created: list[Authority] = []
    changed: list[tuple[Authority, dict[str, Any]]] = []
    for code, row in rows.items():
        values = _authority_values(row, units)
        authority = existing.get(code)
        if authority is None:
            created.append(Authority(code=code, **values))
        elif _differs(authority, values):
            before = snapshot(authority)
            _apply(authority, values)
            changed.append((authority, before))
        else:
            counts.unchanged += 1
    Authority.objects.bulk_create(created, batch_size=WRITE_BATCH)
    Authority.objects.bulk_update([a for a, _ in changed], ["name", "unit"], batch_size=WRITE_BATCH)
    _created_check(created)
    for authority in created:
        audit.add("authority.import", authority, None, snapshot(authority))
    for authority, before in changed:
        audit.add("authority.import", authority, before, snapshot(authority))
    counts.created += len(created)
    counts.updated += len(changed)


def _pairs(queryset: models.QuerySet[Any], codes: Sequence[str]) -> list[tuple[str, int]]:
    """(code, id) pairs for the given codes, in chunked queries."""
    pairs: list[tuple[str, int]] = []
    for chunk in _chunks(codes):
        pairs.extend(queryset.filter(code__in=chunk).values_list("code", "id"))
    return pairs


def _created_check(created: Sequence[models.Model]) -> None:
    """Stop if the database did not return the ids of a bulk insert (audit events need them)."""
    # PostgreSQL and SQLite ≥ 3.35 return them; an older SQLite would leave them empty.
    if any(obj.pk is None for obj in created):
        raise RuntimeError("Cơ sở dữ liệu không trả về mã của các dòng vừa tạo.")


# --- People -----------------------------------------------------------------------------------

Key = tuple[Any, ...]
PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "category",
    "is_party_member",
    "party_joined",
    "ethnicity",
)


@dataclass
class _Entity:
    """One per-person sheet (posts, disciplines, rewards): its rows and the matching DB rows."""

    spec: SheetSpec
    model: type[models.Model]
    action: str
    name: str
    rows: dict[Key, _Row]
    existing: dict[Key, Any]
    identity: Callable[[_Row], dict[str, Any]]  # fields that find the row (without person)
    updates: Callable[[_Row], dict[str, Any]]  # fields an import may change

    def writes(self, key: Key, row: _Row) -> bool:
        """True if importing this row would create or change something."""
        obj = self.existing.get(key)
        return obj is None or _differs(obj, self.updates(row))


def people_import(*, actor: Any, source: Source, progress: Progress | None = None) -> ImportReport:
    """Import people, their posts, disciplines and rewards from a workbook, all or nothing.

    `progress`, if given, is called with (rows read so far, estimated total rows).
    """
    problems = _Collector()
    sheets = _sheets_read(source, WORKBOOKS["people"], progress, problems)
    people, existing, entities = _people_check(sheets, scope_for(actor), problems)
    problems.raise_if_any()
    report = ImportReport(kind="people")
    audit = _Audit(actor, _note(source))
    with transaction.atomic():
        ids = _people_write(people, existing, report, audit)
        for entity in entities:
            _entity_write(entity, ids, report, audit)
        audit.flush()
    return report


def _person_values(row: _Row) -> dict[str, Any]:
    """The registry fields of a person row, normalised as the model stores them."""
    values = {name: row.values[name] for name in PERSON_FIELDS}
    values["full_name"] = " ".join(str(values["full_name"]).split())
    return values


def _people_check(
    sheets: dict[str, list[_Row]], scope: Scope, problems: _Collector
) -> tuple[dict[str, _Row], dict[str, Person], list[_Entity]]:
    """Validate the people workbook against itself, the database and the actor's scope."""
    people = _duplicates_flag(
        PERSON_SHEET,
        sheets[PERSON_SHEET.name],
        lambda r: r.values["code"] or None,
        "code",
        problems,
        "mã cán bộ",
    )
    referenced = set(people)
    for spec in (POST_SHEET, DISCIPLINE_SHEET, REWARD_SHEET):
        referenced |= _codes(sheets[spec.name], "person")
    existing = {p.code: p for p in _by_codes(Person.objects.all(), referenced)}
    units = {
        # Instances rather than ids: a post's str() names its unit, and the audit trail calls it.
        u.code: u
        for u in Unit.objects.only("id", "code", "path", "name")
    }
    authorities = dict(Authority.objects.values_list("code", "id"))
    for spec in (POST_SHEET, DISCIPLINE_SHEET, REWARD_SHEET):
        for row in sheets[spec.name]:
            code = row.values["person"]
            if code and code not in people and code not in existing:
                problems.add(
                    spec,
                    row,
                    "person",
                    "không tìm thấy cán bộ có mã này (trong sheet «Cán bộ» hoặc trong hệ thống)",
                )
    for row in people.values():
        values = row.values
        joined, born = values["party_joined"], values["birth_date"]
        if joined and values["is_party_member"] is False:
            problems.add(PERSON_SHEET, row, "party_joined", "có nhưng cột «Đảng viên» là Không")
        elif joined and born and joined <= born:
            problems.add(PERSON_SHEET, row, "party_joined", "không được trước ngày sinh")

    posts = _posts_entity(sheets[POST_SHEET.name], existing, units, authorities, problems)
    _heads_check(posts, units, problems)
    entities = [
        posts,
        _discipline_entity(sheets[DISCIPLINE_SHEET.name], existing, problems),
        _reward_entity(sheets[REWARD_SHEET.name], existing, problems),
    ]
    if not scope.everything:
        _people_scope_check(people, existing, entities, units, scope, problems)
    return people, existing, entities


def _people_scope_check(
    people: dict[str, _Row],
    existing: dict[str, Person],
    entities: list[_Entity],
    units: dict[str, Unit],
    scope: Scope,
    problems: _Collector,
) -> None:
    """Flag rows that would write people, posts or records outside the actor's subtrees."""
    writable: set[str] = set()
    for chunk in _chunks(sorted(existing)):
        writable.update(
            Person.objects.filter(people_write_q(scope), code__in=chunk).values_list(
                "code", flat=True
            )
        )
    posts, *records = entities
    for key, row in posts.rows.items():
        unit = units.get(row.values["unit"])
        if unit is None or not row.ok:
            continue
        if _in_paths(unit.path, scope.write_paths):
            if row.values["person"] not in existing:
                writable.add(row.values["person"])  # a newcomer to one of the actor's units
        elif posts.writes(key, row):
            problems.add(POST_SHEET, row, "unit", f"là đơn vị {OUT_OF_SCOPE}")
    for code, row in people.items():
        if code in writable or not row.ok:
            continue
        person = existing.get(code)
        if person is None:
            problems.add(
                PERSON_SHEET,
                row,
                "code",
                "là cán bộ mới nhưng không có chức vụ nào (sheet «Chức vụ») tại đơn vị thuộc "
                "phạm vi bạn được quyền cập nhật",
            )
        elif _differs(person, _person_values(row)):
            problems.add(PERSON_SHEET, row, "code", f"là cán bộ {OUT_OF_SCOPE}")
    for entity in records:
        for key, row in entity.rows.items():
            if row.ok and row.values["person"] not in writable and entity.writes(key, row):
                problems.add(entity.spec, row, "person", f"là cán bộ {OUT_OF_SCOPE}")


def _existing_by_person(
    model: type[Post] | type[Discipline] | type[Reward],
    existing_people: dict[str, Person],
    codes: Iterable[str],
    key: Callable[[Any, str], Key],
) -> dict[Key, Any]:
    """The database rows of a per-person model for these people, by identity."""
    code_of = {existing_people[c].pk: c for c in set(codes) if c in existing_people}
    found: dict[Key, Any] = {}
    for chunk in _chunks(sorted(code_of)):
        for obj in model._default_manager.filter(person_id__in=chunk):
            found[key(obj, code_of[obj.person_id])] = obj
    return found


def _key_of(fields: Sequence[str]) -> Callable[[_Row], Key | None]:
    """A function giving a row's identity from some of its values (None if one is missing)."""

    def key(row: _Row) -> Key | None:
        """The identity of a row."""
        parts = tuple(row.values[name] for name in fields)
        return parts if all(parts) else None

    return key


def _posts_entity(
    rows: list[_Row],
    existing: dict[str, Person],
    units: dict[str, Unit],
    authorities: dict[str, int],
    problems: _Collector,
) -> _Entity:
    """Validate post rows; posts are identified by (person, unit, title, start date)."""
    spec = POST_SHEET
    for row in rows:
        values = row.values
        if values["unit"] and values["unit"] not in units:
            problems.add(spec, row, "unit", "không tìm thấy đơn vị có mã này trong hệ thống")
        if values["managed_by"] and values["managed_by"] not in authorities:
            problems.add(
                spec, row, "managed_by", "không tìm thấy cấp có thẩm quyền có mã này trong hệ thống"
            )
        start, end = values["start_date"], values["end_date"]
        if start and end and end < start:
            problems.add(spec, row, "end_date", f"trước ngày bắt đầu ({_d(start)})")
        if values["is_head"] and values["is_deputy"]:
            problems.add(
                spec, row, "is_deputy", "là Có nhưng người đứng đầu không thể đồng thời là cấp phó"
            )
    by_key = _duplicates_flag(
        spec,
        rows,
        _key_of(("person", "unit", "title", "start_date")),
        "title",
        problems,
        "chức vụ (cùng mã cán bộ, mã đơn vị, chức danh và từ ngày)",
    )
    unit_by_pk = {u.pk: u for u in units.values()}
    posts = _existing_by_person(
        Post,
        existing,
        (k[0] for k in by_key),
        lambda p, code: (code, unit_by_pk[p.unit_id].code, p.title, p.start_date),
    )
    for post in posts.values():
        post.unit = unit_by_pk[post.unit_id]  # str(post) in the audit trail reads it

    def updates(row: _Row) -> dict[str, Any]:
        """The fields an import may change on a post."""
        v = row.values
        return {
            "is_head": v["is_head"],
            "is_deputy": v["is_deputy"],
            "is_key": v["is_key"],
            "duty_group": v["duty_group"] or "",
            "managed_by_id": authorities.get(v["managed_by"]) if v["managed_by"] else None,
            "end_date": v["end_date"],
        }

    return _Entity(
        spec=spec,
        model=Post,
        action="post.import",
        name="post",
        rows=by_key,
        existing=posts,
        identity=lambda r: {
            "unit": units[r.values["unit"]],
            "title": r.values["title"],
            "start_date": r.values["start_date"],
        },
        updates=updates,
    )


def _discipline_entity(
    rows: list[_Row], existing: dict[str, Person], problems: _Collector
) -> _Entity:
    """Disciplines are identified by (person, kind, date, decision number)."""
    fields = ("person", "kind", "date", "decision_number")
    by_key = _duplicates_flag(
        DISCIPLINE_SHEET, rows, _key_of(fields), "decision_number", problems, "quyết định kỷ luật"
    )
    return _Entity(
        spec=DISCIPLINE_SHEET,
        model=Discipline,
        action="discipline.import",
        name="discipline",
        rows=by_key,
        existing=_existing_by_person(
            Discipline,
            existing,
            (k[0] for k in by_key),
            lambda d, code: (code, d.kind, d.date, d.decision_number),
        ),
        identity=lambda r: {name: r.values[name] for name in fields[1:]},
        updates=lambda r: {
            "form": r.values["form"],
            "issuing_body": r.values["issuing_body"],
            "reason": r.values["reason"] or "",
            "duty_related": r.values["duty_related"],
            "self_remedied": r.values["self_remedied"],
        },
    )


def _reward_entity(rows: list[_Row], existing: dict[str, Person], problems: _Collector) -> _Entity:
    """Rewards are identified by (person, date, decision number)."""
    fields = ("person", "date", "decision_number")
    by_key = _duplicates_flag(
        REWARD_SHEET, rows, _key_of(fields), "decision_number", problems, "quyết định khen thưởng"
    )
    return _Entity(
        spec=REWARD_SHEET,
        model=Reward,
        action="reward.import",
        name="reward",
        rows=by_key,
        existing=_existing_by_person(
            Reward,
            existing,
            (k[0] for k in by_key),
            lambda r, code: (code, r.date, r.decision_number),
        ),
        identity=lambda r: {name: r.values[name] for name in fields[1:]},
        updates=lambda r: {"form": r.values["form"], "issuing_body": r.values["issuing_body"]},
    )


Span = tuple[datetime.date, datetime.date | None]


def _overlap(a: Span, b: Span) -> bool:
    """True if two date spans (open-ended when the end is None) share a day."""
    return a[0] <= (b[1] or datetime.date.max) and b[0] <= (a[1] or datetime.date.max)


def _heads_check(
    posts: _Entity,
    units: dict[str, Unit],
    problems: _Collector,
) -> None:
    """Flag a person heading two units at overlapping times, file and database together."""
    file_heads: dict[str, list[_Row]] = defaultdict(list)
    for row in posts.rows.values():
        if row.ok and row.values["is_head"]:
            file_heads[row.values["person"]].append(row)
    # posts.existing holds every post of the people the sheet lists; a post the file also
    # lists is judged by the file's version of it.
    db_heads: dict[str, list[Post]] = defaultdict(list)
    for key, post in posts.existing.items():
        if post.is_head and key not in posts.rows:
            db_heads[key[0]].append(post)
    unit_name = {u.pk: u.name for u in units.values()}
    for code, rows in file_heads.items():
        for index, row in enumerate(rows):
            span = (row.values["start_date"], row.values["end_date"])
            clash = next(
                (
                    f"cán bộ này cũng đứng đầu «{units[e.values['unit']].name}» "
                    f"trong cùng thời gian (dòng {e.number})"
                    for e in rows[:index]
                    if e.values["unit"] != row.values["unit"]
                    and _overlap(span, (e.values["start_date"], e.values["end_date"]))
                ),
                None,
            ) or next(
                (
                    f"cán bộ này đang là người đứng đầu «{unit_name[p.unit_id]}» ({p.title}) "
                    f"từ {_d(p.start_date)} đến {_d(p.end_date)}, trùng thời gian"
                    for p in db_heads.get(code, [])
                    if p.unit_id != units[row.values["unit"]].pk
                    and _overlap(span, (p.start_date, p.end_date))
                ),
                None,
            )
            if clash:
                problems.add(POST_SHEET, row, "is_head", f"là Có nhưng {clash}")


def _people_write(
    people: dict[str, _Row], existing: dict[str, Person], report: ImportReport, audit: _Audit
) -> dict[str, int]:
    """Create and update people; return the id of every person the file mentions."""
    counts = report.of("person")
    created: list[Person] = []
    changed: list[tuple[Person, dict[str, Any]]] = []
    for code, row in people.items():
        values = _person_values(row)
        person = existing.get(code)
        if person is None:
            person = Person(code=code, **values)
            person.refresh_name_keys()
            created.append(person)
        elif _differs(person, values):
            before = snapshot(person)
            _apply(person, values)
            person.refresh_name_keys()
            changed.append((person, before))
        else:
            counts.unchanged += 1
    Person.objects.bulk_create(created, batch_size=WRITE_BATCH)
    if any(p.pk is None for p in created):
        ids = dict(_pairs(Person.objects.all(), [p.code for p in created]))
        for person in created:
            person.pk = ids[person.code]
    Person.objects.bulk_update(
        [p for p, _ in changed], [*PERSON_FIELDS, "sort_key", "search_text"], batch_size=WRITE_BATCH
    )
    for person in created:
        audit.add("person.import", person, None, snapshot(person))
    for person, before in changed:
        audit.add("person.import", person, before, snapshot(person))
    counts.created += len(created)
    counts.updated += len(changed)
    ids = {code: p.pk for code, p in existing.items()}
    ids.update({p.code: p.pk for p in created})
    return ids


def _entity_write(
    entity: _Entity, ids: dict[str, int], report: ImportReport, audit: _Audit
) -> None:
    """Create the rows of a per-person sheet missing from the database, update those that differ."""
    counts = report.of(entity.name)
    created: list[models.Model] = []
    changed: list[tuple[models.Model, dict[str, Any]]] = []
    fields: list[str] = []
    for key, row in entity.rows.items():
        updates = entity.updates(row)
        fields = [name.removesuffix("_id") for name in updates]
        obj = entity.existing.get(key)
        if obj is None:
            person_id = ids[row.values["person"]]
            created.append(entity.model(person_id=person_id, **entity.identity(row), **updates))
        elif _differs(obj, updates):
            before = snapshot(obj)
            _apply(obj, updates)
            changed.append((obj, before))
        else:
            counts.unchanged += 1
    manager = entity.model._default_manager
    manager.bulk_create(created, batch_size=WRITE_BATCH)
    if changed:
        manager.bulk_update([obj for obj, _ in changed], fields, batch_size=WRITE_BATCH)
    _created_check(created)
    for obj in created:
        audit.add(entity.action, obj, None, snapshot(obj))
    for obj, before in changed:
        audit.add(entity.action, obj, before, snapshot(obj))
    counts.created += len(created)
    counts.updated += len(changed)
