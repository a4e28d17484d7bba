"""Confidence votes through the services: one vote per code, quorum, thresholds, consequences,
paper batches checked by a second person (issue 7, acceptance)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.ballots.helpers import marks, open_campaign, second_counter, sibling_organiser
from tests.reviews.annual.cycle import open_year
from thuocdo.audit.models import AuditEvent
from thuocdo.ballots import services
from thuocdo.ballots.models import Ballot, CampaignState, ConsequenceFlag, SealedBallot
from thuocdo.rules import confidence as rules

pytestmark = pytest.mark.django_db


def _vote(issued, lows: int, *, voting: int | None = None) -> None:
    """`voting` voters vote (all by default): the first `lows` mark Hana low, Lena high."""
    for k, (_person, code) in enumerate(issued.codes[: voting or len(issued.codes)]):
        hana = "low" if k < lows else ("trust" if k % 2 else "high")
        services.ballot_cast(code=code, marks=marks(issued.campaign, hana, "high"))


@pytest.mark.parametrize(
    ("lows", "consequence"),
    [(15, None), (16, rules.OUT_OF_PLANNING), (20, rules.DISMISSAL), (30, rules.DISMISSAL)],
)
def test_thirty_summoned_the_lows_decide_the_flag(world, lows, consequence) -> None:
    issued = open_campaign(world)
    _vote(issued, lows)
    result = services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    assert result.status == "hợp lệ"
    campaign = issued.campaign
    campaign.refresh_from_db()
    assert (campaign.summoned_count, campaign.participated_count) == (30, 30)
    assert campaign.status_label == "hợp lệ" and campaign.state == CampaignState.CLOSED
    flags = list(ConsequenceFlag.objects.filter(campaign=campaign))
    if consequence is None:
        assert flags == []
        return
    (flag,) = flags
    assert flag.person == world.hana and flag.consequence == consequence
    assert flag.source == rules.SOURCE and f"{lows}/30" in flag.reason
    assert flag.trace[0]["rule"] == rules.RULE_QUORUM and flag.trace[-1]["rule"] == flag.rule
    assert flag.get_consequence_display() == rules.CONSEQUENCES[consequence]


def test_below_quorum_the_vote_is_invalid_and_nothing_is_flagged(world) -> None:
    issued = open_campaign(world)
    _vote(issued, 19, voting=19)  # 19/30 < 2/3, every one of them low on Hana
    result = services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    assert result.status == "không hợp lệ" and result.participated == 19
    assert issued.campaign.status_label == "không hợp lệ"
    assert not ConsequenceFlag.objects.exists()
    hana = issued.campaign.candidates.get(person=world.hana)
    assert hana.low == 19  # counted and shown, without consequence


def test_the_flag_links_the_evaluation_of_the_year(world) -> None:
    period = open_year(world)
    issued = open_campaign(world)
    _vote(issued, 25)
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    flag = ConsequenceFlag.objects.get()
    assert flag.evaluation is not None
    assert flag.evaluation.period == period and flag.evaluation.person == world.hana


def test_a_code_votes_once_and_a_forged_or_reused_code_is_refused(world) -> None:
    issued = open_campaign(world, 5)
    _person, code = issued.codes[0]
    ballot = marks(issued.campaign, "high", "trust")
    services.ballot_cast(code=code, marks=ballot)
    for attempt in [code, code.lower().replace("-", " "), "ABCD-EFGH-JKLM", ""]:
        with pytest.raises(ValidationError) as refused:
            services.ballot_cast(code=attempt, marks=ballot)
        assert refused.value.messages == [services.CODE_REFUSED]
    assert (
        SealedBallot.objects.count() == 1 and not Ballot.objects.exists()
    )  # sealed until the close
    assert issued.campaign.roll.filter(voted=True).count() == 1


def test_a_ballot_must_mark_every_cadre_once_and_a_refused_one_spends_no_code(world) -> None:
    issued = open_campaign(world, 5)
    _person, code = issued.codes[0]
    hana = str(issued.campaign.candidates.get(person=world.hana).pk)
    with pytest.raises(ValidationError, match="Lê Thị Lan"):
        services.ballot_cast(code=code, marks={hana: "low"})
    with pytest.raises(ValidationError):
        services.ballot_cast(
            code=code, marks={**marks(issued.campaign, "low", "low"), "999": "low"}
        )
    assert not SealedBallot.objects.exists()
    services.ballot_cast(code=code, marks=marks(issued.campaign, "low", "low"))  # still live


def test_no_code_works_once_the_vote_is_closed(world) -> None:
    issued = open_campaign(world, 3)
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    with pytest.raises(ValidationError):
        services.ballot_cast(code=issued.codes[0][1], marks=marks(issued.campaign, "low", "low"))
    assert not issued.campaign.roll.exclude(credential_hash=None).exists()  # codes forgotten


def test_the_audit_trail_has_the_organiser_steps_and_nothing_per_ballot(world) -> None:
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    issued = open_campaign(world, 6)
    _vote(issued, 2)
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    services.campaign_publish(actor=world.users["olga"], campaign=issued.campaign)
    actions = list(
        AuditEvent.objects.filter(id__gt=start).order_by("id").values_list("action", flat=True)
    )
    assert [a for a in actions if a.startswith("ballot")] == [
        "ballot_campaign.create", "ballot_campaign.open", "ballot_campaign.close",
        "ballot_campaign.publish",
    ]  # fmt: skip


def test_paper_ballots_count_only_once_a_second_person_has_checked_them(world) -> None:
    issued = open_campaign(world, 6)
    campaign, olga, oanh = issued.campaign, world.users["olga"], second_counter(world)
    for _p, code in issued.codes[:3]:
        services.ballot_cast(code=code, marks=marks(campaign, "low", "high"))
    paper_people = [p for p, _c in issued.codes[3:]]
    assert services.paper_issue(actor=olga, campaign=campaign, people=paper_people) == 3
    with pytest.raises(ValidationError, match="Đã bỏ phiếu"):
        services.paper_issue(actor=olga, campaign=campaign, people=[issued.codes[0][0]])
    with pytest.raises(ValidationError):  # a paper voter's code no longer works
        services.ballot_cast(code=issued.codes[3][1], marks=marks(campaign, "low", "low"))
    with pytest.raises(ValidationError, match="Phiếu thứ 2"):
        services.batch_enter(
            actor=olga, campaign=campaign, ballots=[marks(campaign, "low", "low"), {}]
        )
    batch = services.batch_enter(
        actor=olga, campaign=campaign,
        ballots=[marks(campaign, "low", "trust"), marks(campaign, "high", "high"), None],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="nhiều hơn số phiếu đã phát"):
        services.batch_enter(actor=olga, campaign=campaign, ballots=[None])
    with pytest.raises(ValidationError, match="khác người đã nhập"):
        services.batch_check(actor=olga, batch=batch)
    with pytest.raises(ValidationError, match="chưa được người thứ hai kiểm tra"):
        services.campaign_close(actor=olga, campaign=campaign)
    services.batch_check(actor=oanh, batch=batch)
    result = services.campaign_close(actor=olga, campaign=campaign)
    assert (result.participated, result.valid_ballots, result.invalid_ballots) == (6, 5, 1)
    hana = result.candidates[0]
    assert hana.counts == {"high": 1, "trust": 0, "low": 4}
    assert Ballot.objects.filter(campaign=campaign).count() == 6  # paper ones joined the rest
    batch.refresh_from_db()
    assert batch.ballots == [] and batch.ballot_count == 3


def test_the_administrator_and_a_sibling_organiser_cannot_count_or_run(world) -> None:
    issued = open_campaign(world, 3)
    services.paper_issue(actor=world.users["olga"], campaign=issued.campaign,
                         people=[issued.codes[0][0]])  # fmt: skip
    otto = sibling_organiser(world)
    for outsider in (world.users["root"], otto):
        with pytest.raises(PermissionDenied):
            services.batch_enter(actor=outsider, campaign=issued.campaign, ballots=[None])
    with pytest.raises(PermissionDenied):
        services.campaign_close(actor=otto, campaign=issued.campaign)


def test_a_campaign_takes_only_people_in_the_organisers_scope(world) -> None:
    with pytest.raises(ValidationError, match="ngoài phạm vi"):
        services.campaign_create(
            actor=world.users["olga"],
            unit=world.q1,
            title="Lấy phiếu",
            meeting_date=datetime.date(2026, 12, 15),
            candidates=[world.hana],
            summoned=[world.alice, world.bob],  # Bob works in Quận Hai
        )
