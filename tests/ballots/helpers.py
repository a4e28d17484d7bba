"""Shared set-up of the ballot tests: a body of voters in Quận Một and a campaign on it."""

from __future__ import annotations

import datetime
from typing import Any

from tests.conftest import PASSWORD
from thuocdo.ballots import services
from thuocdo.ballots.models import Campaign, Candidate
from thuocdo.ballots.services import IssuedCredentials
from thuocdo.org import services as org
from thuocdo.org.models import Person, User

MEETING = datetime.date(2026, 12, 15)
GIVEN = ["An", "Bảo", "Cường", "Dũng", "Đức", "Giang", "Hà", "Khánh", "Linh", "Minh"]


def voters(world: Any, count: int) -> list[Person]:
    """`count` members of Quận Một's executive committee (cán bộ with a post in Q1)."""
    people = []
    for k in range(count):
        person = org.person_create(
            None,
            code=f"UV-{k:02d}",
            full_name=f"Phạm Văn {GIVEN[k % 10]} {k // 10 + 1}",
            birth_date=datetime.date(1975 + k % 20, 5, 1),
            gender="male",
            category="cadre",
            is_party_member=True,
        )
        org.post_create(
            None, person=person, unit=world.q1, title="Ủy viên Ban Chấp hành",
            start_date=datetime.date(2020, 1, 1),
        )  # fmt: skip
        people.append(person)
    return people


def open_campaign(
    world: Any, count: int = 30, *, base: str = "summoned", candidates: list[Person] | None = None
) -> IssuedCredentials:
    """Olga sets up a vote on Hana (and Lena) by `count` voters of Q1 and opens it."""
    campaign = services.campaign_create(
        actor=world.users["olga"],
        unit=world.q1,
        title="Lấy phiếu tín nhiệm giữa nhiệm kỳ 2026",
        meeting_date=MEETING,
        candidates=candidates or [world.hana, world.lena],
        summoned=voters(world, count),
        committee=[world.lena, world.alice],
        base=base,
    )
    return services.campaign_open(actor=world.users["olga"], campaign=campaign)


def marks(campaign: Campaign, *choices: str) -> dict[str, str]:
    """A ballot: the choices in ballot order."""
    cands = list(Candidate.objects.filter(campaign=campaign).order_by("position"))
    return {str(c.pk): choice for c, choice in zip(cands, choices, strict=True)}


def second_counter(world: Any) -> User:
    """Oanh, a second organiser of Q1: checks the batches Olga enters."""
    user = org.user_create(actor=None, username="oanh", password=PASSWORD)
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q1)
    return user


def sibling_organiser(world: Any) -> User:
    """Otto, organiser of Quận Hai: must see nothing of Quận Một."""
    user = org.user_create(actor=None, username="otto", password=PASSWORD)
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q2)
    return user
