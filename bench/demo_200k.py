"""Time `demo_build(people=200000)` against the configured database (which must be empty).

THUOCDO_SQLITE_PATH=/tmp/demo200k.sqlite3 .venv/bin/python manage.py migrate
THUOCDO_SQLITE_PATH=/tmp/demo200k.sqlite3 .venv/bin/python bench/demo_200k.py [people]
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    """Build the demo once and print the elapsed time and the counts."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")
    import django

    django.setup()
    from django.db import connection

    from thuocdo.demo.registry import demo_build

    people = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    started = time.monotonic()
    summary = demo_build(people=people)
    elapsed = time.monotonic() - started
    print(f"{connection.vendor}: {people} people in {elapsed:.1f} s; {summary.counts}")


if __name__ == "__main__":
    main()
