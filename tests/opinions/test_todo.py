"""Today's work in opinions: a request waits on the home page of the people of the body asked;
the organiser is told of surveys past their deadline and meetings left open."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.opinions.helpers import sibling_organiser, year_and_alice
from thuocdo.opinions.models import BodyRequest, Meeting, Survey
from thuocdo.opinions.todo import todo_for
from thuocdo.org.scope import today

AT = today()


def test_a_request_to_a_body_waits_for_its_people_until_answered(world):
    _, alice = year_and_alice(world)
    request = BodyRequest.objects.create(
        evaluation=alice,
        body_unit=world.q1,
        body_name="Quận Một",
        due_on=AT + datetime.timedelta(days=5),
        requested_by=world.users["olga"],
        requested_on=AT,
    )
    (item,) = todo_for(world.users["hana"])  # Hana works in Quận Một
    assert item.text == "1 yêu cầu xin ý kiến gửi cơ quan của bạn chờ trả lời"
    assert item.url == reverse("opinions:bodyrequest-list")
    assert todo_for(world.users["alice"]) == []  # P1 was not asked
    BodyRequest.objects.filter(pk=request.pk).update(answered_on=AT, opinion="Đồng ý")
    assert [i.key for i in todo_for(world.users["hana"])] == []


def test_the_organiser_closes_surveys_past_their_deadline_and_open_meetings(world):
    period, alice = year_and_alice(world)
    survey = Survey.objects.create(
        evaluation=alice,
        role="peer",
        opened_on=AT - datetime.timedelta(days=10),
        closes_on=AT - datetime.timedelta(days=1),
        opened_by=world.users["olga"],
    )
    meeting = Meeting.objects.create(
        period=period,
        unit=world.p1,
        held_on=AT,
        chair=world.lena,
        secretary=world.alice,
        opened_by=world.users["olga"],
    )
    items = {i.key: i for i in todo_for(world.users["olga"])}
    assert items["opinions.surveys-to-close"].url == reverse(
        "opinions:survey-detail", args=[survey.pk]
    )
    assert items["opinions.meetings-to-close"].url == reverse(
        "opinions:meeting-detail", args=[meeting.pk]
    )
    assert todo_for(sibling_organiser(world)) == []
