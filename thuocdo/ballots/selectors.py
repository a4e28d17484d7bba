"""Reads of confidence votes, through the actor's scope. While a vote is open only the turnout
(a count) is read; results exist once the vote is counted, and only as counts per cadre."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from thuocdo.ballots.models import Campaign, CampaignState, Candidate, ConsequenceFlag, PaperBatch
from thuocdo.ballots.permissions import campaigns_q
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import scope_for, today
from thuocdo.org.selectors import unit_text_q
from thuocdo.rules import confidence as rules

COUNTED = (CampaignState.CLOSED, CampaignState.PUBLISHED)


def campaign_list(*, actor: Any) -> QuerySet[Campaign]:
    """Campaigns the actor may see, newest first, with their turnout."""
    return (
        Campaign.objects.filter(campaigns_q(actor))
        .select_related("unit")
        .annotate(
            summoned=Count("roll", distinct=True),
            turnout=Count("roll", filter=Q(roll__voted=True), distinct=True),
        )
    )


def units_matching(units: QuerySet[Unit], text: str) -> QuerySet[Unit]:
    """Units whose name or code holds the text, with their parent, in tree order."""
    found = units.select_related("parent").order_by("path")
    if text:
        found = found.filter(unit_text_q(text))
    return found


def writable_units(*, actor: Any) -> QuerySet[Unit]:
    """Units in which the actor may set up a vote."""
    scope = scope_for(actor)
    units = Unit.objects.filter(is_active=True).order_by("path")
    if scope.everything:
        return units
    q = Q(pk__in=[])
    for path in scope.write_paths:
        q |= Q(path__startswith=path)
    return units.filter(q)


def unit_members(unit: Unit, on: datetime.date | None = None) -> QuerySet[Person]:
    """People holding a post in the unit's subtree on the day, sorted the Vietnamese way."""
    posts = Post.objects.active(on or today()).filter(unit__path__startswith=unit.path)
    return Person.objects.filter(pk__in=posts.values("person_id")).order_by("sort_key", "id")


def roll_people(campaign: Campaign) -> QuerySet[Person]:
    """The people on the roll, in name order (never with whether each has voted)."""
    people = Person.objects.filter(pk__in=campaign.roll.values("person_id"))
    return people.order_by("sort_key", "id")


def turnout(campaign: Campaign) -> tuple[int, int]:
    """(voted, summoned): the only figure read while the vote is open."""
    roll = campaign.roll.aggregate(n=Count("id"), voted=Count("id", filter=Q(voted=True)))
    return roll["voted"], roll["n"]


@dataclass(frozen=True)
class ResultRow:
    """One cadre on the result page and in the minutes."""

    candidate: Candidate
    outcome: rules.CandidateResult
    flag: ConsequenceFlag | None


@dataclass(frozen=True)
class CampaignResult:
    """The counted vote: the rule's result and a row per cadre."""

    campaign: Campaign
    result: rules.VoteResult
    rows: list[ResultRow]

    @property
    def shares_label(self) -> str:
        """What the shares are of."""
        return rules.BASES[self.result.base]


def campaign_result(campaign: Campaign) -> CampaignResult | None:
    """The result recorded at the close (recomputed from the stored counts), else None."""
    if campaign.state not in COUNTED:
        return None
    candidates = list(campaign.candidates.select_related("person", "flag__evaluation__period"))
    result = rules.confidence_result(
        summoned=campaign.summoned_count,
        valid_ballots=campaign.valid_count,
        invalid_ballots=campaign.invalid_count,
        base=campaign.base,
        candidates=[
            rules.CandidateCounts(str(c.pk), c.person.full_name, c.high, c.trust, c.low)
            for c in candidates
        ],
    )
    rows = []
    for candidate, outcome in zip(candidates, result.candidates, strict=True):
        flag = getattr(candidate, "flag", None)
        rows.append(ResultRow(candidate, outcome, flag))
    return CampaignResult(campaign, result, rows)


def batches_of(campaign: Campaign) -> QuerySet[PaperBatch]:
    """The paper batches of a campaign, with who entered and checked them."""
    return campaign.batches.select_related("entered_by", "checked_by").order_by("number")


def person_flags(person: Person) -> QuerySet[ConsequenceFlag]:
    """The consequences of published votes on a person, newest first."""
    return (
        ConsequenceFlag.objects.filter(person=person, campaign__state=CampaignState.PUBLISHED)
        .select_related("campaign", "evaluation__period")
        .order_by("-campaign__meeting_date")
    )
