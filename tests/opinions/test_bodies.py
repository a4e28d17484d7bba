"""Related bodies: a request with a deadline, answered by a user of the body."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import PASSWORD
from tests.opinions.helpers import year_and_alice
from thuocdo.opinions import services
from thuocdo.opinions.selectors import body_status, evaluation_opinions
from thuocdo.org import services as org

DUE = datetime.date(2099, 12, 20)


def _front(world: Any) -> Any:
    """Ủy ban MTTQ phường Một, with Minh as its user."""
    front = org.unit_create(
        actor=None, code="MT-P1", name="Ủy ban MTTQ phường Một", kind="front", parent=world.p1
    )
    minh = org.user_create(actor=None, username="minh", password=PASSWORD)
    org.role_assign(actor=None, user=minh, role="head", unit=front)
    return front, minh


def test_a_body_user_answers_and_the_request_shows_received(world: Any) -> None:
    _, ev = year_and_alice(world)
    front, minh = _front(world)
    request = services.body_request_create(
        actor=world.users["olga"], evaluation=ev, body_unit=front, due_on=DUE
    )
    assert body_status(request)[0] == "pending"
    services.body_request_answer(
        actor=minh, request=request, opinion="Gương mẫu ở khu dân cư.", proposed_level="HTT"
    )
    assert body_status(request) == ("received", "Đã có ý kiến")
    gathered = evaluation_opinions(actor=world.users["tam"], evaluation=ev)
    assert gathered.bodies[0].request.opinion == "Gương mẫu ở khu dân cư."


def test_a_request_past_its_deadline_is_overdue(world: Any) -> None:
    _, ev = year_and_alice(world)
    request = services.body_request_create(
        actor=world.users["olga"], evaluation=ev, body_name="Đảng đoàn HĐND quận", due_on=DUE
    )
    assert body_status(request, as_at=DUE + datetime.timedelta(days=1))[0] == "overdue"


def test_someone_outside_the_body_cannot_answer(world: Any) -> None:
    _, ev = year_and_alice(world)
    front, _ = _front(world)
    request = services.body_request_create(
        actor=world.users["olga"], evaluation=ev, body_unit=front, due_on=DUE
    )
    with pytest.raises(PermissionDenied):
        services.body_request_answer(actor=world.users["nobody"], request=request, opinion="Tốt.")


def test_the_body_user_answers_through_the_page(world: Any, client: Any) -> None:
    _, ev = year_and_alice(world)
    front, minh = _front(world)
    request = services.body_request_create(
        actor=world.users["olga"], evaluation=ev, body_unit=front, due_on=DUE
    )
    client.force_login(minh)
    assert "Ủy ban MTTQ" in client.get("/xin-y-kien/").content.decode()
    client.post(f"/xin-y-kien/{request.pk}/", {"opinion": "Đồng ý.", "proposed_level": ""})
    request.refresh_from_db()
    assert request.opinion == "Đồng ý." and request.answered_by == minh


def test_citizens_ratings_of_the_year_are_gathered_with_the_opinions(world):
    import datetime

    from tests.reviews.annual.cycle import evaluation_of, open_year
    from thuocdo.opinions.selectors import evaluation_opinions
    from thuocdo.work.models import CitizenRating

    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    for score in (5, 4, 2):
        CitizenRating.objects.create(
            person=world.alice,
            year=2026,
            month=3,
            score=score,
            rated_on=datetime.date(2026, 3, 5),
            counter="Một cửa",
        )
    CitizenRating.objects.create(
        person=world.alice, year=2025, month=3, score=1, rated_on=datetime.date(2025, 3, 5)
    )
    citizens = evaluation_opinions(actor=world.users["olga"], evaluation=alice).citizens
    assert citizens is not None
    assert (citizens.count, str(citizens.average), citizens.low) == (3, "3.67", 1)
