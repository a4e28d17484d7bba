"""The daily pages of each demo login on the demo city: wall time, size and queries.

Builds the demo city with its work (`thuocdo demo --people N`, default 3.000 as `make run`
builds it) in an empty database, or uses the demo already there, then requests through
Django's test client (no network) each login's home page, «Tháng của tôi», «Đơn vị của tôi»,
«Kỳ đánh giá», the city's (or their unit's) latest month board and the latest year board,
«Cán bộ» and «Báo cáo», and prints the median of five runs, the page's size and its queries.
Issue 16's goal: the city board and the organiser's pages under 300 ms and 200 KB.

    THUOCDO_SQLITE_PATH=/tmp/pages.sqlite3 .venv/bin/python bench/pages.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/pages.py
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

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from thuocdo.org.models import Person, User  # noqa: E402
from thuocdo.reviews.models import Period  # noqa: E402

LOGINS = ["canhan", "lanhdao", "thutruong", "bantochuc", "bantochuc.q1", "thamquyen"]


def pages() -> list[tuple[str, str]]:
    """(label, path) of the pages every login is asked for; a page they may not see is skipped."""
    month = Period.objects.filter(kind="month").order_by("-year", "-number", "pk").first()
    year = Period.objects.filter(kind="year").order_by("-year", "pk").first()
    found = [
        ("trang chủ", "/"),
        ("Tháng của tôi", reverse("work:month-detail")),
        ("Đơn vị của tôi", reverse("work:team-detail")),
        ("Kỳ đánh giá", reverse("reviews:period-list")),
        ("Cán bộ", reverse("org:person-list")),
        ("Báo cáo", reverse("reports:dashboard")),
    ]
    if month is not None:
        found.append((f"bảng tháng {month.number}/{month.year}", f"/ky-danh-gia/{month.pk}/"))
    if year is not None:
        found.append((f"bảng năm {year.year}", f"/ky-danh-gia/{year.pk}/"))
    return found


def main() -> None:
    """Build (or reuse) the demo, then time each login's daily pages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=3_000)
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
        for label, path in pages():
            if client.get(path).status_code != 200:  # warm; out of this login's scope: skipped
                continue
            runs = []
            for _ in range(5):
                # «Tháng của tôi» and «Đơn vị của tôi» are reused until a write
                # (thuocdo/web/pagecache.py): time them as built, as after a write.
                caches["pages"].clear()
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path)
                runs.append(time.perf_counter() - t0)
            size = len(response.content) / 1024
            median = statistics.median(runs) * 1000
            print(
                f"{username:13s} {label:22s} {median:7.1f} ms {size:7.1f} KB "
                f"{len(queries.captured_queries):3d} queries"
            )


if __name__ == "__main__":
    main()
