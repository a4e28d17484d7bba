"""The distribution report of the whole demo city, from history and from a system year.

On the data of `bench/report_city.py` (the demo city, default 200,000 people, its three past
years and a published 2026), times, median of three runs each: the city's report of a past
year (imported history), of 2026 (the system's evaluations), one group alone, a district, and
the dashboard of the city; then the dashboard page itself (`/bao-cao/tong-quan/`, the city's
latest year with its trend) through the test client as a superuser, 20 requests, p50 and p95.

    THUOCDO_SQLITE_PATH=/tmp/report.sqlite3 .venv/bin/python bench/report_distribution.py
        [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/report_distribution.py
"""

from __future__ import annotations

import argparse
import statistics
import time

from django.test import Client
from django.urls import reverse
from report_city import YEAR, report_city_build, timed

from thuocdo.org.models import User
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.dashboard.charts import dashboard_data


def main() -> None:
    """Build the city and its results, then time the reports."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    args = parser.parse_args()
    root, district = report_city_build(people=args.people)
    past = YEAR - 1
    timed(f"city, {past}, all groups (history)", lambda: distribution_report(unit=root, year=past))
    timed(
        f"city, {YEAR}, all groups (evaluations)", lambda: distribution_report(unit=root, year=YEAR)
    )
    timed(
        f"city, {YEAR}, Party members",
        lambda: distribution_report(unit=root, year=YEAR, group="party_member"),
    )
    timed(
        f"district Q01, {past}, all groups", lambda: distribution_report(unit=district, year=past)
    )
    timed(
        f"dashboard of the city, {YEAR}",
        lambda: dashboard_data(report=distribution_report(unit=root, year=YEAR)),
    )
    page_timed(reverse("reports:dashboard"))


def page_timed(path: str, runs: int = 20) -> None:
    """Time a page through the test client (after one warm request): p50 and p95."""
    client = Client()
    client.force_login(User.objects.get(username="bench-report"))
    assert client.get(path).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(times, n=20, method="inclusive")
    print(
        f"the dashboard page {path}: p50 {cuts[9]:.0f} ms, p95 {cuts[18]:.0f} ms ({runs} requests)"
    )


if __name__ == "__main__":
    main()
