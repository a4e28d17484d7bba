"""Reading an uploaded workbook safely: bounded, every cell typed or explained.

Before anything parses the file, its size and its zip directory are checked against `limits`
(a zip bomb declares what it will inflate to). The cells are then read by calamine when the
file fits it, else streamed row by row by openpyxl (`thuocdo.spreadsheets.grid` decides; XML
entities are refused by both: calamine's parser does not expand them, openpyxl uses
defusedxml). Only the columns the sheet declares are read, and a sheet with more rows than the
limit is refused as soon as the reader gets there. Any failure of the parser on the file's
bytes is the file's fault and becomes one clear sentence, never a server error. Text is stored
in one form (NFC) and the characters the input policy refuses (thuocdo.security.inputs) are
refused with their row and column; the template's example row, left as written, is skipped
like an empty one.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl.utils import get_column_letter

from thuocdo.spreadsheets import limits
from thuocdo.spreadsheets.columns import (
    DATE_FORMAT,
    SheetSpec,
    cell_text,
    choice_map,
    hidden_character,
    hidden_reason,
    normal,
    parse_date,
    visible,
)
from thuocdo.spreadsheets.grid import Grid
from thuocdo.spreadsheets.problems import ImportProblem, ImportRejected, Problems, file_problem

Source = str | Path | IO[bytes]
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000
NOT_A_WORKBOOK = (
    "tệp không phải bảng tính Excel (.xlsx) hợp lệ hoặc đã bị hỏng; hãy mở tệp bằng Excel và "
    "lưu lại dưới dạng Sổ làm việc Excel (.xlsx)"
)


def _vn(number: int) -> str:
    """An integer with Vietnamese thousands dots (200.000)."""
    return f"{number:,}".replace(",", ".")


def _megabytes(size: int) -> str:
    return f"{_vn(size // (1024 * 1024))} MB"


@dataclass
class Row:
    """One data row: its Excel number, the parsed values and the raw cells for messages."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    letters: dict[str, str]
    ok: bool = True


def _refuse(reason: str) -> ImportRejected:
    return ImportRejected([file_problem(reason)])


def _size(source: Source) -> int:
    """The file's size in bytes, without reading it."""
    if isinstance(source, str | Path):
        return os.stat(source).st_size
    size = getattr(source, "size", None)  # Django's uploaded files know theirs
    if isinstance(size, int):
        return size
    position = source.tell()
    end = source.seek(0, os.SEEK_END)
    source.seek(position)
    return end


def _zip_check(source: Source) -> None:
    """Refuse a file that is not a zip, or whose members would inflate beyond the limits."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _refuse(NOT_A_WORKBOOK) from error
    with archive:
        members = archive.infolist()
    if len(members) > limits.MAX_MEMBERS:
        raise _refuse(f"{NOT_A_WORKBOOK} (có quá {_vn(limits.MAX_MEMBERS)} thành phần)")
    total = sum(member.file_size for member in members)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            f"dữ liệu trong tệp lớn quá: {_megabytes(total)} khi giải nén, tối đa "
            f"{_megabytes(limits.MAX_UNCOMPRESSED_BYTES)}; hãy chia thành nhiều tệp nhỏ hơn"
        )
    for member in members:
        if (
            member.file_size > limits.RATIO_FLOOR_BYTES
            and member.file_size > limits.MAX_RATIO * max(member.compress_size, 1)
        ):
            raise _refuse(
                "tệp bị nén bất thường (một phần nhỏ giải nén ra "
                f"{_megabytes(member.file_size)}), không thể đọc an toàn; hãy mở tệp bằng Excel "
                "và lưu lại"
            )


@contextmanager
def workbook_open(source: Source) -> Iterator[Grid]:
    """Open a workbook after the size and zip checks (`Grid`); close it after."""
    if _size(source) > limits.MAX_FILE_BYTES:
        raise _refuse(
            f"tệp lớn quá {_megabytes(limits.MAX_FILE_BYTES)}; hãy chia thành nhiều tệp nhỏ hơn"
        )
    if not isinstance(source, str | Path):
        source.seek(0)
    _zip_check(source)
    if not isinstance(source, str | Path):
        source.seek(0)
    wb = Grid(str(source) if isinstance(source, Path) else source)
    try:
        yield wb
    finally:
        wb.close()


def read_sheets(
    source: Source,
    specs: Sequence[SheetSpec],
    problems: Problems,
    progress: Progress | None = None,
) -> dict[str, list[Row]]:
    """Read and parse every sheet of `specs`; reject at once if a sheet or a column is missing.

    Problems inside rows are only collected, so that the importer's checks across rows can add
    theirs. `progress`, if given, is called with (rows read so far, estimated total).
    """
    try:
        with workbook_open(source) as wb:
            return _sheets_parse(wb, specs, problems, progress)
    except ImportRejected:
        raise
    except Exception as error:
        # calamine, openpyxl and the XML parsers raise all sorts (CalamineError, ParseError,
        # KeyError, TypeError, zlib.error, EntitiesForbidden...) on bytes they cannot make
        # sense of: the file is bad.
        raise _refuse(NOT_A_WORKBOOK) from error
    except BaseException as error:
        # A panic inside calamine's Rust reaches Python as a BaseException: the file is bad too.
        if type(error).__name__ != "PanicException":
            raise
        raise _refuse(NOT_A_WORKBOOK) from error


def _sheets_parse(
    wb: Grid, specs: Sequence[SheetSpec], problems: Problems, progress: Progress | None
) -> dict[str, list[Row]]:
    """The rows of every sheet, once the headers are found."""
    by_name = {normal(name): name for name in wb.sheetnames}
    found: dict[str, tuple[Any, dict[str, int]]] = {}
    total = 0
    for spec in specs:
        actual = by_name.get(normal(spec.name))
        if actual is None:
            if spec.required:
                problems.add(spec, None, "", "không có sheet này trong tệp")
            continue
        ws = wb.sheet(actual)
        total += ws.estimate
        columns = _header_read(spec, ws, problems)
        if columns is not None:
            found[spec.name] = (ws, columns)
    problems.raise_if_any()
    done = 0
    result: dict[str, list[Row]] = {}
    for spec in specs:
        rows = result[spec.name] = []
        if spec.name not in found:
            continue
        ws, columns = found[spec.name]
        width = max(columns.values(), default=0) + 1
        for number, cells in enumerate(ws.rows(width), start=2):
            if number > limits.MAX_ROWS + 1:
                raise ImportRejected(
                    [
                        ImportProblem(
                            spec.name,
                            None,
                            "",
                            "",
                            "",
                            f"có dữ liệu quá dòng {_vn(limits.MAX_ROWS + 1)}: mỗi lần nhập nhận "
                            f"tối đa {_vn(limits.MAX_ROWS)} dòng dữ liệu một sheet; hãy chia "
                            "thành nhiều tệp",
                        )
                    ]
                )
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, max(total, done))
            row = _row_parse(spec, columns, number, cells, problems)
            if row is not None:
                rows.append(row)
    if progress is not None:
        progress(done, done)
    return result


def _header_read(spec: SheetSpec, ws: Any, problems: Problems) -> dict[str, int] | None:
    """The position of each declared column in the header row; None if one is missing."""
    header = ws.header(limits.MAX_COLUMNS + 1)
    if len(header) > limits.MAX_COLUMNS and header[limits.MAX_COLUMNS] is not None:
        problems.add(spec, None, "", f"dòng tiêu đề có quá {limits.MAX_COLUMNS} cột")
        return None
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        if isinstance(text, str):
            text = unicodedata.normalize("NFC", text)
        if text is not None:
            positions.setdefault(normal(text), index)
    columns: dict[str, int] = {}
    missing = False
    for column in spec.columns:
        position = positions.get(normal(column.header))
        if position is None:
            if column.optional_header:
                continue
            missing = True
            problems.problems.append(
                ImportProblem(spec.name, 1, column.header, "", "", "thiếu cột này ở dòng tiêu đề")
            )
        else:
            columns[column.key] = position
    return None if missing else columns


def _is_example(spec: SheetSpec, raw: dict[str, Any]) -> bool:
    """True if the row is the template's example row, left as written."""
    if not spec.example:
        return False
    return all(
        cell_text(raw.get(column.key)) == cell_text(example)
        for column, example in zip(spec.columns, spec.example, strict=False)
    ) and all(raw.get(column.key) is None for column in spec.columns[len(spec.example) :])


def _row_parse(
    spec: SheetSpec,
    columns: dict[str, int],
    number: int,
    cells: Sequence[Any],
    problems: Problems,
) -> Row | None:
    """Parse one row's cells by the sheet's columns; None for an empty row."""
    raw: dict[str, Any] = {}
    for key, position in columns.items():
        value = cells[position] if position < len(cells) else None
        if isinstance(value, str):
            # One form for Vietnamese: decomposed text (NFD) neither sorts nor matches.
            value = unicodedata.normalize("NFC", value) if value.strip() else None
        raw[key] = value
    if all(value is None for value in raw.values()) or _is_example(spec, raw):
        return None
    letters = {key: get_column_letter(position + 1) for key, position in columns.items()}
    row = Row(number=number, values={}, raw=raw, letters=letters)
    for column in spec.columns:
        if column.key not in columns:
            continue  # an optional column the file does not have: no value at all
        value = raw.get(column.key)
        if isinstance(value, str):
            if len(value) > limits.MAX_CELL_CHARS:
                problems.add(spec, row, column.key, f"dài quá {_vn(limits.MAX_CELL_CHARS)} ký tự")
                row.values[column.key] = raw[column.key] = None
                continue
            hidden = hidden_character(value)
            if hidden is not None:
                problems.add(spec, row, column.key, hidden_reason(hidden), visible(value))
                row.values[column.key] = raw[column.key] = None
                continue
        if value is None:
            if column.required:
                row.values[column.key] = None
                problems.add(spec, row, column.key, "ô bắt buộc, không được để trống")
            else:
                row.values[column.key] = column.default
            continue
        if column.kind == "date":
            parsed = parse_date(value)
            if parsed is None:
                problems.add(spec, row, column.key, f"không phải ngày hợp lệ ({DATE_FORMAT})")
            row.values[column.key] = parsed
        elif column.kind in ("choice", "bool"):
            mapping = choice_map(column)
            folded = normal(value) if not isinstance(value, bool) else ("co" if value else "khong")
            if folded not in mapping:
                problems.add(
                    spec, row, column.key, f"không thuộc các giá trị cho phép ({column.allowed()})"
                )
            row.values[column.key] = mapping.get(folded)
        else:
            text = cell_text(value)
            if column.max_length and len(text) > column.max_length:
                problems.add(spec, row, column.key, f"dài quá {column.max_length} ký tự")
            row.values[column.key] = text
    return row
