"""Opening a year for the whole demo city: every evaluation created in one bulk insert.

Builds the demo city (default 200,000 people) in a fresh database, then times `period_open`
of 2026 under Quy định 366 over the city's root unit, which creates one evaluation per
collective and per post.

    THUOCDO_SQLITE_PATH=/tmp/year.sqlite3 .venv/bin/python bench/period_open.py [--people N]
        [--by-group]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/period_open.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from thuocdo.demo.registry import ROOT_CODE, demo_build, demo_is_empty  # noqa: E402
from thuocdo.org.models import Unit, User  # noqa: E402
from thuocdo.reviews.models import Evaluation  # noqa: E402
from thuocdo.reviews.monthly.services import period_open  # noqa: E402


def main() -> None:
    """Build the city, open the year, print the figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument(
        "--by-group",
        action="store_true",
        help="công chức under NĐ 335 and viên chức under NĐ 90, Party members among them "
        "also classified under QĐ 366 (a second evaluation each)",
    )
    args = parser.parse_args()
    rulesets = (
        {"civil_servant": "nd-335-2025", "public_employee": "nd-90-2020"} if args.by_group else {}
    )
    call_command("migrate", verbosity=0)
    if not demo_is_empty():
        sys.exit("Cần một cơ sở dữ liệu trống (THUOCDO_SQLITE_PATH hoặc DATABASE_URL mới).")
    started = time.perf_counter()
    demo_build(people=args.people)
    print(f"demo city of {args.people} people built in {time.perf_counter() - started:.1f} s")
    actor = User.objects.create(username="bench-year", is_superuser=True, is_staff=True)
    root = Unit.objects.get(code=ROOT_CODE)
    started = time.perf_counter()
    period = period_open(
        actor=actor,
        unit=root,
        kind="year",
        year=2026,
        number=None,
        ruleset="qd-366-2025",
        rulesets=rulesets,
    )
    elapsed = time.perf_counter() - started
    count = Evaluation.objects.filter(period=period).count()
    print(
        f"period_open(year 2026, qd-366-2025{' + ' + str(rulesets) if rulesets else ''}) "
        f"over the city: {count} evaluations in "
        f"{elapsed:.2f} s ({count / elapsed:,.0f} evaluations/s)"
    )


if __name__ == "__main__":
    main()
