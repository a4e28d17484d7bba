"""The site's template filters: percentages the Vietnamese way."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from thuocdo.web.templatetags.thuocdo import percent


@pytest.mark.parametrize(
    ("ratio", "digits", "text"),
    [
        (Decimal("0.956"), 1, "95,6%"),
        (0.5, 1, "50,0%"),
        ("0.1843", 2, "18,43%"),
        (Fraction(2, 3), 2, "66,67%"),
        (Fraction(1, 5), 1, "20,0%"),
        (None, 1, "—"),
        ("", 1, "—"),
    ],
)
def test_percent(ratio: Decimal | Fraction | float | str | None, digits: int, text: str) -> None:
    with translation.override("vi"):
        assert percent(ratio, digits) == text
