"""The summary of imported history the reports read: `HistoryCount`, rebuilt for a year by one
DELETE and one INSERT … SELECT … GROUP BY, in the caller's transaction.

Every write of `HistoricalResult` calls `history_counts_refresh` for the years it touched (the
import, the demo's history and careers); `thuocdo report refresh` rebuilds all years, needed
only after rows were written by hand in the database (a backup holds the summary with its
rows). A year of the 200.000-person city is about 270.000 rows; its summary a few thousand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from thuocdo.reports.models import HistoricalResult, HistoryCount

# The key of the PostgreSQL advisory lock that serialises refreshes: two imports of the same
# year at once would otherwise both delete the old rows and both insert, one failing on the
# unique key. "TDHC" in ASCII.
LOCK_KEY = 0x54444843


@transaction.atomic
def history_counts_refresh(*, years: Iterable[int] | None = None) -> int:
    """Rebuild the summary of the given years (all years when None); returns its row count."""
    summary, rows = HistoryCount._meta.db_table, HistoricalResult._meta.db_table
    chosen = sorted(set(years)) if years is not None else None
    if chosen == []:
        return 0
    where, params = "", []
    if chosen is not None:
        where = f"WHERE year IN ({', '.join(['%s'] * len(chosen))})"
        params = list(chosen)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        cursor.execute(f"DELETE FROM {summary} {where}", params)  # noqa: S608 (our tables)
        cursor.execute(
            f"INSERT INTO {summary} (year, unit_id, {connection.ops.quote_name('group')},"  # noqa: S608
            " level, n, scored, score_sum)"
            f" SELECT year, unit_id, {connection.ops.quote_name('group')}, level, COUNT(*),"
            f" COUNT(score), COALESCE(SUM(score), 0) FROM {rows} {where}"
            f" GROUP BY year, unit_id, {connection.ops.quote_name('group')}, level",
            params,
        )
        written: int = cursor.rowcount
        return written
