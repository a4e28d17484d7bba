"""The collective meeting: quorum, votes within those present, majority, closing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.opinions.helpers import year_and_alice
from thuocdo.audit.models import AuditEvent
from thuocdo.opinions import services
from thuocdo.opinions.models import NO_MAJORITY, Meeting
from thuocdo.opinions.services import INVALID_MEETING, majority, quorum_met

HTT_5 = {"HTXS": 0, "HTT": 2, "HTNV": 0, "KHT": 0}


def _meeting(world: Any, present: list[Any], **extra: Any) -> Meeting:
    period, _ = year_and_alice(world)
    return services.meeting_open(
        actor=world.users["olga"],
        period=period,
        unit=world.p1,
        held_on=datetime.date(2026, 12, 10),
        chair=world.lena,
        secretary=present[-1],
        summoned=[world.alice, world.carol, world.lena],
        present=present,
        minutes="Họp kiểm điểm cuối năm.",
        **extra,
    )


@pytest.mark.parametrize(
    ("present", "summoned", "rule", "ok"),
    [(2, 3, (2, 3), True), (1, 3, (2, 3), False), (6, 9, (2, 3), True), (5, 9, (2, 3), False),
     (5, 10, (1, 2), True), (0, 0, (2, 3), False)],
)  # fmt: skip
def test_quorum_is_two_thirds_of_those_summoned_by_default(
    present: int, summoned: int, rule: tuple[int, int], ok: bool
) -> None:
    assert (
        quorum_met(present=present, summoned=summoned, numerator=rule[0], denominator=rule[1]) is ok
    )


@pytest.mark.parametrize(
    ("counts", "present", "result"),
    [({"HTT": 2}, 3, "HTT"), ({"HTXS": 2, "HTT": 2}, 4, NO_MAJORITY),
     ({"HTXS": 3, "HTT": 1}, 5, "HTXS"), ({"HTT": 1}, 3, NO_MAJORITY), ({"KHT": 4}, 7, "KHT")],
)  # fmt: skip
def test_the_result_is_the_level_with_a_majority_of_those_present(
    counts: dict[str, int], present: int, result: str
) -> None:
    assert majority(counts, present) == result


def test_a_meeting_at_quorum_records_the_majority_level(world: Any) -> None:
    meeting = _meeting(world, [world.lena, world.alice])
    ev = meeting.period.evaluations.get(person=world.alice)
    vote = services.meeting_record_votes(
        actor=world.users["olga"],
        meeting=meeting,
        evaluation=ev,
        proposed_level="HTT",
        counts=HTT_5,
    )
    assert meeting.is_valid and vote.result == "HTT"
    assert AuditEvent.objects.filter(action="meeting.vote", object_id=str(vote.pk)).exists()


def test_a_meeting_below_quorum_is_invalid_and_its_votes_do_not_count(world: Any) -> None:
    meeting = _meeting(world, [world.lena])
    ev = meeting.period.evaluations.get(person=world.alice)
    vote = services.meeting_record_votes(
        actor=world.users["olga"],
        meeting=meeting,
        evaluation=ev,
        proposed_level="HTT",
        counts={"HTT": 1},
    )
    assert not meeting.is_valid
    assert vote.result == INVALID_MEETING


def test_votes_over_those_present_are_refused(world: Any) -> None:
    meeting = _meeting(world, [world.lena, world.alice])
    ev = meeting.period.evaluations.get(person=world.alice)
    with pytest.raises(ValidationError, match="vượt quá số thành viên có mặt"):
        services.meeting_record_votes(
            actor=world.users["olga"],
            meeting=meeting,
            evaluation=ev,
            proposed_level="HTT",
            counts={"HTXS": 1, "HTT": 2},
        )


def test_a_quorum_can_be_configured_per_meeting(world: Any) -> None:
    meeting = _meeting(world, [world.lena], quorum=(1, 3))
    assert meeting.is_valid and meeting.quorum_label == "1/3"


def test_someone_present_must_have_been_summoned(world: Any) -> None:
    period, _ = year_and_alice(world)
    with pytest.raises(ValidationError, match="triệu tập"):
        services.meeting_open(
            actor=world.users["olga"],
            period=period,
            unit=world.p1,
            held_on=datetime.date(2026, 12, 10),
            chair=world.lena,
            secretary=world.lena,
            summoned=[world.lena],
            present=[world.lena, world.bob],
        )


def test_a_closed_meeting_refuses_more_votes(world: Any) -> None:
    meeting = _meeting(world, [world.lena, world.alice])
    services.meeting_close(actor=world.users["olga"], meeting=meeting, minutes="Kết thúc.")
    ev = meeting.period.evaluations.get(person=world.alice)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.meeting_record_votes(
            actor=world.users["olga"],
            meeting=meeting,
            evaluation=ev,
            proposed_level="HTT",
            counts=HTT_5,
        )


def test_the_vote_page_records_counts_and_refuses_too_many(world: Any, client: Any) -> None:
    meeting = _meeting(world, [world.lena, world.alice])
    ev = meeting.period.evaluations.get(person=world.alice)
    carol_ev = meeting.period.evaluations.get(person=world.carol)
    client.force_login(world.users["olga"])
    url = f"/hop-tap-the/{meeting.pk}/bieu-quyet/"
    post = {f"e{ev.pk}_level": "HTT", f"e{ev.pk}_htt": "2"}
    post |= {f"e{carol_ev.pk}_level": "HTXS", f"e{carol_ev.pk}_htxs": "3"}
    response = client.post(url, post, follow=True)
    assert response.status_code == 200
    assert meeting.votes.get(evaluation=ev).result == "HTT"
    assert not meeting.votes.filter(evaluation=carol_ev).exists()
    assert "vượt quá số thành viên có mặt" in response.content.decode()
