"""Reads of confidence votes: turnout only while open, the recorded result once counted, and
consequences on a person's record only once published."""

from __future__ import annotations

import pytest

from tests.ballots.helpers import marks, open_campaign
from thuocdo.ballots import selectors, services

pytestmark = pytest.mark.django_db


def test_turnout_while_open_then_the_recorded_result(world) -> None:
    issued = open_campaign(world, 6)
    campaign = issued.campaign
    for _p, code in issued.codes[:5]:
        services.ballot_cast(code=code, marks=marks(campaign, "low", "trust"))
    assert selectors.turnout(campaign) == (5, 6)
    assert selectors.campaign_result(campaign) is None
    listed = vars(selectors.campaign_list(actor=world.users["olga"]).get())  # annotated
    assert (listed["turnout"], listed["summoned"]) == (5, 6)
    closed = services.campaign_close(actor=world.users["olga"], campaign=campaign)
    counted = selectors.campaign_result(campaign)
    assert counted is not None and counted.result == closed
    assert counted.rows[0].flag is not None and counted.rows[1].flag is None
    assert counted.shares_label == "số người được triệu tập"


def test_a_persons_consequences_show_once_the_vote_is_published(world) -> None:
    issued = open_campaign(world, 3)
    for _p, code in issued.codes:
        services.ballot_cast(code=code, marks=marks(issued.campaign, "low", "high"))
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    assert not selectors.person_flags(world.hana).exists()
    services.campaign_publish(actor=world.users["olga"], campaign=issued.campaign)
    (flag,) = selectors.person_flags(world.hana)
    assert flag.get_consequence_display() == "Xem xét miễn nhiệm"
    assert not selectors.person_flags(world.lena).exists()
