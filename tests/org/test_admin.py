"""The admin of units and people keeps what the services derive: a unit's place in the tree
and its search text, a person's sort key and search text."""

from __future__ import annotations

from django.test import Client

from tests.conftest import World
from thuocdo.org.models import Person, Unit


def _root(world: World) -> Client:
    client = Client()
    client.force_login(world.users["root"])
    return client


def _initial(page: object) -> dict[str, object]:
    form = page.context["adminform"].form  # type: ignore[attr-defined]
    return {k: v for k, v in form.initial.items() if v is not None}


def test_a_unit_added_in_the_admin_gets_its_place_and_search_text(world: World) -> None:
    response = _root(world).post(
        "/quan-tri/org/unit/add/",
        {"code": "CB9", "name": "Chi bộ Khu phố Chín", "kind": "party_cell",
         "parent": world.p1.pk, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="CB9")
    assert unit.path == world.p1.path + unit.own_segment()
    assert unit.depth == world.p1.depth + 1
    assert unit.search_text == " chi bo khu pho chin cb9 "


def test_a_unit_cannot_be_moved_in_the_admin(world: World) -> None:
    client = _root(world)
    unit = world.cell
    page = client.get(f"/quan-tri/org/unit/{unit.pk}/change/")
    data = _initial(page) | {"name": "Chi bộ Đồi Thông", "parent": world.q2.pk}
    response = client.post(f"/quan-tri/org/unit/{unit.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.parent_id != world.q2.pk  # a move is the import's, with the subtree's paths
    assert unit.search_text.startswith(" chi bo doi thong ")


def test_a_person_renamed_in_the_admin_is_found_and_sorted_by_the_new_name(world) -> None:
    client = _root(world)
    person = world.carol
    page = client.get(f"/quan-tri/org/person/{person.pk}/change/")
    data = _initial(page) | {"full_name": "Đặng Thị Ánh"}
    data.pop("user", None)
    response = client.post(f"/quan-tri/org/person/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(pk=person.pk)
    assert person.search_text.startswith(" dang thi anh ")
    assert person.sort_key != "" and person.sort_key != world.carol.sort_key
