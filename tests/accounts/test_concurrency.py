"""Two organisers creating the same subtree's accounts at once give each person one account,
and leave no account without its person (the people's rows are locked until the end)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, connections

from thuocdo.accounts import services
from thuocdo.org.models import Person, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def _short_sqlite_wait() -> Iterator[None]:
    """SQLite makes a second writer wait up to 30 s for the file; five seconds are enough here,
    even on a loaded machine."""
    options = connections["default"].settings_dict.setdefault("OPTIONS", {})
    saved = options.get("timeout")
    if connection.vendor == "sqlite":
        options["timeout"] = 5
    yield
    if saved is not None:
        options["timeout"] = saved


def test_two_creations_at_once_give_one_account_per_person(world, _short_sqlite_wait) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def create(name: str) -> None:
        start.wait()
        try:
            made = services.accounts_create_for_unit(actor=world.users[name], unit=world.p1)
            outcomes.append(f"{len(made)} created")
        except DatabaseError:  # SQLite: the second writer finds the file locked
            outcomes.append("busy")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in ("olga", "root")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if connection.vendor == "postgresql":
        # The second waits for the first's row locks, then finds nobody left without account.
        assert sorted(outcomes) == ["0 created", "1 created"]
    else:
        # SQLite has one writer at a time: the second gives up or comes after the first.
        assert sorted(outcomes) in (["0 created", "1 created"], ["1 created", "busy"])
    carol = Person.objects.get(code="CB-C")
    assert carol.user is not None
    orphans = User.objects.filter(person__isnull=True).exclude(
        username__in=["olga", "tam", "root", "nobody"]
    )
    assert list(orphans.values_list("username", flat=True)) == []
