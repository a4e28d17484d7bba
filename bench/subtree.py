"""Subtree queries at 5,000 units: the tree page, a district's people list and headcounts.

Builds a synthetic registry (1 city, 50 districts x 99 communes = 5,001 units, one person per
post) in a fresh database and prints the time of each scoped query, median of 5 runs.

    THUOCDO_SQLITE_PATH=/tmp/subtree.sqlite3 .venv/bin/python bench/subtree.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/subtree.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from thuocdo.org import selectors  # noqa: E402
from thuocdo.org.models import Person, Post, RoleAssignment, Unit, User  # noqa: E402
from thuocdo.org.names import search_text, sort_key  # noqa: E402


@transaction.atomic
def build(people: int) -> tuple[User, Unit]:
    """Create the synthetic registry and an organiser of the first district."""
    root = Unit.objects.create(code="B-TP", name="Thành phố", kind="party")
    root.path = root.own_segment()
    root.save()
    districts = Unit.objects.bulk_create(
        [Unit(code=f"B-Q{i:02d}", name=f"Quận {i}", kind="party", parent=root) for i in range(50)]
    )
    for d in districts:
        d.path, d.depth = root.path + d.own_segment(), 1
    Unit.objects.bulk_update(districts, ["path", "depth"])
    communes = Unit.objects.bulk_create(
        [
            Unit(code=f"{d.code}-P{j:02d}", name=f"Phường {j} {d.name}", kind="state", parent=d)
            for d in districts
            for j in range(99)
        ]
    )
    for c in communes:
        c.path, c.depth = f"{root.path}{c.parent.own_segment()}{c.own_segment()}", 2  # type: ignore[union-attr]
    Unit.objects.bulk_update(communes, ["path", "depth"], batch_size=2000)
    names = ["Nguyễn Thị Hồng Nhung", "Trần Văn An", "Lê Minh Đức", "Phạm Thu Hà"]
    persons = [
        Person(
            code=f"B-{k}",
            full_name=names[k % 4],
            sort_key=sort_key(names[k % 4]),
            search_text=search_text(names[k % 4], f"B-{k}"),
            birth_date=datetime.date(1980, 1, 1),
            gender="female",
            category="civil_servant",
        )
        for k in range(people)
    ]
    Person.objects.bulk_create(persons, batch_size=5000)
    start = datetime.date(2020, 1, 1)
    Post.objects.bulk_create(
        [
            Post(person=p, unit=communes[k % len(communes)], title="Công chức", start_date=start)
            for k, p in enumerate(persons)
        ],
        batch_size=5000,
    )
    user = User.objects.create(username="bench-organiser")
    RoleAssignment.objects.create(user=user, role="organiser", unit=districts[0])
    return user, root


def timed(label: str, fn: Callable[[], object]) -> None:
    """Print the median wall time of five runs of fn."""
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    print(f"{label:60s} {statistics.median(runs) * 1000:8.1f} ms")


def main() -> None:
    """Build, then time the scoped queries."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Unit.objects.exists():
        sys.exit("Cơ sở dữ liệu không trống: hãy chạy trên một cơ sở dữ liệu mới.")
    t0 = time.perf_counter()
    organiser, root = build(args.people)
    print(
        f"built {Unit.objects.count():,} units, {args.people:,} people "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    admin = User.objects.create(username="bench-admin", is_superuser=True)
    children = list(Unit.objects.filter(parent=root))
    timed("tree roots for the city organiser", lambda: selectors.unit_roots(actor=admin))
    timed("headcounts of the 50 districts (one query)", lambda: selectors.unit_headcounts(children))
    timed(
        "district organiser: people list, first page",
        lambda: list(selectors.person_list(actor=organiser)[:50]),
    )
    timed(
        "district organiser: people count", lambda: selectors.person_list(actor=organiser).count()
    )
    timed(
        "district organiser: search 'hong nhung'",
        lambda: list(
            selectors.person_list(
                actor=organiser, filters=selectors.PeopleFilter(query="hong nhung")
            )[:50]
        ),
    )
    timed("district organiser: visible units", lambda: selectors.unit_list(actor=organiser).count())


if __name__ == "__main__":
    main()
