"""Time the demo city's build (`thuocdo.demo.build`, with its work unless --no-work) against
the configured database, which must be empty (migrated), and print each phase's seconds,
the month close (the reviews' own computation) among them.

THUOCDO_SQLITE_PATH=/tmp/demo200k.sqlite3 .venv/bin/python manage.py migrate
THUOCDO_SQLITE_PATH=/tmp/demo200k.sqlite3 .venv/bin/python bench/demo_200k.py [--people N]
DATABASE_URL=postgres://…/thuocdo_x .venv/bin/python bench/demo_200k.py --people 50000 \
    --profile /tmp/demo.prof   # and a cProfile of the whole build
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import time


def main() -> None:
    """Build the demo once and print the elapsed time, each phase's and the counts."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--no-work", action="store_true")
    parser.add_argument("--profile", help="write a cProfile of the build to this file")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")
    import django

    django.setup()
    from django.db import connection

    from thuocdo import demo

    profiler = cProfile.Profile() if args.profile else None
    started = time.monotonic()
    if profiler:
        profiler.enable()
    city = demo.build(people=args.people, today=datetime.date(2026, 12, 6), work=not args.no_work)
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    elapsed = time.monotonic() - started
    print(f"{connection.vendor}: {args.people} people in {elapsed:.1f} s")
    for phase, seconds in city.timings.items():
        print(f"  {phase:<32} {seconds:8.1f} s")
    print(f"  counts: {city.summary.counts | city.work}")
    if profiler:
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
