"""Query parameters of the API's lists, with Vietnamese errors: absent means no filter, and
anything but a plausible number is refused with 400 (never ignored, never a server error)."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework.exceptions import ValidationError

from thuocdo.numbers import whole_number

FIRST_YEAR, LAST_YEAR = 1990, 2100  # the reports' bounds (thuocdo/reports/common/api.py)


def year_param(params: Mapping[str, str], name: str = "year") -> int | None:
    """The year asked for, None when absent; 400 when it is not a year."""
    raw = params.get(name, "")
    if raw == "":
        return None
    year = whole_number(raw, low=FIRST_YEAR, high=LAST_YEAR)
    if year is None:
        message = f"Năm ({name}) phải là số nguyên từ {FIRST_YEAR} đến {LAST_YEAR}."
        raise ValidationError({name: [message]})
    return year


def month_param(params: Mapping[str, str], name: str = "month") -> int | None:
    """The month asked for, None when absent; 400 when it is not 1 to 12."""
    raw = params.get(name, "")
    if raw == "":
        return None
    month = whole_number(raw, low=1, high=12)
    if month is None:
        raise ValidationError({name: [f"Tháng ({name}) phải là số nguyên từ 1 đến 12."]})
    return month
