"""Today's work in careers: a review case waits on the home page of the authority that manages
the person, until it records a decision; the organiser, who may read it, is not asked."""

from __future__ import annotations

import datetime

from tests.careers.helpers import low_vote, targets_met
from thuocdo.careers.models import CaseDecision
from thuocdo.careers.todo import todo_for
from thuocdo.org.scope import today

YEAR = today().year


def test_a_case_waits_for_the_authority_until_it_decides(world):
    targets_met(world.q1, world.hana, YEAR, met=5, assigned=10)
    low_vote(world.lena, world.p1, world.users["root"], datetime.date(YEAR, 1, 9))
    (item,) = todo_for(world.users["tam"])
    assert item.count == 1  # Hana, whom BTV Thành ủy manages; not Lena
    assert item.text == f"1 trường hợp cần xem xét năm {YEAR} chờ quyết định"
    assert item.url == f"/xem-xet/?nam={YEAR}"
    CaseDecision.objects.create(
        person=world.hana,
        rule="head-targets-under-70",
        year=YEAR,
        outcome="monitor",
        reason="Tiếp tục theo dõi",
        decided_by=world.users["tam"],
    )
    assert todo_for(world.users["tam"]) == []


def test_the_organiser_and_the_person_are_not_asked_to_decide(world):
    targets_met(world.q1, world.hana, YEAR, met=5, assigned=10)
    for username in ("olga", "hana", "root", "nobody"):
        assert todo_for(world.users[username]) == []
