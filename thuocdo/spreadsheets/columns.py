"""What an import workbook holds: its sheets, their columns, and how a cell becomes a value.

The same declaration drives the reader (headers, required cells, typed values, lengths), the
template writer (headers, choice lists, formats, the instruction sheet) and the messages.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import models

from thuocdo.org.names import fold
from thuocdo.security.inputs import FORBIDDEN, describe

DATE_FORMAT = "dd/mm/yyyy"
MONTH_FORMAT = "mm/yyyy"
YES_NO = (("yes", "Có"), ("no", "Không"))
_YES = {"co", "x", "yes", "y", "true", "1", "c"}
_NO = {"khong", "no", "n", "false", "0", "k"}


@dataclass(frozen=True)
class Column:
    """One column of an import sheet: how to read it and how to explain it.

    `kind` is "text", "date", "choice" or "bool" for the reader; any other kind ("number",
    "month", "year"...) is read as text and parsed by the importer from `Row.raw`.
    """

    key: str
    header: str
    required: bool = False
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label shown to the user)
    aliases: tuple[tuple[str, str], ...] = ()  # extra accepted spellings -> stored value
    max_length: int | None = None
    width: int = 18
    help: str = ""
    default: Any = None
    allowed_text: str = ""  # what the instructions say is allowed, when the kind cannot
    suggest: bool = False  # the choices are suggestions: other text is accepted too
    number_format: str = ""  # the template's format for the column's cells

    def allowed(self) -> str:
        """The allowed values, as the instructions show them."""
        if self.allowed_text:
            return self.allowed_text
        if self.kind == "date":
            return f"Ngày dạng {DATE_FORMAT} hoặc ô kiểu ngày của Excel"
        if self.kind in ("choice", "bool"):
            return ", ".join(label for _, label in self.choices)
        if self.max_length:
            return f"Văn bản, tối đa {self.max_length} ký tự"
        return "Văn bản"


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of an import workbook, with an optional example row for the template."""

    name: str
    columns: tuple[Column, ...]
    required: bool = True
    help: str = ""
    example: tuple[Any, ...] = ()

    def column(self, key: str) -> Column:
        """The column with this key."""
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class WorkbookSpec:
    """A whole import workbook: its sheets, its template's file name and general instructions."""

    key: str
    title: str  # the instruction sheet's heading
    sheets: tuple[SheetSpec, ...]
    file_name: str  # the template's file name
    guide: tuple[str, ...] = ()  # general rules, one paragraph each
    labels: dict[str, str] = field(default_factory=dict)  # report entity -> Vietnamese name


def field_length(model: type[models.Model], name: str) -> int | None:
    """The max_length of a model's text field, so the reader rejects what the database would."""
    max_length = getattr(model._meta.get_field(name), "max_length", None)
    return int(max_length) if max_length else None


def normal(text: Any) -> str:
    """Fold a header, a sheet name or a choice: no diacritics, no case, no notes in brackets."""
    folded = fold(re.sub(r"\(.*?\)", "", str(text or "")).replace("*", ""))
    return " ".join(folded.split())


@cache
def choice_map(column: Column) -> dict[str, Any]:
    """Every accepted spelling of a choice column, folded, mapped to the stored value."""
    if column.kind == "bool":
        return {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}
    mapping: dict[str, Any] = {}
    for value, label in column.choices:
        mapping[normal(value)] = value
        mapping[normal(label)] = value
    for alias, value in column.aliases:
        mapping[normal(alias)] = value
    return mapping


# --- Text ------------------------------------------------------------------------------------


def hidden_character(text: str) -> str | None:
    """The first character the input policy refuses (controls, bidi, zero-width), or None."""
    found = FORBIDDEN.search(text)
    return found.group() if found else None


def visible(text: str) -> str:
    """The text with every refused character shown as "\ufffd", safe to print in a message."""
    return FORBIDDEN.sub("\ufffd", text)


def hidden_reason(char: str) -> str:
    """Why a cell holding this character is refused, naming it for the user to find."""
    return (
        f"chứa ký tự không được phép ({describe(char)}: ký tự điều khiển, đổi chiều văn bản "
        "hoặc ký tự vô hình); hãy gõ lại ô này"
    )


def cell_text(value: Any) -> str:
    """A cell as text: codes typed as numbers lose Excel's ".0", spaces are trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def display(value: Any) -> str:
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


# --- Dates and numbers ----------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_MONTH_TEXT = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?(?:[ T].*)?$")
_VN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
MAGNITUDE = 30  # digits before or after the point beyond which a "number" is not one


def parse_date(value: Any) -> datetime.date | None:
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


def parse_month(value: Any) -> datetime.date | None:
    """A cell as the first day of a month: an Excel date, or text mm/yyyy (or yyyy-mm)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, 1)
    text = str(value).strip()
    match = _MONTH_TEXT.match(text)
    if match:
        month, year = int(match.group(1)), int(match.group(2))
    else:
        iso = _ISO_MONTH.match(text)
        if not iso:
            return None
        year, month = int(iso.group(1)), int(iso.group(2))
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    return datetime.date(year, month, 1)


def parse_number(value: Any) -> Decimal | None:
    """A cell as a number: Excel numbers as they are, text the Vietnamese way; None if not one.

    "2.100" is two thousand one hundred and "95,5" ninety-five and a half.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        # str() keeps what Excel stored (2.1, not 2.100000000000000088817841970012523).
        return _sane(Decimal(str(value)))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _VN_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return _sane(number)


def _sane(number: Decimal) -> Decimal | None:
    """The number, unless it is infinite, not a number, or of an absurd magnitude ("1e999999"
    would make every later rounding fail)."""
    if not number.is_finite() or abs(number.adjusted()) > MAGNITUDE:
        return None
    return number


def date_text(value: datetime.date | None) -> str:
    """A date the Vietnamese way, for messages ("nay" for an open end)."""
    return value.strftime("%d/%m/%Y") if value else "nay"
