"""Accounts for the whole demo city: why one-time passwords use their own fast hasher.

Times Django's default password hasher (PBKDF2, as configured) on a few passwords and the
one-time hasher on many, then builds the demo city (default 200,000 people) in a fresh
database, or reuses the one there, and times `accounts_create_for_unit` with roles from posts
over Quận 1, then over the rest of the city, the workbook of one-time passwords it hands out,
and the account list of the city's and the district's organiser.

    THUOCDO_SQLITE_PATH=/tmp/acc.sqlite3 .venv/bin/python bench/accounts.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/accounts.py
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from thuocdo.accounts.hashers import (  # noqa: E402
    onetime_password_generate,
    onetime_password_hash,
)
from thuocdo.accounts.selectors import account_list  # noqa: E402
from thuocdo.accounts.services import accounts_create_for_unit  # noqa: E402
from thuocdo.accounts.workbooks import credentials_write  # noqa: E402
from thuocdo.demo.registry import ROOT_CODE, demo_build, demo_is_empty  # noqa: E402
from thuocdo.demo.registry.build import LOGIN_USERNAMES  # noqa: E402
from thuocdo.org.models import Person, Unit, User  # noqa: E402

BENCH_ACTOR = "bench-accounts"
DISTRICT_CODE = "Q01"


def _hashers(people: int, samples: int) -> None:
    """Per-password cost of the default and the one-time hasher, and what it means for a city."""
    default = get_hasher("default")
    started = time.perf_counter()
    for _ in range(samples):
        make_password("Mat-khau-dai-2026")
    slow = (time.perf_counter() - started) / samples
    print(
        f"default hasher {default.algorithm} ({getattr(default, 'iterations', '?')} iterations): "
        f"{slow * 1000:.0f} ms per password; {people:,} passwords would take "
        f"{slow * people / 3600:.1f} h on one core"
    )
    count = 20_000
    started = time.perf_counter()
    for _ in range(count):
        onetime_password_hash(onetime_password_generate())
    fast = (time.perf_counter() - started) / count
    print(
        f"one-time hasher: {fast * 1e6:.1f} µs per password (generation included); "
        f"{people:,} passwords in {fast * people:.1f} s"
    )


def _fresh_city(people: int) -> None:
    """Build the demo city, or forget the accounts an earlier run of this bench created."""
    call_command("migrate", verbosity=0)
    if demo_is_empty():
        started = time.perf_counter()
        demo_build(people=people)
        print(f"demo city of {people:,} people built in {time.perf_counter() - started:.1f} s")
        return
    keep = [*LOGIN_USERNAMES, BENCH_ACTOR]
    ours = User.objects.exclude(username__in=keep)
    Person.objects.filter(user__in=ours).update(user=None)
    deleted, _ = ours.delete()
    print(f"reusing the demo city in the database ({deleted:,} rows of an earlier run removed)")


def main() -> None:
    """Print the hasher figures, then time the creation of the city's accounts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=5, help="default-hasher passwords timed")
    args = parser.parse_args()
    _hashers(args.people, args.samples)
    _fresh_city(args.people)
    actor, _ = User.objects.get_or_create(
        username=BENCH_ACTOR, defaults={"is_superuser": True, "is_staff": True}
    )
    # A district first, as its organiser would on the page, then the rest of the city.
    district = Unit.objects.get(code=DISTRICT_CODE)
    started = time.perf_counter()
    first = accounts_create_for_unit(actor=actor, unit=district, roles_from_posts=True)
    elapsed = time.perf_counter() - started
    print(
        f"accounts_create_for_unit({district.name}, roles from posts): {len(first):,} accounts "
        f"in {elapsed:.1f} s ({len(first) / elapsed:,.0f} accounts/s)"
    )
    root = Unit.objects.get(code=ROOT_CODE)
    started = time.perf_counter()
    credentials = accounts_create_for_unit(actor=actor, unit=root, roles_from_posts=True)
    elapsed = time.perf_counter() - started
    print(
        f"accounts_create_for_unit(the rest of the city, roles from posts): "
        f"{len(credentials):,} accounts in {elapsed:.1f} s "
        f"({len(credentials) / elapsed:,.0f} accounts/s)"
    )
    credentials += first
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as `thuocdo accounts create` does after a bulk load
    started = time.perf_counter()
    buffer = io.BytesIO()
    credentials_write(credentials, buffer)
    elapsed = time.perf_counter() - started
    print(
        f"workbook of {len(credentials):,} one-time passwords: "
        f"{len(buffer.getvalue()) / 1e6:.1f} MB in {elapsed:.1f} s"
    )
    _account_list()


def _account_list() -> None:
    """The «Tài khoản» page's queries for the city's and a district's organiser."""
    for login in ["bantochuc", "bantochuc.q1"]:
        organiser = User.objects.get(username=login)
        for query in ["", "nguyen van"]:
            started = time.perf_counter()
            people = account_list(actor=organiser, query=query)
            count = people.count()
            first = list(people[:50])
            elapsed = time.perf_counter() - started
            print(
                f"account list of {login}{f' searching «{query}»' if query else ''}: "
                f"{count:,} accounts, count and first page in {elapsed * 1000:.0f} ms "
                f"({len(first)} rows)"
            )


if __name__ == "__main__":
    main()
