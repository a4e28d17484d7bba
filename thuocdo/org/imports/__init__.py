"""Excel import of the registry: units with their authorities (`units`), people with their
posts, disciplines and rewards (`people`), and the workbooks' declarations (`sheets`), all
built on the shared spreadsheet import (thuocdo.spreadsheets)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from thuocdo.org.imports.people import people_import
from thuocdo.org.imports.sheets import TEMPLATE_FILE_NAMES, WORKBOOKS
from thuocdo.org.imports.units import units_import
from thuocdo.spreadsheets import writer


def template_write(kind: str, path: str | Path | IO[bytes]) -> None:
    """Write the empty import workbook of a kind ("units" or "people") with its instructions."""
    if kind not in WORKBOOKS:
        raise ValueError(f"Loại mẫu không hợp lệ: {kind!r} (chọn units hoặc people).")
    writer.template_write(WORKBOOKS[kind], path)


__all__ = ["TEMPLATE_FILE_NAMES", "WORKBOOKS", "people_import", "template_write", "units_import"]
