"""Fixtures of the ballot tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Failed-code counters and API throttles live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()
