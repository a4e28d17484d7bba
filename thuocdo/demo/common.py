"""What every part of the demo shares: the progress callback and the error of a demo that
cannot be built as asked."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


class DemoError(Exception):
    """The demo cannot be built as asked (database not empty, too few people...)."""
