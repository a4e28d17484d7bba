"""Mô phỏng ("what if") of a year for the whole demo city, writing nothing.

Builds the demo city (default 200,000 people) in a fresh database as bench/period_open.py
does, opens 2026 under Quy định 366 over the root unit, gives every evaluation a verified
score (60–99, spread by id) and a stored level (the score's band, in one UPDATE; with
--propose, the real proposal instead, timed), then times the simulation under Nghị định 335
and under 366 with the literal quota base (good_only), and checks that nothing was written.
For each, it also prints what a large year's job keeps (the compact JSON of
simulation_store.py: its size and the time to read it back), the time of the Excel
workbook made from the stored result (as the job now does) and the time to send that stored
workbook (as the page's download now does).

    THUOCDO_SQLITE_PATH=/tmp/whatif.sqlite3 .venv/bin/python bench/what_if.py [--people N]
        [--propose]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/what_if.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Case, F, Value, When  # noqa: E402
from django.db.models.functions import Mod  # noqa: E402
from django.http import FileResponse  # noqa: E402

from thuocdo.audit.models import AuditEvent  # noqa: E402
from thuocdo.demo.registry import ROOT_CODE, demo_build, demo_is_empty  # noqa: E402
from thuocdo.org.models import Unit, User  # noqa: E402
from thuocdo.reviews.annual.services import period_propose  # noqa: E402
from thuocdo.reviews.annual.simulation import what_if  # noqa: E402
from thuocdo.reviews.annual.simulation_export import what_if_xlsx  # noqa: E402
from thuocdo.reviews.annual.simulation_store import what_if_pack, what_if_unpack  # noqa: E402
from thuocdo.reviews.models import Evaluation, EvaluationState  # noqa: E402
from thuocdo.reviews.monthly.services import period_open  # noqa: E402


def main() -> None:
    """Build the city, open and score the year, propose, simulate, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--propose", action="store_true", help="store the real proposal first")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not demo_is_empty():
        sys.exit("Cần một cơ sở dữ liệu trống (THUOCDO_SQLITE_PATH hoặc DATABASE_URL mới).")
    started = time.perf_counter()
    demo_build(people=args.people)
    print(f"demo city of {args.people} people built in {time.perf_counter() - started:.1f} s")
    actor = User.objects.create(username="bench-what-if", is_superuser=True, is_staff=True)
    root = Unit.objects.get(code=ROOT_CODE)
    period = period_open(
        actor=actor, unit=root, kind="year", year=2026, number=None, ruleset="qd-366-2025"
    )
    evaluations = Evaluation.objects.filter(period=period)
    evaluations.update(score=Value(60) + Mod(F("id") * 37, 40), state=EvaluationState.VERIFIED)
    count = evaluations.count()
    if args.propose:
        started = time.perf_counter()
        period_propose(actor=actor, period=period)
        elapsed = time.perf_counter() - started
        print(f"period_propose (qd-366-2025): {count} evaluations in {elapsed:.1f} s")
    else:
        evaluations.update(
            proposed_level=Case(
                When(score__gte=90, then=Value("HTXS")),
                When(score__gte=70, then=Value("HTT")),
                default=Value("HTNV"),
            )
        )
    stored = list(evaluations.order_by("pk").values_list("pk", "proposed_level"))
    audit = AuditEvent.objects.count()
    for label, kwargs in (
        ("nd-335-2025", {"ruleset": "nd-335-2025"}),
        ("qd-366-2025, quota_base = good_only", {"options": {"quota_base": "good_only"}}),
    ):
        started = time.perf_counter()
        result = what_if(period, **kwargs)
        elapsed = time.perf_counter() - started
        print(
            f"what_if ({label}): {count} evaluations in {elapsed:.1f} s "
            f"({count / elapsed:,.0f}/s); {len(result.changes)} levels change, HTXS "
            f"{result.total.before['HTXS']} → {result.total.after['HTXS']}"
        )
        started = time.perf_counter()
        text = json.dumps(what_if_pack(result))  # as the JSON field writes it
        read_back = what_if_unpack(period, json.loads(text))
        read = time.perf_counter() - started
        started = time.perf_counter()
        workbook = what_if_xlsx(read_back)
        excel = time.perf_counter() - started
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as stored_file:
            stored_file.write(workbook)
            stored_file.flush()
            started = time.perf_counter()
            with open(stored_file.name, "rb") as handle:
                sent = len(FileResponse(handle).getvalue())
            send = time.perf_counter() - started
        assert sent == len(workbook)
        print(
            f"  stored result: {len(text) / 1e6:.1f} MB of JSON, packed and read back in "
            f"{read:.1f} s; its Excel ({len(workbook) / 1e6:.1f} MB) in {excel:.1f} s, built "
            f"by the job; the download sends the stored file in {send:.3f} s"
        )
    unchanged = stored == list(evaluations.order_by("pk").values_list("pk", "proposed_level"))
    print(f"nothing written: {unchanged and AuditEvent.objects.count() == audit}")


if __name__ == "__main__":
    main()
