"""Who sees a campaign and who counts its ballots: organisers of the subtree and the system
administrator see it; only organisers count; anyone else gets the same 404 as for a missing one."""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.ballots.helpers import open_campaign, sibling_organiser
from thuocdo.ballots.models import PaperBatch
from thuocdo.ballots.permissions import access_batch, access_campaign, can_count, can_organise
from thuocdo.org import services as org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "sees", "counts"),
    [
        ("olga", True, True),  # organiser of Quận Một
        ("root", True, False),  # system administrator: runs, never handles ballots
        ("hana", False, False),  # head of Quận Một, on the ballot
        ("alice", False, False),
        ("tam", False, False),  # the authority reads published results on people's records
        ("nobody", False, False),
    ],
)
def test_who_sees_and_who_counts(world, who, sees, counts) -> None:
    campaign = open_campaign(world, 3).campaign
    user = world.users[who]
    batch = PaperBatch.objects.create(campaign=campaign, number=1, entered_by=world.users["olga"])
    if sees:
        assert access_campaign(user, campaign.pk, write=True) == campaign
        assert can_organise(user, campaign.unit)
    else:
        with pytest.raises(Http404):
            access_campaign(user, campaign.pk)
    assert can_count(user, campaign.unit) is counts
    if counts:
        assert access_batch(user, batch.pk) == batch
    else:
        with pytest.raises(Http404):
            access_batch(user, batch.pk)


def test_an_organiser_of_the_city_sees_a_district_campaign_and_a_sibling_does_not(world) -> None:
    campaign = open_campaign(world, 3).campaign
    city = org.user_create(actor=None, username="thanh", password="Mat-khau-thu-2026")
    org.role_assign(actor=None, user=city, role="organiser", unit=world.city)
    assert access_campaign(city, campaign.pk) == campaign
    with pytest.raises(Http404):
        access_campaign(sibling_organiser(world), campaign.pk)


@pytest.mark.parametrize("bad", [0, 999999, "abc", None])
def test_missing_and_malformed_ids_are_404(world, bad) -> None:
    with pytest.raises(Http404):
        access_campaign(world.users["olga"], bad)
