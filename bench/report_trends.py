"""Trends across years and the comparison of equivalent positions over the whole demo city.

Builds the same data as `bench/report_distribution.py` (the demo city, default 200,000 people,
its three past years of history and a published 2026 over the city, with a score for every
evaluation), then times, median of three runs each: the city's trends over 2023–2026 (all
groups, and Party members alone), a district's, and the comparison of equivalent positions of
2026 for the city, for civil servants alone and for a district.

    THUOCDO_SQLITE_PATH=/tmp/trends.sqlite3 .venv/bin/python bench/report_trends.py [--people N]
    DATABASE_URL=postgres://.../thuocdo_bench .venv/bin/python bench/report_trends.py
"""

from __future__ import annotations

import argparse

from report_city import YEAR, report_city_build, timed

from thuocdo.reports.positions.selectors import position_comparison
from thuocdo.reports.trends.selectors import year_trends


def main() -> None:
    """Build the city and its results, then time the reports."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    args = parser.parse_args()
    root, district = report_city_build(people=args.people)
    timed("trends of the city, 2023–2026, all groups", lambda: year_trends(unit=root))
    timed(
        "trends of the city, Party members",
        lambda: year_trends(unit=root, group="party_member"),
    )
    timed("trends of district Q01, all groups", lambda: year_trends(unit=district))
    timed(
        f"positions of the city, {YEAR}, all groups",
        lambda: position_comparison(unit=root, year=YEAR),
    )
    timed(
        f"positions of the city, {YEAR}, civil servants",
        lambda: position_comparison(unit=root, year=YEAR, group="civil_servant"),
    )
    timed(
        f"positions of district Q01, {YEAR}", lambda: position_comparison(unit=district, year=YEAR)
    )


if __name__ == "__main__":
    main()
