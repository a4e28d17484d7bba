"""Today's work in targets: the head reports last month's results of the unit's indicators;
the organiser assigns the sets still in draft; nobody else is asked."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from tests.opinions.helpers import sibling_organiser
from thuocdo.org.scope import today
from thuocdo.targets import services
from thuocdo.targets.todo import todo_for

AT = today()
LAST = (AT.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _set_with(world, count: int):
    # The year of last month: in January, last year's set still waits for December.
    target_set = services.target_set_create(
        actor=world.users["olga"], unit=world.q1, year=LAST.year
    )
    indicators = [
        services.indicator_add(
            actor=world.users["olga"],
            target_set=target_set,
            code=f"CT{k}",
            name=f"Chỉ tiêu {k}",
            group="party",
            target=Decimal(100),
        )
        for k in range(count)
    ]
    return target_set, indicators


def test_the_organiser_assigns_a_draft_set_and_the_head_reports_its_results(world):
    target_set, indicators = _set_with(world, 3)
    drafts = [item.text for item in todo_for(world.users["olga"])]
    # Only this year's drafts wait (in January, last year's set is no one's work any more).
    assert drafts == ([f"1 bộ chỉ tiêu năm {AT.year} chưa giao"] if LAST.year == AT.year else [])
    assert todo_for(world.users["hana"]) == []  # a draft is not hers yet
    services.target_set_assign(actor=world.users["olga"], target_set=target_set)
    assert todo_for(world.users["olga"]) == []
    (item,) = todo_for(world.users["hana"])
    assert item.text == (
        f"3 chỉ tiêu năm {LAST.year} chưa cập nhật kết quả tháng {LAST.month:02d}/{LAST.year}"
    )
    assert item.url == reverse("targets:set-detail", args=[target_set.pk])
    services.actual_record(
        actor=world.users["hana"], indicator=indicators[0], period=LAST, value=Decimal(40)
    )
    assert todo_for(world.users["hana"])[0].count == 2
    assert todo_for(sibling_organiser(world)) == []
    assert todo_for(world.users["lena"]) == []
