"""Who the year board puts before whom, and who may act on what (reviews/annual/permissions.py),
against the scope's rules (org/scope.py): a direct leader sees the people of the unit they lead
(`people_q`) but is the superior only of its staff (`people_overseen_q`), never of its head or
deputies, nor of the unit as a collective, whose report (Mẫu 01) is its head's and whose
assessment is the level above's; an organiser oversees a subtree but is nobody's direct leader.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.reviews.annual.cycle import D, evaluation_of, open_year
from thuocdo.org.models import Person
from thuocdo.org.scope import people_overseen_q, people_q, scope_for
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.desk import year_desk
from thuocdo.reviews.annual.permissions import can_enter_on_behalf, can_review, can_write_self
from thuocdo.reviews.annual.selectors import evaluation_list
from thuocdo.reviews.models import AnnualAssessment, EvaluationState, SubjectKind


def _people_on_board(user, period) -> set[int | None]:
    return {row.evaluation.person_id for row in year_desk(actor=user, period=period).people}


def test_the_leader_is_shown_and_acts_on_the_staff_she_oversees_only(world, duc):
    period = open_year(world)
    lena = world.users["lena"]
    scope = scope_for(lena)
    # She sees everyone of the ward, head included, as scope.py says, and nobody else...
    seen = set(Person.objects.filter(people_q(scope)).values_list("pk", flat=True))
    visible = {ev.person_id for ev in evaluation_list(actor=lena, period=period) if ev.person_id}
    assert visible <= seen
    head = evaluation_of(period, duc.person)
    assert head.person_id in visible and world.hana.pk not in visible
    # ...but assesses only those she oversees: the staff, not her head.
    overseen = set(Person.objects.filter(people_overseen_q(scope)).values_list("pk", flat=True))
    assert _people_on_board(lena, period) == {world.alice.pk, world.carol.pk} <= overseen
    assert duc.person.pk not in overseen
    assert not can_review(lena, head) and not can_enter_on_behalf(lena, head)
    # The chairman assesses his deputy; the staff are Lena's.
    assert _people_on_board(duc, period) == {world.lena.pk}


def test_the_leader_neither_writes_nor_assesses_the_collective_of_the_ward(world, duc):
    """The demo offered `lanhdao`, a deputy who leads the ward's staff, «Sửa bản tự kiểm điểm»
    and «Lãnh đạo đánh giá» on the ward's collective: the head's report, the level above's
    assessment."""
    period = open_year(world)
    ward = evaluation_of(period, world.p1)
    assert ward.kind == SubjectKind.COLLECTIVE
    lena = world.users["lena"]
    assert not can_write_self(lena, ward) and not can_review(lena, ward)
    with pytest.raises(PermissionDenied):
        cycle.evaluation_self_assess(
            actor=lena, evaluation=ward, general=D(25), results=D(60), proposed_level="HTT"
        )
    client = Client()
    client.force_login(lena)
    page = client.get(reverse("reviews:evaluation-detail", args=[ward.pk])).content.decode()
    assert reverse("reviews:evaluation-self", args=[ward.pk]) not in page
    assert reverse("reviews:evaluation-review", args=[ward.pk]) not in page
    response = client.post(
        reverse("reviews:evaluation-self", args=[ward.pk]),
        {"general": "25", "results": "60", "proposed_level": "HTT"},
    )
    assert response.status_code == 302
    assert not AnnualAssessment.objects.filter(evaluation=ward).exists()
    # Its head writes the report; the level above (the district's head) and the organiser
    # assess it, not the head who wrote it.
    assert can_write_self(duc, ward)
    cycle.evaluation_self_assess(
        actor=duc, evaluation=ward, general=D(25), results=D(60), proposed_level="HTT"
    )
    ward.refresh_from_db()
    assert ward.state == EvaluationState.SELF_ASSESSED
    assert not can_review(duc, ward)
    assert can_review(world.users["hana"], ward) and can_review(world.users["olga"], ward)
    with pytest.raises(PermissionDenied):
        cycle.evaluation_review(
            actor=lena, evaluation=ward, general=D(20), results=D(50), proposed_level="HTNV"
        )


def test_the_organiser_is_nobodys_direct_leader_on_the_year_board(world):
    """Olga organises Quận Một: she may assess anyone in it, but «Người tôi đánh giá» is the
    direct leader's list, as on the home page; Hana, the district's head, was on it."""
    period = open_year(world)
    olga = world.users["olga"]
    assert _people_on_board(olga, period) == set()
    assert can_review(olga, evaluation_of(period, world.hana))  # still over the subtree
    assert year_desk(actor=olga, period=period).organiser is not None
