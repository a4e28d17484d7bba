"""Vietnamese formatting of numbers, ratios and dates for reasons shown to users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction


def _group_thousands(digits: str) -> str:
    """Insert dots every three digits from the right (49463 -> 49.463)."""
    out = []
    while len(digits) > 3:
        out.append(digits[-3:])
        digits = digits[:-3]
    out.append(digits)
    return ".".join(reversed(out))


def vn_number(value: Decimal | int | float | Fraction, decimals: int | None = None) -> str:
    """Format a number the Vietnamese way: dot thousands, comma decimals (49.463; 95,6)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals))
    sign = "-" if value < 0 else ""
    text = format(abs(value), "f")
    whole, _, frac = text.partition(".")
    whole = _group_thousands(whole)
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def vn_score(value: Decimal) -> str:
    """Format a score exactly as held, with at least one decimal (93 -> 93,0; 89.99 -> 89,99)."""
    text = format(value.normalize(), "f") if value != value.to_integral_value() else None
    if text is None:
        return vn_number(value.to_integral_value(), 1)
    return vn_number(Decimal(text))


def vn_threshold(value: Decimal) -> str:
    """Format a threshold without useless decimals (90 -> 90; 87.5 -> 87,5)."""
    if value == value.to_integral_value():
        return vn_number(value.to_integral_value())
    return vn_number(value.normalize())


def vn_percent(value: Fraction | Decimal, decimals: int = 1) -> str:
    """Format a ratio as a percentage, trimming a zero decimal (0.2 -> 20%; 0.4444 -> 44,4%)."""
    pct = (
        Decimal(value.numerator * 100) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else value * 100
    )
    q = pct.quantize(Decimal(1).scaleb(-decimals))
    if q == q.to_integral_value():
        return f"{vn_number(q.to_integral_value())}%"
    return f"{vn_number(q.normalize())}%"


def vn_date(value: dt.date) -> str:
    """Format a date as dd/mm/yyyy."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def document_date_parts(on: dt.date) -> tuple[str, str, str]:
    """Day, month and year as written in a document's date line ("ngày 05 tháng 3 năm 2027")."""
    # NĐ 30/2020 (Phụ lục I): a zero before a day under 10 and a month under 3 ("ngày 05
    # tháng 02", "ngày 15 tháng 3"); the Party's examples write dates the same way.
    day = f"{on.day:02d}" if on.day < 10 else str(on.day)
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return day, month, str(on.year)
