"""City scale (issue 15): does the cost per person stay flat from 20.000 to 200.000 people?

For each size, in fresh databases it makes itself, times three things:
(a) opening a year over the whole demo city (`period_open`, QĐ 366, as bench/period_open.py),
(b) importing a people workbook of that many rows (bench/import_people.py's workbooks, into an
    empty database of its own, as `thuocdo import` does),
(c) the month close (`month_scores_compute` on a month period over the city, three verified
    tasks per person, as bench/monthly.py).
Then prints, for each, the seconds and µs per person at each size, and the ratio of the cost
per person at the largest size to the smallest.

On PostgreSQL it creates and drops `<DATABASE_URL's name>_scale_<size>` databases on
DATABASE_URL's server; on SQLite it uses fresh files `scale-<size>.sqlite3` in --dir. Each size
runs in a child process of its own (a clean connection and a clean memory).

    DATABASE_URL=postgres://thuocdo:…@127.0.0.1:5432/thuocdo_demo \\
        .venv/bin/python bench/scale.py [--sizes 20000,50000,200000]
    .venv/bin/python bench/scale.py --sizes 20000   # SQLite files in /tmp
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SEED = 2026
MEASURES = ("year_open", "import", "month_close")  # (a), (b), (c)


# ---------------------------------------------------------------------------------------------
# The child: one part at one size, on the database its environment names.


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _city(size: int) -> dict[str, float]:
    """Build the city, open a year over it, then close a month of three tasks a person."""
    from monthly import YEAR, _analyze, work_record  # bench/monthly.py

    from thuocdo.demo.registry import ROOT_CODE, demo_build
    from thuocdo.org.models import Unit, User
    from thuocdo.reviews.models import Period
    from thuocdo.reviews.monthly.services import month_scores_compute, period_open

    started = time.perf_counter()
    demo_build(people=size, seed=SEED)
    built = time.perf_counter() - started
    actor = User.objects.create(username="bench-scale", is_superuser=True, is_staff=True)
    root = Unit.objects.get(code=ROOT_CODE)
    started = time.perf_counter()
    period_open(actor=actor, unit=root, kind="year", year=2026, number=None, ruleset="qd-366-2025")
    year_open = time.perf_counter() - started
    work_record(SEED)
    _analyze()  # as bench/monthly.py and the demo do after a bulk load
    month = Period.objects.create(
        kind="month", year=YEAR, number=10, unit=root, ruleset="nd-335-2025"
    )
    started = time.perf_counter()
    scored = month_scores_compute(actor=User.objects.get(username="quantri"), period=month)
    month_close = time.perf_counter() - started
    assert scored == size, f"{scored} scores for {size} people"
    return {"build": built, "year_open": year_open, "month_close": month_close}


def _import(size: int, folder: Path) -> dict[str, float]:
    """Import the units workbook, then time the people workbook of `size` rows."""
    from import_people import people_write, units_write  # bench/import_people.py

    from thuocdo.org.imports import people_import, units_import
    from thuocdo.org.models import Person, User

    units_path = folder / "bench-units.xlsx"
    people_path = folder / f"bench-people-{size}.xlsx"
    if not units_path.exists():
        units_write(units_path)
    if not people_path.exists():
        people_write(people_path, size)
    admin = User.objects.create_superuser("bench", password=None)
    units_import(actor=admin, source=units_path)
    started = time.perf_counter()
    people_import(actor=admin, source=people_path)
    elapsed = time.perf_counter() - started
    assert Person.objects.count() == size
    return {"import": elapsed}


def _child(part: str, size: int, folder: Path) -> None:
    _setup()
    result = _city(size) if part == "city" else _import(size, folder)
    print("RESULT " + json.dumps(result), flush=True)


# ---------------------------------------------------------------------------------------------
# The parent: fresh databases, one child per part and size, the table.


class _Databases:
    """Fresh databases for the children: PostgreSQL ones on DATABASE_URL's server, or files."""

    def __init__(self, folder: Path) -> None:
        self.url = os.environ.get("DATABASE_URL", "")
        self.folder = folder

    def create(self, label: str) -> dict[str, str]:
        """A fresh, empty database; the environment that points a child at it."""
        if not self.url:
            path = self.folder / f"scale-{label}.sqlite3"
            path.unlink(missing_ok=True)
            return {"THUOCDO_SQLITE_PATH": str(path)}
        name = self._name(label)
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        return {"DATABASE_URL": urlunsplit(urlsplit(self.url)._replace(path=f"/{name}"))}

    def drop(self, label: str) -> None:
        """Drop (or delete) the database made for `label`."""
        if not self.url:
            (self.folder / f"scale-{label}.sqlite3").unlink(missing_ok=True)
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self._name(label)}" WITH (FORCE)')

    def _name(self, label: str) -> str:
        return f"{urlsplit(self.url).path.lstrip('/')}_scale_{label}"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql.encode())


def _run(dbs: _Databases, part: str, size: int, folder: Path) -> dict[str, float]:
    label = f"{part}_{size}"
    env = os.environ | dbs.create(label)
    try:
        out = subprocess.run(  # noqa: S603 - this very script, with our own arguments
            [sys.executable, __file__, "--child", part, "--sizes", str(size), "--dir", str(folder)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except subprocess.CalledProcessError as error:
        sys.exit(f"{part} at {size}: failed\n{error.stderr[-3000:]}")
    finally:
        dbs.drop(label)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    return result


def _table(sizes: list[int], results: dict[int, dict[str, float]]) -> None:
    def per(key: str, size: int) -> float:
        return results[size][key] / size * 1e6

    print(f"\n{'size':>8} " + " ".join(f"{key + ' s':>14} {'µs/person':>10}" for key in MEASURES))
    for size in sizes:
        cells = " ".join(f"{results[size][key]:14.1f} {per(key, size):10.0f}" for key in MEASURES)
        print(f"{size:8d} {cells}")
    small, large = sizes[0], sizes[-1]
    ratios = ", ".join(f"{key} {per(key, large) / per(key, small):.2f}" for key in MEASURES)
    print(f"per-person cost at {large} ÷ at {small}: {ratios}")
    builds = ", ".join(f"{s}: {results[s]['build']:.1f} s" for s in sizes)
    print(f"(city registries built in {builds})")


def main() -> None:
    """Run every size's parts in fresh databases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20000,50000,200000")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="workbooks, SQLite files")
    parser.add_argument("--child", choices=("city", "import"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    if args.child:
        _child(args.child, sizes[0], folder)
        return
    dbs = _Databases(folder)
    vendor = "PostgreSQL" if dbs.url else "SQLite"
    print(f"{vendor}; sizes {sizes}; load average {os.getloadavg()[0]:.1f}", flush=True)
    results: dict[int, dict[str, Any]] = {}
    for size in sizes:
        results[size] = _run(dbs, "city", size, folder) | _run(dbs, "import", size, folder)
        row = ", ".join(f"{k} {v:.1f} s" for k, v in results[size].items())
        print(f"{size}: {row} (load average {os.getloadavg()[0]:.1f})", flush=True)
    _table(sizes, results)


if __name__ == "__main__":
    main()
