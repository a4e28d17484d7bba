"""The unit picker: type-ahead suggestions in the user's scope, with the parent; the unit's
code as a plain field opens a period without JavaScript."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.jobs.follow import follow_job
from thuocdo.org.services import unit_update
from thuocdo.reviews.models import Period


def _suggest(client: Client, text: str, **extra: str) -> str:
    return client.get(reverse("org:unit-search"), {"unit": text, **extra}).content.decode()


def test_an_organiser_of_q1_finds_q1_units_and_no_q2_unit(client: Client, world: World) -> None:
    client.force_login(world.users["olga"])
    found = _suggest(client, "Phường")
    assert '<option value="P1">Phường Một – Quận Một</option>' in found
    assert "Phường Hai" not in found
    assert "Quận Hai" not in _suggest(client, "Quận")
    assert _suggest(client, "P2").strip() == ""
    assert "Phường Một" in _suggest(client, "")  # focus: the first units in scope


def test_a_leader_manages_no_unit_but_may_search_those_they_see(client: Client, world) -> None:
    client.force_login(world.users["alice"])
    assert _suggest(client, "Phường").strip() == ""
    client.force_login(world.users["hana"])
    assert "Phường Một" in _suggest(client, "Phường", pham_vi="xem")
    assert "Phường Hai" not in _suggest(client, "Phường", pham_vi="xem")


def test_the_picker_needs_a_login(client: Client, world: World) -> None:
    response = client.get(reverse("org:unit-search"), {"unit": "P"})
    assert response.status_code == 302


def test_the_open_form_has_a_labelled_picker_and_no_cut_list(client: Client, world) -> None:
    client.force_login(world.users["olga"])
    page = client.get(reverse("reviews:period-list")).content.decode()
    assert '<label for="id_unit_pick">Đơn vị</label>' in page
    assert 'list="id_unit_pick-list"' in page
    assert '<select name="unit"' not in page


def test_a_unit_code_typed_without_javascript_opens_the_month(client: Client, world) -> None:
    client.force_login(world.users["olga"])
    data = {"unit": "P1", "kind": "month", "month": 10, "year": 2026, "ruleset": "nd-335-2025"}
    response = client.post(reverse("reviews:period-list"), data)
    assert follow_job(client, response).redirect_chain[-1][0].startswith("/ky-danh-gia/")
    assert Period.objects.get(unit=world.p1, year=2026, number=10)
    data["unit"] = "P2"  # a sibling district's unit answers like a missing one
    assert client.post(reverse("reviews:period-list"), data).status_code == 404
    data["unit"] = "KHONG-CO"
    page = client.post(reverse("reviews:period-list"), data).content.decode()
    assert "Không có đơn vị mã «KHONG-CO»" in page


def test_the_vote_organiser_searches_units_with_their_parent(client: Client, world) -> None:
    client.force_login(world.users["olga"])
    url = reverse("ballots:campaign-create")
    page = client.get(url).content.decode()
    assert 'Phường Một</a> <small class="muted">– Quận Một</small>' in page
    assert "Phường Hai" not in page
    found = client.get(url, {"tim": "Phường"}).content.decode()
    assert "Phường Một" in found and "Quận Một</a>" not in found
    assert "1 đơn vị khớp «Phường»" in found


def test_the_suggestions_read_the_text_under_the_fields_own_name(client: Client, world) -> None:
    """A picker sends its field's name (to_unit, ma-don-vi...), not always «unit»."""
    client.force_login(world.users["olga"])
    for name in ("to_unit", "ma-don-vi"):
        found = client.get(reverse("org:unit-search"), {name: "Phường"}).content.decode()
        assert "Phường Một" in found and 'value="Q1"' not in found, name


def test_a_name_is_found_without_its_diacritics(client: Client, world: World) -> None:
    client.force_login(world.users["olga"])
    found = _suggest(client, "phuong mot")
    assert '<option value="P1">Phường Một – Quận Một</option>' in found
    assert '<option value="P1">' in _suggest(client, "PHƯỜNG")  # any case, on both databases
    assert '<option value="P1">' in _suggest(client, "ph m")  # word starts
    assert _suggest(client, "phuong hai").strip() == ""  # still only the user's scope
    assert _suggest(client, "huong").strip() == ""  # inside a word: not a word start


def test_a_renamed_unit_is_found_by_its_new_name(client: Client, world: World) -> None:
    unit_update(actor=None, unit=world.p1, name="Phường Bến Nghé", kind=world.p1.kind,
                parent=world.p1.parent)  # fmt: skip
    client.force_login(world.users["olga"])
    assert '<option value="P1">' in _suggest(client, "ben nghe")
    assert _suggest(client, "phuong mot").strip() == ""
