"""Memory helpers shared by the bulk work of a city (the demo build, the month close)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic collector for the block: bulk work makes millions of small acyclic
    objects (rows, dates, draws) that the collector would only scan again and again, the more
    often the more already sit in memory. Reference counting still frees them; anything cyclic
    waits for the collector's next run after the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
