"""The home page (today's work) of each demo login: wall time and number of queries.

Builds the demo city with its work (`thuocdo demo --people N`) in an empty database, or uses
the demo already there, then requests each README login's home page through Django's test
client (no network) and prints the median of five runs and the queries of one.

    THUOCDO_SQLITE_PATH=/tmp/home.sqlite3 .venv/bin/python bench/home.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/home.py
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")
os.environ.setdefault("THUOCDO_DEMO", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from thuocdo.org.models import Person, User  # noqa: E402

LOGINS = ["canhan", "lanhdao", "thutruong", "bantochuc", "bantochuc.q1", "thamquyen", "quantri"]


def main() -> None:
    """Build (or reuse) the demo, then time each login's home page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        t0 = time.perf_counter()
        call_command("demo", "--people", str(args.people), stdout=io.StringIO())
        print(f"built the demo city in {time.perf_counter() - t0:.0f} s")
    print(f"{connection.vendor}, {Person.objects.count():,} people")
    for username in LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get("/")  # warm: templates, rule-sets
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/")
            runs.append(time.perf_counter() - t0)
        assert response.status_code == 200
        median = statistics.median(runs) * 1000
        print(f"{username:14s} {median:8.1f} ms  {len(queries.captured_queries):3d} queries")


if __name__ == "__main__":
    main()
