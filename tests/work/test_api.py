"""The work API: tasks in scope, idempotent pushes from other systems, citizen ratings."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from thuocdo.org.services import role_assign, user_create
from thuocdo.work.models import CitizenRating, Task, TaskSource, TaskState

ITEM = {
    "source_system": "eoffice",
    "external_id": "VB-2025-0042",
    "person": "CB-A",
    "title": "Trả lời đơn thư công dân",
    "quantity": "2",
    "due_date": "2025-03-15",
}


def _client(world, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[name])
    return client


def test_pushing_the_same_item_twice_creates_it_once(world):
    client = _client(world, "olga")
    first = client.post("/api/work/items", ITEM, format="json")
    second = client.post("/api/work/items", ITEM, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    task = Task.objects.get()
    assert (task.source, task.plan.person, task.plan.month) == (TaskSource.EXTERNAL, world.alice, 3)


def test_a_later_push_records_the_completion(world):
    client = _client(world, "olga")
    client.post("/api/work/items", ITEM, format="json")
    done = {**ITEM, "completed_on": "2025-03-17", "evidence_number": "15/UBND"}
    response = client.post("/api/work/items", done, format="json")
    assert response.status_code == 200
    task = Task.objects.get()
    assert (task.state, task.delays, task.evidence_number) == (TaskState.DONE, 1, "15/UBND")


def test_an_integration_account_with_an_organiser_role_may_push(world):
    robot = user_create(actor=None, username="motcua", password="x-Robot-2026")
    role_assign(actor=None, user=robot, role="organiser", unit=world.p1)
    client = APIClient()
    client.force_authenticate(robot)
    assert client.post("/api/work/items", ITEM, format="json").status_code == 201


@pytest.mark.parametrize(
    ("name", "status"), [("alice", 403), ("lena", 403), ("hana", 403), ("tam", 404)]
)
def test_people_without_write_scope_may_not_push(world, name, status):
    # tam (an authority over hana only) cannot even see alice: 404, as for a missing person.
    response = _client(world, name).post("/api/work/items", ITEM, format="json")
    assert response.status_code == status
    assert not Task.objects.exists()


def test_pushing_for_a_person_out_of_scope_answers_404(world):
    response = _client(world, "olga").post(
        "/api/work/items", {**ITEM, "person": "CB-B"}, format="json"
    )
    assert response.status_code == 404


def test_a_bad_push_is_refused_with_the_reasons(world):
    response = _client(world, "olga").post(
        "/api/work/items", {**ITEM, "quantity": "0", "product_type": "KHONG-CO"}, format="json"
    )
    assert response.status_code == 400


def test_a_push_into_a_locked_month_is_refused_in_vietnamese(world):
    from thuocdo.work.locking import month_lock

    month_lock(actor=world.users["olga"], unit=world.p1, year=2025, month=3)
    response = _client(world, "olga").post("/api/work/items", ITEM, format="json")
    assert response.status_code == 400
    assert "đã khóa" in str(response.json())


RATING = {
    "person": "CB-A",
    "score": 5,
    "rated_on": "2025-03-04",
    "counter": "Quầy một cửa số 2",
    "source_system": "motcua",
    "external_id": "DG-1",
}


def test_a_citizen_rating_is_attached_to_the_month_once(world):
    client = _client(world, "olga")
    first = client.post("/api/work/citizen-ratings", RATING, format="json")
    second = client.post("/api/work/citizen-ratings", RATING, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    rating = CitizenRating.objects.get()
    assert (rating.person, rating.year, rating.month, rating.score) == (world.alice, 2025, 3, 5)


def test_a_rating_outside_one_to_five_is_refused(world):
    response = _client(world, "olga").post(
        "/api/work/citizen-ratings", {**RATING, "score": 6}, format="json"
    )
    assert response.status_code == 400


def test_the_task_list_shows_only_tasks_in_scope(world):
    _client(world, "olga").post("/api/work/items", ITEM, format="json")
    _client(world, "root").post(
        "/api/work/items", {**ITEM, "external_id": "B-1", "person": "CB-B"}, format="json"
    )

    def titles(name):
        return [
            t["person_code"] for t in _client(world, name).get("/api/work/tasks/").json()["results"]
        ]

    assert titles("alice") == ["CB-A"]
    assert titles("lena") == ["CB-A"]
    assert sorted(titles("root")) == ["CB-A", "CB-B"]
    assert titles("nobody") == []
