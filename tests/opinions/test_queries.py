"""The opinions pages read a fixed number of queries, however many units, meetings, votes and
requests a city-wide period holds."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reviews.annual.cycle import open_year
from thuocdo.opinions import services
from thuocdo.opinions.models import Meeting
from thuocdo.org import services as org
from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Evaluation, Period

DUE = datetime.date(2099, 1, 1)


def _queries(client: Any, url: str) -> int:
    """The queries of one GET of the page (after a first one, which warms Django's caches)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries.captured_queries)


def _units(parent: Unit, prefix: str, count: int) -> None:
    for i in range(count):
        org.unit_create(
            actor=None, code=f"{prefix}{i}", name=f"Tổ dân phố {prefix} {i}", kind="state",
            parent=parent,
        )  # fmt: skip


def _staff(unit: Unit, count: int) -> list[Person]:
    """`count` more civil servants with a post in the unit."""
    people = []
    for i in range(count):
        person = org.person_create(
            None, code=f"NV-{unit.code}-{i}", full_name=f"Phạm Văn Thành {i}",
            birth_date=datetime.date(1990, 1, 1), gender="male", category="civil_servant",
        )  # fmt: skip
        org.post_create(
            None, person=person, unit=unit, title="Công chức",
            start_date=datetime.date(2020, 1, 1),
        )  # fmt: skip
        people.append(person)
    return people


def _meeting(world: Any, period: Period, members: list[Person]) -> Meeting:
    return services.meeting_open(
        actor=world.users["olga"], period=period, unit=world.p1,
        held_on=datetime.date(2026, 12, 10), chair=members[0], secretary=members[1],
        summoned=members, present=members,
    )  # fmt: skip


def _vote(world: Any, meeting: Meeting, evaluation: Evaluation) -> None:
    services.meeting_record_votes(
        actor=world.users["olga"], meeting=meeting, evaluation=evaluation,
        proposed_level="HTT", counts={"HTT": 2},
    )  # fmt: skip


def test_the_meeting_picker_and_its_suggestions_do_not_grow_with_the_units(
    world: Any, client: Any
) -> None:
    period = open_year(world)
    client.force_login(world.users["hana"])
    pick = f"/ky-danh-gia/{period.pk}/hop-tap-the/"
    suggest = f"/ky-danh-gia/{period.pk}/hop-tap-the/don-vi/?unit=T"
    form = f"{pick}?unit=P1"
    _units(world.q1, "A", 2)
    before = [_queries(client, url) for url in (pick, suggest, form)]
    _units(world.q1, "B", 30)
    _units(world.p1, "C", 30)
    assert [_queries(client, url) for url in (pick, suggest, form)] == before


def test_the_meeting_page_does_not_grow_with_its_votes(world: Any, client: Any) -> None:
    _staff(world.p1, 8)
    period = open_year(world)
    members = list(Person.objects.filter(posts__unit=world.p1).distinct())
    meeting = _meeting(world, period, members)
    evaluations = list(Evaluation.objects.filter(period=period, unit=world.p1))
    assert any(ev.person_id is None for ev in evaluations)  # the collective, named by its unit
    client.force_login(world.users["olga"])
    _vote(world, meeting, evaluations[0])
    before = _queries(client, f"/hop-tap-the/{meeting.pk}/")
    for evaluation in evaluations[1:]:
        _vote(world, meeting, evaluation)
    assert meeting.votes.count() == len(evaluations) >= 10
    assert _queries(client, f"/hop-tap-the/{meeting.pk}/") == before


def test_the_opinions_of_an_evaluation_do_not_grow_with_its_meetings(
    world: Any, client: Any
) -> None:
    period = open_year(world)
    evaluation = Evaluation.objects.get(period=period, person=world.alice)
    members = [world.alice, world.carol, world.lena]
    url = f"/danh-gia/{evaluation.pk}/y-kien/"
    client.force_login(world.users["olga"])
    _vote(world, _meeting(world, period, members), evaluation)
    before = _queries(client, url)
    for _ in range(6):
        _vote(world, _meeting(world, period, members), evaluation)
    assert _queries(client, url) == before


def test_the_requests_to_a_body_do_not_grow_with_their_number(world: Any, client: Any) -> None:
    period = open_year(world)
    evaluations = list(Evaluation.objects.filter(period=period).order_by("pk"))
    assert any(ev.person_id is None for ev in evaluations)
    olga = world.users["olga"]

    def ask(evaluation: Evaluation) -> None:
        services.body_request_create(
            actor=olga, evaluation=evaluation, body_unit=world.p1, due_on=DUE
        )

    client.force_login(world.users["lena"])  # works in Phường Một, the body asked
    ask(evaluations[0])
    before = _queries(client, "/xin-y-kien/")
    for evaluation in evaluations[1:]:
        ask(evaluation)
    assert _queries(client, "/xin-y-kien/") == before


def _posted(client: Any, url: str, data: dict[str, Any]) -> int:
    """The queries of one POST of the meeting form that comes back as a page (no redirect)."""
    assert client.post(url, data).status_code == 200, data
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 200, data
    return len(queries.captured_queries)


def test_the_meeting_form_does_not_grow_with_the_members(world: Any, client: Any) -> None:
    period = open_year(world)
    client.force_login(world.users["hana"])
    url = f"/ky-danh-gia/{period.pk}/hop-tap-the/?unit=P1"

    def measure() -> list[int]:
        everyone = list(Person.objects.filter(posts__unit=world.p1).values_list("pk", flat=True))
        base = {"held_on": "2026-12-10", "chair": everyone[0], "secretary": everyone[1]}
        ticks = {"summoned": everyone, "present": everyone[:2]}  # refused: the secretary absent
        return [
            _queries(client, url),
            _posted(client, url, {**base, **ticks, "tim": "thanh 1", "attendance": "filter"}),
            _posted(client, url, {**base, **ticks, "tim": "van", "attendance": "present-all"}),
            _posted(client, url, {**base, **ticks, "present": everyone[2:], "tim": "pham"}),
        ]

    before = measure()
    _staff(world.p1, 300)
    page = client.get(url).content.decode()
    assert page.count('name="present"') == 303 and "Phạm Văn Thành 299" in page
    assert measure() == before
