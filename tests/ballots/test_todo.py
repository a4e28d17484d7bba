"""Today's work in confidence votes: the organiser is told what each vote waits for, and a
paper batch waits for a member of the committee other than the one who entered it."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.ballots.helpers import open_campaign
from tests.conftest import PASSWORD
from tests.opinions.helpers import sibling_organiser
from thuocdo.ballots.models import Campaign, CampaignState, PaperBatch
from thuocdo.ballots.todo import todo_for
from thuocdo.org import services as org
from thuocdo.org.scope import today


def _keys(user) -> dict[str, int]:
    return {item.key: item.count for item in todo_for(user)}


def test_each_step_of_a_vote_waits_on_the_organisers_home_page(world):
    issued = open_campaign(world, count=5)
    campaign = issued.campaign
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.DRAFT)
    (item,) = todo_for(world.users["olga"])
    assert item.text == "1 cuộc lấy phiếu tín nhiệm chưa mở bỏ phiếu"
    assert item.url == reverse("ballots:campaign-detail", args=[campaign.pk])

    # Open: waits for counting only once the meeting has been held.
    Campaign.objects.filter(pk=campaign.pk).update(
        state=CampaignState.OPEN, meeting_date=today() + datetime.timedelta(days=3)
    )
    assert todo_for(world.users["olga"]) == []
    Campaign.objects.filter(pk=campaign.pk).update(meeting_date=today())
    assert _keys(world.users["olga"]) == {"ballots.to-count": 1}
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    assert _keys(world.users["olga"]) == {"ballots.to-publish": 1}
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.PUBLISHED)
    assert todo_for(world.users["olga"]) == []


def test_a_paper_batch_waits_for_another_member_of_the_committee(world):
    campaign = open_campaign(world, count=5).campaign
    Campaign.objects.filter(pk=campaign.pk).update(meeting_date=today() + datetime.timedelta(1))
    second = org.user_create(actor=None, username="olga2", password=PASSWORD)
    org.role_assign(actor=None, user=second, role="organiser", unit=world.q1)
    batch = PaperBatch.objects.create(
        campaign=campaign, number=1, ballot_count=3, entered_by=world.users["olga"]
    )
    assert todo_for(world.users["olga"]) == []
    (item,) = todo_for(second)
    assert item.key == "ballots.batches-to-check"
    assert item.url == reverse("ballots:batch-detail", args=[batch.pk])


def test_the_sibling_district_and_the_administrator_are_not_asked(world):
    campaign = open_campaign(world, count=5).campaign
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    assert todo_for(sibling_organiser(world)) == []
    assert todo_for(world.users["root"]) == []
    assert todo_for(world.users["hana"]) == []
