"""The summary of imported history (`HistoryCount`): rebuilt by the import in its transaction,
and by `thuocdo report refresh`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management import call_command

from tests.reports.trend_data import evaluate, history_import, year_period
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.models import HistoryCount
from thuocdo.reviews.models import PeriodCount


def test_an_import_changes_the_summary_in_its_transaction(world: Any) -> None:
    history_import(world, [("H1", "P1", 2021, "HTT", Decimal(80))])
    assert distribution_report(unit=world.city, year=2021).groups[0].counts.count("HTT") == 1
    history_import(world, [("H1", "P1", 2021, "KHT", Decimal(40))])
    counts = distribution_report(unit=world.city, year=2021).groups[0].counts
    assert (counts.count("HTT"), counts.count("KHT")) == (0, 1)
    assert list(HistoryCount.objects.values_list("level", "n", "scored", "score_sum")) == [
        ("KHT", 1, 1, Decimal(40))
    ]


def test_the_refresh_command_rebuilds_a_lost_summary(world: Any) -> None:
    history_import(world, [("H1", "P1", 2021, "HTT", None), ("H2", "P2", 2022, "HTXS", None)])
    HistoryCount.objects.all().delete()
    assert distribution_report(unit=world.city, year=2021).is_empty
    call_command("report", "refresh", "--year", "2021")
    assert distribution_report(unit=world.city, year=2021).imported == 1
    assert distribution_report(unit=world.city, year=2022).is_empty
    call_command("report", "refresh")
    assert distribution_report(unit=world.city, year=2022).imported == 1


def test_the_refresh_command_counts_a_period_published_without_the_service(world: Any) -> None:
    period = year_period(world, 2025, world.q1)
    evaluate(period, world.alice, "HTXS", Decimal(95))
    assert not period.counted
    call_command("report", "refresh", "--year", "2025")
    period.refresh_from_db()
    assert period.counted
    assert list(PeriodCount.objects.values_list("level", "n", "score_sum")) == [
        ("HTXS", 1, Decimal(95))
    ]
    assert distribution_report(unit=world.city, year=2025).evaluated == 1
