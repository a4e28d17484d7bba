"""The summary of a published period's results the reports read (`PeriodCount`): built by the
publication, rebuilt for a unit when an appeal changes one of its results, dropped when the
period is reopened. One DELETE and one INSERT … SELECT … GROUP BY over the period's
evaluations, in the caller's transaction, one recount of a period at a time."""

from __future__ import annotations

from django.db import connection, transaction

from thuocdo.reviews.models import Evaluation, Period, PeriodCount

# The first key of the PostgreSQL advisory lock that serialises the recounts of one period (the
# second is the period's id). "TDPC" in ASCII, kept below 2**31 for the int4 form.
LOCK_CLASS = 0x54445043


@transaction.atomic
def period_counts_refresh(period: Period, *, unit_id: int | None = None) -> None:
    """Count the period's evaluations (of one unit only) and mark the period counted."""
    summary, rows = PeriodCount._meta.db_table, Evaluation._meta.db_table
    group = connection.ops.quote_name("group")
    where, params = "period_id = %s", [period.pk]
    if unit_id is not None:
        where, params = f"{where} AND unit_id = %s", [period.pk, unit_id]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two appeals of one unit decided at once hold different appeals' locks, not the
            # period's: without this, both would delete, both insert, one failing on the key.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, period.pk])
        cursor.execute(f"DELETE FROM {summary} WHERE {where}", params)  # noqa: S608 (our tables)
        cursor.execute(
            f"INSERT INTO {summary} (period_id, unit_id, {group}, level, n, scored, score_sum)"  # noqa: S608
            f" SELECT period_id, unit_id, {group}, level, COUNT(*), COUNT(score),"
            f" COALESCE(SUM(score), 0) FROM {rows} WHERE {where}"
            f" GROUP BY period_id, unit_id, {group}, level",
            params,
        )
    Period.objects.filter(pk=period.pk).update(counted=True)
    period.counted = True


@transaction.atomic
def period_counts_drop(period: Period) -> None:
    """Forget the period's counts: the reports read its evaluations again."""
    PeriodCount.objects.filter(period=period).delete()
    Period.objects.filter(pk=period.pk).update(counted=False)
    period.counted = False
