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
from django.db import connection, connections

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
