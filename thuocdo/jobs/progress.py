"""Progress of a job: steps and counts, written to the job's row (for the page, polled by
htmx) and shown in the terminal (tqdm bars on a TTY, one line per step otherwise)."""

from __future__ import annotations

import sys
import time
from typing import IO, TYPE_CHECKING, Any

from django.db import DatabaseError
from tqdm import tqdm

if TYPE_CHECKING:
    from thuocdo.jobs.models import Job

# The page polls every second; writing more often than this only costs the job time.
WRITE_EVERY = 0.5


def _number(value: int) -> str:
    """An integer with Vietnamese thousands separators (49.463)."""
    return f"{value:,}".replace(",", ".")


class Progress:
    """What a running job reports. Call `step()` when a stage starts, `advance()` as it goes.

    `job` is the row to update (None when the work runs without one, e.g. a restore from the
    command line); `alias` is the connection to write through, one of its own while the
    job's work holds a transaction open; `console` receives the terminal display.
    """

    def __init__(
        self, job: Job | None = None, *, alias: str = "default", console: IO[str] | None = None
    ) -> None:
        self.job = job
        self.alias = alias
        self.console = console
        self.label = ""
        self.done = 0
        self.total: int | None = None
        self.steps = 0
        self._written = 0.0
        self._pending = False
        self._bar: tqdm[Any] | None = None
        self._step_started = time.monotonic()

    # -- reporting ----------------------------------------------------------------------
    def step(self, label: str, total: int | None = None) -> None:
        """Start a new stage of the work, with its number of units if known."""
        self._close_stage()
        self.steps += 1
        self.label, self.done, self.total = label, 0, None if total is None else int(total)
        self._step_started = time.monotonic()
        if self.console is not None:
            if self.console.isatty():
                self._bar = tqdm(total=total, desc=label, unit=" mục", file=self.console)
            else:
                size = f" ({_number(total)})" if total else ""
                self.console.write(f"[{self.steps}] {label}{size}…\n")
                self.console.flush()
        self._write(force=True)

    def advance(self, count: int = 1) -> None:
        """Count `count` more units of the current stage as done."""
        self.update(self.done + count)

    def update(self, done: int, total: int | None = None) -> None:
        """Set how much of the current stage is done (and its total, if it changed)."""
        self.done = int(done)
        if total is not None:
            self.total = int(total)
        if self._bar is not None:
            if total is not None:
                self._bar.total = total
            self._bar.update(done - self._bar.n)
        self._write()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """The `progress(stage, done, total)` callback the demo builders and imports take."""
        if stage != self.label:
            self.step(stage, total)
        self.update(done, total)

    def close(self) -> None:
        """End the display and write the last figures."""
        self._close_stage()
        self._write(force=True)

    # -- output -------------------------------------------------------------------------
    def _close_stage(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.console is not None and self.label and not self.console.isatty():
            seconds = f"{time.monotonic() - self._step_started:.1f}".replace(".", ",")
            count = f"{_number(self.done)} mục, " if self.done else ""
            self.console.write(f"    xong: {count}{seconds} giây\n")
            self.console.flush()

    def _write(self, *, force: bool = False) -> None:
        """Write the figures to the job's row, at most every WRITE_EVERY seconds."""
        if self.job is None:
            return
        now = time.monotonic()
        if not (force or self._pending) and now - self._written < WRITE_EVERY:
            return
        from thuocdo.jobs.models import Job

        try:
            Job.objects.using(self.alias).filter(pk=self.job.pk).update(
                step=self.label[:255], done=self.done, total=self.total
            )
        except DatabaseError:
            # SQLite has one writer: while the job's own transaction writes, the figures wait
            # for the next report (docs/operations.md).
            self._pending = True
            return
        self._pending = False
        self._written = now


def console_for(stream: IO[str] | None = None) -> IO[str]:
    """The terminal stream progress goes to (stderr unless told)."""
    return stream if stream is not None else sys.stderr
