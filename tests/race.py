"""Concurrent requests for the concurrency tests: the same service called at once from several
threads, each on its own database connection, released together by a barrier.

Only PostgreSQL lets the writers really overlap (SQLite serialises them by locking the file),
so these tests run there and are skipped elsewhere, as `tests/ballots/test_concurrency.py`.
At most `MAX_THREADS` threads, so that a test holds few connections of the shared server.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

MAX_THREADS = 16

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers by locking the file"
)


def race(count: int, action: Callable[[int], object]) -> Counter[str]:
    """Run `action(i)` for i in range(count) at once; count "done" and "refused" (a
    ValidationError or PermissionDenied); any other error fails the test with its text."""
    assert count <= MAX_THREADS
    start = threading.Barrier(count)
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    guard = threading.Lock()

    def run(i: int) -> None:
        start.wait()
        try:
            action(i)
            outcome = "done"
        except (ValidationError, PermissionDenied):
            outcome = "refused"
        except Exception as error:
            outcome = "error"
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()
        with guard:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return outcomes


def outcome_of(action: Callable[[], object]) -> str:
    """Run an action: "done", "refused" (ValidationError or PermissionDenied), or the error."""
    try:
        action()
    except (ValidationError, PermissionDenied):
        return "refused"
    except Exception as error:
        return f"error: {type(error).__name__}: {error}"
    return "done"


def while_held(
    first: Callable[[], object], second: Callable[[], object], *, wait: float = 1.0
) -> tuple[str, str, bool]:
    """Run `first` in a transaction on one connection and keep it open (not committed) while
    `second` runs on another; commit `first` after `wait` seconds. Returns both outcomes and
    whether `second` was still waiting when `first` committed (it must, when both take the
    same lock), so that a test proves the order rather than hoping for it."""
    held, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}
    second_done = threading.Event()

    def run_first() -> None:
        def inside() -> None:
            with transaction.atomic():
                first()
                held.set()
                release.wait(10)

        outcomes["first"] = outcome_of(inside)
        held.set()
        connections.close_all()

    def run_second() -> None:
        outcomes["second"] = outcome_of(second)
        second_done.set()
        connections.close_all()

    one = threading.Thread(target=run_first)
    one.start()
    assert held.wait(10)
    two = threading.Thread(target=run_second)
    two.start()
    finished_early = second_done.wait(wait)
    release.set()
    one.join(10)
    two.join(10)
    return outcomes["first"], outcomes["second"], not finished_early
