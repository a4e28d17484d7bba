"""Helpers of the accounts tests: workbooks built from the template, as an organiser would."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import load_workbook

from thuocdo.accounts.workbooks import template_write


def workbook(rows: Iterable[Sequence[Any]], *, keep_example: bool = True) -> io.BytesIO:
    """The template with these rows under the header (and the example row unless told)."""
    buffer = io.BytesIO()
    template_write(buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb["Tài khoản"]
    if not keep_example:
        ws.delete_rows(2)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "tai-khoan.xlsx"
    return out
