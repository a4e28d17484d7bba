"""The permission matrix: each role × each page and API endpoint × (in scope, out of scope).

Out of scope must answer exactly like a missing object: 404.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

# role -> (person in scope, person out of scope, unit in scope, unit out of scope)
MATRIX = {
    "alice": ("alice", "carol", "p1", "q2"),  # a person sees only themself (and their unit)
    "lena": ("alice", "bob", "p1", "q1"),  # a leader sees the people of the unit they lead
    "hana": ("alice", "bob", "p1", "p2"),  # a head sees their unit's subtree
    "olga": ("carol", "bob", "cell", "q2"),  # an organiser sees the subtree it serves
    "tam": ("hana", "alice", "q1", "p1"),  # an authority sees the people it manages
    "root": ("bob", None, "q2", None),  # the system administrator sees everything
}

PERSON_PAGES = ["org:person-detail", "api:person-detail"]
UNIT_PAGES = ["org:unit-detail", "org:unit-children", "api:unit-detail"]


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


CASES = [
    (role, page, in_scope)
    for role in MATRIX
    for page in PERSON_PAGES + UNIT_PAGES
    for in_scope in (True, False)
    if in_scope or MATRIX[role][1] is not None
]


@pytest.mark.parametrize(("role", "page", "in_scope"), CASES)
def test_object_pages_answer_200_in_scope_and_404_outside(world, role, page, in_scope):
    person_in, person_out, unit_in, unit_out = MATRIX[role]
    if page in PERSON_PAGES:
        target = getattr(world, str(person_in if in_scope else person_out))
        url = reverse(page, kwargs={"person_id" if page.startswith("org") else "pk": target.pk})
    else:
        target = getattr(world, str(unit_in if in_scope else unit_out))
        url = reverse(page, kwargs={"unit_id" if page.startswith("org") else "pk": target.pk})
    response = _client(world, role).get(url)
    assert response.status_code == (200 if in_scope else 404)


LISTS = [
    ("org:person-list", "full_name"),
    ("api:person-list", "full_name"),
    ("api:post-list", "person_code"),
]


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize(("page", "field"), LISTS)
def test_lists_show_who_is_in_scope_and_hide_who_is_not(world, role, page, field):
    person_in, person_out, _, _ = MATRIX[role]
    response = _client(world, role).get(reverse(page))
    assert response.status_code == 200
    inside = getattr(world, person_in)
    body = response.content.decode()
    key = inside.full_name if field == "full_name" else inside.code
    assert key in body
    if person_out is not None:
        outside = getattr(world, person_out)
        assert (outside.full_name if field == "full_name" else outside.code) not in body


TREE_ROOTS = {"alice": "p1", "lena": "p1", "hana": "q1", "olga": "q1", "tam": "q1", "root": "city"}


@pytest.mark.parametrize("role", list(MATRIX))
def test_the_tree_starts_at_the_top_units_in_scope(world, role):
    _, _, _, unit_out = MATRIX[role]
    body = _client(world, role).get(reverse("org:unit-tree")).content.decode()
    assert getattr(world, TREE_ROOTS[role]).name in body
    if unit_out is not None:
        assert getattr(world, unit_out).name not in body


@pytest.mark.parametrize("role", list(MATRIX))
def test_the_unit_api_lists_units_in_scope_only(world, role):
    _, _, unit_in, unit_out = MATRIX[role]
    codes = [
        u["code"] for u in _client(world, role).get(reverse("api:unit-list")).json()["results"]
    ]
    assert getattr(world, unit_in).code in codes
    if unit_out is not None:
        assert getattr(world, unit_out).code not in codes


@pytest.mark.parametrize(
    "page",
    ["web:home", "org:unit-tree", "org:person-list", "api:unit-list", "api:person-list",
     "api:post-list", "api:schema"],
)  # fmt: skip
def test_anonymous_visitors_are_sent_to_login_or_refused(client, world, page):
    response = client.get(reverse(page))
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert reverse("login") in response["Location"]


def test_a_user_without_any_role_sees_no_one(world):
    client = _client(world, "nobody")
    assert client.get(reverse("org:person-detail", args=[world.alice.pk])).status_code == 404
    assert client.get(reverse("api:person-list")).json()["count"] == 0


def test_the_admin_site_is_for_system_administrators_only(world):
    assert _client(world, "olga").get("/quan-tri/").status_code == 302
    assert _client(world, "root").get("/quan-tri/").status_code == 200


def test_a_token_authenticates_the_api_with_the_same_scope(world):
    api = APIClient()
    token = api.post(reverse("api:token"), {"username": "olga", "password": "Mat-khau-thu-2026"})
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token " + token.json()["token"])
    assert api.get(reverse("api:person-detail", args=[world.carol.pk])).status_code == 200
    assert api.get(reverse("api:person-detail", args=[world.bob.pk])).status_code == 404
