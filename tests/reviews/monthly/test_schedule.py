"""The city's option: the next month opens by itself on its first day (`thuocdo periods
open-due`, run daily, idempotent), and a month that is over gets its levels."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.jobs.follow import follow_job
from thuocdo.reviews.models import MonthlyScore, MonthSchedule, Period
from thuocdo.reviews.monthly import schedule, services

D = Decimal


def _run(date: str) -> str:
    out = io.StringIO()
    call_command("periods", "open-due", "--date", date, stdout=out)
    return out.getvalue()


def test_the_next_month_opens_itself_once(world):
    schedule.month_schedule_set(actor=world.users["root"], unit=world.city, ruleset="nd-335-2025")
    assert "Mở 1 kỳ tháng" in _run("2027-01-01")
    assert "Mở 0 kỳ tháng" in _run("2027-01-01")  # twice in a day opens nothing more
    assert "Mở 0 kỳ tháng" in _run("2027-01-15")
    period = Period.objects.get()
    assert (period.unit, period.year, period.number, period.kind) == (world.city, 2027, 1, "month")
    assert "Mở 1 kỳ tháng" in _run("2027-02-01")


def test_a_month_already_opened_by_hand_is_not_opened_again(world):
    schedule.month_schedule_set(actor=world.users["root"], unit=world.city, ruleset="nd-335-2025")
    services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=2027,
        number=3,
        ruleset="nd-335-2025",
    )
    assert "Mở 0 kỳ tháng" in _run("2027-03-01")


def test_only_a_head_or_organiser_over_the_unit_sets_the_option(world):
    with pytest.raises(PermissionDenied):
        schedule.month_schedule_set(
            actor=world.users["olga"], unit=world.city, ruleset="nd-335-2025"
        )
    assert not MonthSchedule.objects.exists()


def test_the_page_opens_the_city_once_and_schedules_the_next_months(client, world):
    client.force_login(world.users["root"])
    form = {
        "unit": world.city.pk,
        "kind": "month",
        "year": 2027,
        "month": 4,
        "ruleset": "nd-335-2025",
        "schedule": "1",
    }
    page = follow_job(client, client.post(reverse("reviews:period-list"), form)).content.decode()
    assert "Đã mở Tháng 04/2027" in page
    assert MonthSchedule.objects.get().unit == world.city
    page = client.get(reverse("reviews:period-list")).content.decode()
    assert "đang bật" in page
    client.post(reverse("reviews:schedule-toggle", args=[world.city.pk]), {"enabled": "0"})
    assert not MonthSchedule.objects.get().enabled


def test_a_month_scored_while_it_ran_gets_its_levels_once_over(world):
    at = datetime.date.today()
    period = services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=at.year,
        number=at.month,
        ruleset="nd-335-2025",
    )
    services.assessment_record(
        actor=world.users["lena"],
        period=period,
        person_id=world.alice.pk,
        source="leader",
        general=D(28),
    )
    assert MonthlyScore.objects.get(period=period, person=world.alice).level == ""
    next_month = (at.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    output = _run(next_month.isoformat())
    assert f"Đã xếp loại {period}" in output
    # 28 points and no task in the month: once it is over, the level follows the data.
    assert MonthlyScore.objects.get(period=period, person=world.alice).level == "KHT"
    assert "xếp loại 0 kỳ" in _run(next_month.isoformat())


def test_the_command_opens_a_month_for_the_whole_city_once(world):
    out = io.StringIO()
    call_command(
        "periods", "open", "--unit", "TP", "--year", "2027", "--month", "5", "--schedule",
        "--user", "root", stdout=out,
    )  # fmt: skip
    assert "Đã mở Tháng 05/2027 — Thành phố Mẫu." in out.getvalue()
    assert MonthSchedule.objects.get().unit == world.city
    with pytest.raises(CommandError, match="đã mở và bao gồm Quận Một"):
        call_command(
            "periods", "open", "--unit", "Q1", "--year", "2027", "--month", "5",
            "--user", "root", stdout=out,
        )  # fmt: skip


def test_a_month_closed_before_its_levels_is_left_as_closed_and_the_others_get_theirs(world):
    from thuocdo.work.locking import month_lock

    periods = {}
    for unit in (world.q1, world.q2):
        periods[unit.code] = services.period_open(
            actor=world.users["root"],
            unit=unit,
            kind="month",
            year=2025,
            number=3,
            ruleset="nd-335-2025",
        )
        services.month_scores_compute(
            actor=world.users["root"], period=periods[unit.code], at=datetime.date(2025, 3, 15)
        )
    month_lock(actor=world.users["olga"], unit=world.q1, year=2025, month=3)
    output = _run("2025-04-02")
    assert f"Không xếp loại {periods['Q1']}: Tháng 03/2025 của Quận Một đã khóa sổ" in output
    assert f"Đã xếp loại {periods['Q2']}" in output
    assert MonthlyScore.objects.get(person=world.alice).level == ""
    assert MonthlyScore.objects.get(person=world.bob).level != ""
