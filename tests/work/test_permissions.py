"""Who sees and does what: alice sees her own tasks, lena verifies P1, a person from the
sibling district gets 404 on every work page and API object."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.work.helpers import MONTH, YEAR, complete, day, register
from thuocdo.org import services as org_services
from thuocdo.org.services import user_create
from thuocdo.work import services
from thuocdo.work.permissions import access_task, overseen_people, tasks_visible


@pytest.fixture
def bob_user(world):
    """A login for bob, the civil servant of the sibling district."""
    user = user_create(actor=None, username="bob", password="x-Bob-2026", person=world.bob)
    world.bob.refresh_from_db()
    return user


@pytest.fixture
def done_task(world, catalogue):
    """One of alice's tasks, reported done, with a pending exemption request."""
    task = complete(world, register(world, catalogue, due=10), on=12)
    services.exemption_request(actor=world.users["alice"], task=task, kind="delay", reason="Bão")
    return task


def test_alice_sees_only_her_own_tasks(world, catalogue):
    mine = register(world, catalogue)
    services.task_register(
        actor=world.users["lena"],
        person=world.carol,
        year=YEAR,
        month=MONTH,
        title="Của Ánh",
        quantity=Decimal(1),
        due_date=day(5),
    )
    assert list(tasks_visible(world.users["alice"])) == [mine]
    assert tasks_visible(world.users["lena"]).count() == 2


def test_a_collaborator_sees_the_task_they_work_on(world, catalogue):
    task = services.task_register(
        actor=world.users["lena"],
        person=world.carol,
        year=YEAR,
        month=MONTH,
        title="Chung",
        quantity=Decimal(1),
        due_date=day(5),
        collaborators=[world.alice],
    )
    assert access_task(world.users["alice"], task.pk) == task


def test_lena_verifies_the_tasks_of_p1(world, done_task):
    client = Client()
    client.force_login(world.users["lena"])
    url = reverse("work:task-verify", args=[done_task.pk])
    response = client.post(url, {"verdict": "vuot"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "vượt yêu cầu" in response.content.decode()  # the row, swapped in place
    done_task.refresh_from_db()
    assert (done_task.state, done_task.exceeded) == ("verified", True)


def test_alice_cannot_verify_her_own_task(world, done_task):
    client = Client()
    client.force_login(world.users["alice"])
    response = client.post(reverse("work:task-verify", args=[done_task.pk]), {"verdict": "dat"})
    assert response.status_code == 403


def _object_urls(task):
    plan, exemption = task.plan, task.exemptions.get()
    return [
        reverse("work:task-progress", args=[task.pk]),
        reverse("work:task-complete", args=[task.pk]),
        reverse("work:task-verify", args=[task.pk]),
        reverse("work:exemption-request", args=[task.pk]),
        reverse("work:exemption-decide", args=[exemption.pk]),
        reverse("work:plan-submit", args=[plan.pk]),
        reverse("work:plan-approve", args=[plan.pk]),
        reverse("work:plan-return", args=[plan.pk]),
    ]


def test_a_person_of_the_sibling_district_gets_404_on_every_work_page(world, bob_user, done_task):
    client = Client()
    client.force_login(bob_user)
    for url in _object_urls(done_task):
        assert (
            client.post(url, {"reason": "x", "verdict": "dat", "confirm": "1"}).status_code == 404
        ), url
    api = APIClient()
    api.force_authenticate(bob_user)
    assert api.get(reverse("work:api-task-detail", args=[done_task.pk])).status_code == 404
    assert api.get(reverse("work:api-task-list")).json()["results"] == []


def test_the_head_of_the_sibling_district_is_refused_like_a_missing_object(world, done_task):
    client = Client()
    client.force_login(world.users["nobody"])
    for url in _object_urls(done_task):
        assert client.post(url, {"reason": "x"}).status_code == 404, url


def test_my_month_lists_overdue_tasks_first(world, catalogue):
    at = timezone.localdate()
    for title, offset in [("Sắp tới", 5), ("Quá hạn", -3)]:
        services.task_register(
            actor=world.users["alice"],
            person=world.alice,
            year=at.year,
            month=at.month,
            title=title,
            quantity=Decimal(1),
            due_date=at + datetime.timedelta(days=offset),
        )
    client = Client()
    client.force_login(world.users["alice"])
    page = client.get(reverse("work:month-detail")).content.decode()
    assert page.index("Quá hạn") < page.index("Sắp tới")
    assert "quá hạn 3" in page


def test_the_team_page_lists_what_waits_for_the_leader(world, done_task):
    client = Client()
    client.force_login(world.users["lena"])
    page = client.get(reverse("work:team-detail")).content.decode()
    assert done_task.title in page and "Bão" in page


def test_the_team_page_shows_nothing_of_p1_to_the_sibling_district(world, bob_user, done_task):
    client = Client()
    client.force_login(bob_user)
    page = client.get(reverse("work:team-detail")).content.decode()
    assert done_task.title not in page


def test_a_login_without_a_person_has_no_month(world):
    client = Client()
    client.force_login(world.users["olga"])
    assert client.get(reverse("work:month-detail")).status_code == 404


def test_a_deputy_leading_the_unit_does_not_verify_the_head_the_level_above_does(world):
    head = org_services.person_create(
        None, code="CB-P1H", full_name="Đặng Văn Hùng", birth_date=datetime.date(1975, 5, 1),
        gender="male", category="civil_servant",
    )  # fmt: skip
    org_services.post_create(
        None, person=head, unit=world.p1, title="Chủ tịch UBND phường", is_head=True,
        start_date=datetime.date(2020, 1, 1),
    )  # fmt: skip
    hana = world.users["hana"]  # the head of the district above
    task = services.task_register(
        actor=hana, person=head, year=YEAR, month=MONTH, title="Báo cáo quý",
        quantity=Decimal(1), due_date=day(10),
    )  # fmt: skip
    services.task_complete(
        actor=hana, task=task, completed_on=day(9), quantity_done=Decimal(1),
        evidence_number="1/BC",
    )  # fmt: skip
    lena = Client()
    lena.force_login(world.users["lena"])  # his deputy, the unit's direct leader
    url = reverse("work:task-verify", args=[task.pk])
    assert lena.post(url, {"verdict": "dat"}).status_code == 403
    task.refresh_from_db()
    assert task.state != "verified"
    assert world.alice.pk in set(overseen_people(world.users["lena"]).values_list("pk", flat=True))
    assert head.pk not in set(overseen_people(world.users["lena"]).values_list("pk", flat=True))
    above = Client()
    above.force_login(hana)
    assert above.post(url, {"verdict": "dat"}).status_code in (200, 302)
    task.refresh_from_db()
    assert task.state == "verified"
