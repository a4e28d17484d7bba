"""Whole numbers from outside: plain ASCII digits within the bounds, or nothing."""

from __future__ import annotations

import pytest

from thuocdo.numbers import BIGINT, whole_number


@pytest.mark.parametrize(
    ("text", "bounds", "expected"),
    [
        ("2026", {}, 2026),
        ("0", {}, 0),
        ("007", {}, 7),
        ("", {}, None),
        (None, {}, None),
        ("²", {}, None),  # str.isdigit() says yes, int() refuses it
        ("٣", {}, None),  # an Arabic-Indic three: not what anybody typed into a year
        ("-1", {}, None),
        (" 12", {}, None),
        ("1" * 5000, {}, None),  # int() refuses strings over 4,300 digits
        (str(BIGINT), {}, BIGINT),
        (str(BIGINT + 1), {}, None),  # past what the databases store
        ("47717", {"low": 1990, "high": 2100}, None),
        ("1990", {"low": 1990, "high": 2100}, 1990),
        ("13", {"low": 1, "high": 12}, None),
    ],
)
def test_it_reads_plain_digits_within_bounds_only(text, bounds, expected):
    assert whole_number(text, **bounds) == expected
