"""Whole numbers typed by people or programs into query strings, forms and headers.

`str.isdigit()` also accepts "²" or "٣", and `int()` refuses strings of thousands of digits:
both ended in a server error. Here a number is ASCII digits within the bounds, or nothing.
"""

from __future__ import annotations

BIGINT = 2**63 - 1  # the largest primary key (and the largest integer the databases store)


def whole_number(text: str | None, *, low: int = 0, high: int = BIGINT) -> int | None:
    """The number written in plain digits, or None when it is not one or lies outside."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None
