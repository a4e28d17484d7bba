"""What every part of the demo shares: the progress callback, the error of a demo that cannot
be built as asked, and the posts held in a unit."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from thuocdo.org.models import Post, Unit

Progress = Callable[[str, int, int], None]


class Clock:
    """Seconds spent in each named phase of the build, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block and add its seconds to the phase's."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - started


class DemoError(Exception):
    """The demo cannot be built as asked (database not empty, too few people...)."""


def posts_held(unit: Unit, at: datetime.date) -> list[Post]:
    """Posts held in a unit on a date, heads first, then by the holder's code."""
    posts = Post.objects.active(at).filter(unit=unit).select_related("person")
    return sorted(posts, key=lambda p: (not p.is_head, not p.is_deputy, p.person.code))
