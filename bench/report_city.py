"""The data the report benchmarks read: the whole demo city with its past and a published year.

Imported first by `bench/report_distribution.py` and `bench/report_trends.py` (it sets Django
up). Builds, in a fresh database, the demo city (default 200,000 people) with its three past
years of results (`thuocdo.demo.history`, about a million rows), opens 2026 over the city under
Quy định 366 (one evaluation per post and collective), gives every evaluation a score and a
level as if concluded, publishes the year and counts it as the publication does (`PeriodCount`),
then (on PostgreSQL) vacuums and analyses, as autovacuum would after such a bulk update.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from thuocdo.demo.history import demo_history_build  # noqa: E402
from thuocdo.demo.registry import ROOT_CODE, demo_build, demo_is_empty  # noqa: E402
from thuocdo.org.models import Unit, User  # noqa: E402
from thuocdo.reports.models import HistoricalResult  # noqa: E402
from thuocdo.reviews.annual.services.counts import period_counts_refresh  # noqa: E402
from thuocdo.reviews.models import Evaluation, PeriodState  # noqa: E402
from thuocdo.reviews.monthly.services import period_open  # noqa: E402

YEAR = 2026
RUNS = 3


def timed(label: str, call: Callable[[], Any]) -> None:
    """Run a call RUNS times and print each time and the median."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    runs = ", ".join(f"{t * 1000:.0f}" for t in times)
    print(f"{label}: median {statistics.median(times) * 1000:.0f} ms (runs {runs} ms)")


def _conclude_and_publish(period_id: int) -> None:
    """Give every evaluation of the year a score and a level, and publish the year."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reviews_evaluation SET score = 60 + (id %% 40), level = CASE"
            " WHEN id %% 97 = 0 THEN 'KHT' WHEN id %% 13 = 0 THEN 'HTNV'"
            " WHEN id %% 6 = 0 THEN 'HTXS' ELSE 'HTT' END, state = 'published'"
            " WHERE period_id = %s",
            [period_id],
        )
        cursor.execute(
            "UPDATE reviews_period SET state = %s WHERE id = %s",
            [str(PeriodState.PUBLISHED), period_id],
        )
    # What autovacuum does soon after such a bulk update, so that the visibility map is set and
    # the reports' counts read their covering index alone (VACUUM runs outside a transaction).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _vacuum_analyze() -> None:
    """On PostgreSQL, our tables vacuumed and analyzed, as autovacuum leaves a city that has
    been running: a city read right after its bulk build has no visibility map (no index-only
    scans) and no statistics, and its reports were a third slower."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')


def report_city_build(*, people: int) -> tuple[Unit, Unit]:
    """Build the city and its results in an empty database; return the root and district Q01."""
    call_command("migrate", verbosity=0)
    if not demo_is_empty():
        sys.exit("Cần một cơ sở dữ liệu trống (THUOCDO_SQLITE_PATH hoặc DATABASE_URL mới).")
    started = time.perf_counter()
    demo_build(people=people)
    demo_history_build(seed=2026, today=datetime.date(YEAR, 12, 1))
    history = HistoricalResult.objects.count()
    actor = User.objects.create(username="bench-report", is_superuser=True, is_staff=True)
    root = Unit.objects.get(code=ROOT_CODE)
    period = period_open(
        actor=actor, unit=root, kind="year", year=YEAR, number=None, ruleset="qd-366-2025"
    )
    _conclude_and_publish(period.pk)
    period_counts_refresh(period)  # as the publication does (period_publish)
    _vacuum_analyze()
    evaluations = Evaluation.objects.filter(period=period).count()
    print(
        f"{people} people, {history} history rows (2023–2025), {evaluations} evaluations "
        f"of {YEAR}; built in {time.perf_counter() - started:.0f} s"
    )
    return root, Unit.objects.get(code="Q01")
