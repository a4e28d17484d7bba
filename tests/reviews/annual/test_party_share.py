"""NĐ 90 Điều 2 k6 (added by NĐ 48/2023) in a year: "Tỷ lệ cán bộ, công chức, viên chức xếp loại
'Hoàn thành xuất sắc nhiệm vụ' trong tổng số … không quá tỷ lệ đảng viên được xếp loại 'Hoàn
thành xuất sắc nhiệm vụ'", checked once the unit's Party results exist (DESIGN §4.7.5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.reviews.annual.cycle import open_year
from thuocdo.org import services as org
from thuocdo.org.models import Person
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.simulation import what_if
from thuocdo.reviews.models import Evaluation, EvaluationState, Period

XS = dict.fromkeys(["politics", "ethics", "style", "discipline", "results"], "xuat_sac")
TOT = dict.fromkeys(["politics", "ethics", "style", "discipline", "results"], "tot")


def _school(world) -> tuple[Period, list[Person]]:
    """A school of five viên chức, all Party members, under NĐ 90; Party members under 366."""
    school = org.unit_create(
        actor=None, code="S1", name="Trường Tiểu học Một", kind="public_service", parent=world.p1
    )
    people = []
    for i in range(5):
        person = org.person_create(
            None,
            code=f"VC-{i}",
            full_name=f"Giáo Viên Số {i}",
            birth_date=datetime.date(1985, 1, 1),
            gender="female",
            category="public_employee",
            is_party_member=True,
        )
        org.post_create(
            None,
            person=person,
            unit=school,
            title="Giáo viên",
            duty_group="GV",
            start_date=datetime.date(2020, 1, 1),
        )
        people.append(person)
    period = open_year(world, unit=school, rulesets={"public_employee": "nd-90-2020"})
    return period, people


def _ready(period: Period, people: list[Person], party_scores: list[int]) -> None:
    """Viên chức 0 rated xuất sắc (an HTXS candidate), the others tốt; the Party members
    scored as given; collectives 80."""
    for ev in Evaluation.objects.filter(period=period):
        if ev.group == "public_employee":
            ev.criteria = XS if ev.person_id == people[0].pk else TOT
        elif ev.group == "party_member":
            index = [p.pk for p in people].index(ev.person_id or 0)
            ev.score = Decimal(party_scores[index])
        else:
            ev.score = Decimal(80)
        ev.state = EvaluationState.VERIFIED
        ev.save(update_fields=["criteria", "score", "state"])


@pytest.mark.parametrize(
    ("party_scores", "state_level", "party_share_in_reason"),
    [
        pytest.param([80, 80, 80, 80, 80], "HTT", "(0%): 1/5", id="no-party-htxs-no-state-htxs"),
        pytest.param([96, 80, 80, 80, 80], "HTXS", None, id="one-of-five-each"),
    ],
)
def test_the_state_htxs_share_follows_the_party_members_share(
    world, party_scores: list[int], state_level: str, party_share_in_reason: str | None
) -> None:
    period, people = _school(world)
    _ready(period, people, party_scores)
    cycle.period_propose(actor=world.users["olga"], period=period)
    state = Evaluation.objects.get(period=period, person=people[0], group="public_employee")
    assert state.proposed_level == state_level
    if party_share_in_reason:
        last = state.trace[-1]
        assert last["rule"] == "quota"
        assert "không được vượt tỷ lệ HTXS của đảng viên " + party_share_in_reason in last["reason"]
        assert "Điều 2, khoản 6" in last["source"]


def test_the_authority_may_not_raise_the_state_share_above_the_party_share(world) -> None:
    period, people = _school(world)
    _ready(period, people, [80, 80, 80, 80, 80])
    cycle.period_propose(actor=world.users["olga"], period=period)
    state = Evaluation.objects.get(period=period, person=people[0], group="public_employee")
    with pytest.raises(ValidationError, match=r"vượt tỷ lệ HTXS của đảng viên của đơn vị \(0%\)"):
        cycle.evaluation_conclude(
            actor=world.users["root"], evaluation=state, level="HTXS", reason="Sáng kiến"
        )


def test_a_simulation_of_the_same_year_repeats_the_party_share_rounds(world) -> None:
    """The simulation runs the same rounds (State, Party, State again) as the proposal."""
    period, people = _school(world)
    _ready(period, people, [80, 80, 80, 80, 80])
    cycle.period_propose(actor=world.users["olga"], period=period)
    result = what_if(period)
    assert result.changes == []
    assert result.proposal is not None  # computed, not read back from a job
    for ev in Evaluation.objects.filter(period=period):
        d = result.proposal.decisions[ev.pk]
        assert (d["level"], d["flags"], d["trace"]) == (ev.proposed_level, ev.flags, ev.trace)
