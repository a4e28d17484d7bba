"""The units where a user may hold a collective meeting: one query equal to the per-unit rule,
and the meeting page's unit picker over them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.opinions.helpers import sibling_organiser
from tests.reviews.annual.cycle import open_year
from thuocdo.demo.registry import demo_build
from thuocdo.opinions import selectors as sel
from thuocdo.opinions.models import Meeting
from thuocdo.opinions.services import can_run_meeting
from thuocdo.org import services as org
from thuocdo.org.models import Unit, User
from thuocdo.reviews.models import Period
from thuocdo.reviews.monthly.services import period_open

MONTH_RULESET = "nd-335-2025"


def _month(actor: Any, unit: Unit) -> Period:
    """January 2026 opened over a unit (the whole city, for a city-wide period)."""
    return period_open(
        actor=actor, unit=unit, kind="month", year=2026, number=1, ruleset=MONTH_RULESET
    )


def _by_rule(actor: Any, period: Period) -> set[str]:
    """The codes of the units of the period that `can_run_meeting` accepts, one by one."""
    units = Unit.objects.filter(path__startswith=period.unit.path)
    return {u.code for u in units if can_run_meeting(actor, u)}


def _selected(actor: Any, period: Period) -> set[str]:
    return set(sel.meeting_units(actor=actor, period=period).values_list("code", flat=True))


def _grow(world: Any) -> dict[str, User]:
    """Wards and cells under both districts, a head of a ward alone, an organiser of Quận Hai."""
    for parent, prefix in [(world.q1, "Q1"), (world.q2, "Q2"), (world.p1, "P1")]:
        for i in range(3):
            ward = org.unit_create(
                actor=None, code=f"{prefix}-{i}", name=f"Đơn vị {prefix} số {i}", kind="state",
                parent=parent,
            )  # fmt: skip
            org.unit_create(
                actor=None, code=f"{prefix}-{i}-CB", name=f"Chi bộ {prefix} số {i}",
                kind="party_cell", parent=ward,
            )  # fmt: skip
    ward_head = org.user_create(actor=None, username="phuong", password=PASSWORD)
    org.role_assign(actor=None, user=ward_head, role="head", unit=world.p1)
    return {**world.users, "otto": sibling_organiser(world), "phuong": ward_head}


def test_the_selector_equals_the_per_unit_rule_for_every_user(world: Any) -> None:
    users = _grow(world)
    periods = [_month(users["root"], world.city), open_year(world)]
    for period in periods:
        for name, user in users.items():
            assert _selected(user, period) == _by_rule(user, period), (name, str(period))


def test_each_role_gets_its_own_subtree_and_an_outsider_nothing(world: Any) -> None:
    users = _grow(world)
    city, district = _month(users["root"], world.city), open_year(world)
    q1_subtree = {u.code for u in Unit.objects.filter(path__startswith=world.q1.path)}
    assert _selected(users["olga"], city) == q1_subtree  # organiser of Quận Một
    assert _selected(users["hana"], city) == q1_subtree  # head of Quận Một
    assert _selected(users["phuong"], district) == {
        u.code for u in Unit.objects.filter(path__startswith=world.p1.path)
    }
    assert _selected(users["root"], city) == set(Unit.objects.values_list("code", flat=True))
    assert "Q2" in _selected(users["otto"], city)
    # The sibling district's organiser, a leader (not a head) and a user without a role.
    for name in ["otto", "lena", "alice", "nobody", "tam"]:
        assert _selected(users[name], district) == set(), name


def test_the_selector_equals_the_rule_on_the_demo_city(db: None) -> None:
    demo_build(people=400, seed=2026)
    admin = User.objects.get(username="quantri")
    city = _month(admin, Unit.objects.get(parent__isnull=True))
    for user in User.objects.filter(roles__isnull=False).distinct():
        assert _selected(user, city) == _by_rule(user, city), user.username
    assert len(_selected(User.objects.get(username="bantochuc"), city)) == Unit.objects.count()
    head = _selected(User.objects.get(username="thutruong"), city)
    assert 0 < len(head) < Unit.objects.count()


# -- the page --------------------------------------------------------------------------------


def test_the_page_lists_a_few_units_as_links_and_offers_the_picker(world: Any, client: Any) -> None:
    period = open_year(world)
    client.force_login(world.users["hana"])
    page = client.get(f"/ky-danh-gia/{period.pk}/hop-tap-the/").content.decode()
    assert 'list="id_unit-list"' in page and f"/ky-danh-gia/{period.pk}/hop-tap-the/don-vi/" in page
    assert "?unit=P1" in page and "Quận Hai" not in page and "Phường Hai" not in page


def test_beyond_twenty_units_the_page_asks_to_type_instead_of_listing(
    world: Any, client: Any
) -> None:
    users = _grow(world)
    period = _month(users["root"], world.city)
    client.force_login(users["root"])
    page = client.get(f"/ky-danh-gia/{period.pk}/hop-tap-the/").content.decode()
    assert Unit.objects.count() > 20
    assert "gõ vài chữ của tên tập thể để tìm" in page and "?unit=" not in page


def test_the_suggestions_are_the_users_meeting_units_matching_the_text(
    world: Any, client: Any
) -> None:
    users = _grow(world)
    period = _month(users["root"], world.city)
    url = f"/ky-danh-gia/{period.pk}/hop-tap-the/don-vi/"
    client.force_login(users["phuong"])
    options = client.get(url, {"unit": "Chi bộ"}).content.decode()
    assert "Chi bộ khu phố 1" in options and "Chi bộ P1 số 2" in options
    assert "Chi bộ Q1 số" not in options and "Chi bộ Q2" not in options
    client.force_login(users["olga"])
    options = client.get(url, {"unit": "số 1"}).content.decode()
    assert 'value="Q1-1"' in options and 'value="Q2-1"' not in options


def test_a_unit_out_of_scope_is_refused_like_an_unknown_one(world: Any, client: Any) -> None:
    period = _month(world.users["root"], world.city)
    client.force_login(world.users["olga"])
    url = f"/ky-danh-gia/{period.pk}/hop-tap-the/"
    outside = client.get(url, {"unit": "P2"})
    unknown = client.get(url, {"unit": "P9"})
    assert outside.status_code == unknown.status_code == 200
    message = "không có đơn vị mã «{}» trong phạm vi của anh/chị"
    assert message.format("P2") in outside.content.decode()
    assert message.format("P9") in unknown.content.decode()
    assert _without_tokens(outside).replace("P2", "P9") == _without_tokens(unknown)
    response = client.post(f"{url}?unit=P2", _meeting_post(world))
    assert response.status_code == 200 and not Meeting.objects.exists()


def _without_tokens(response: Any) -> str:
    """The page without its form tokens, which differ on every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def _meeting_post(world: Any) -> dict[str, Any]:
    people = [world.alice.pk, world.carol.pk, world.lena.pk]
    return {
        "held_on": "2026-01-20",
        "chair": world.lena.pk,
        "secretary": world.alice.pk,
        "summoned": people,
        "present": people,
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "minutes": "Họp tháng 1.",
    }


def test_a_head_records_the_meeting_of_the_unit_picked(world: Any, client: Any) -> None:
    period = _month(world.users["root"], world.city)
    client.force_login(world.users["hana"])
    url = f"/ky-danh-gia/{period.pk}/hop-tap-the/?unit=P1"
    page = client.get(url).content.decode()
    assert "Họp tập thể: Phường Một" in page and "Nguyễn Thị Hồng Nhung" in page
    response = client.post(url, _meeting_post(world))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.unit == world.p1
    assert meeting.present_count == 3 and meeting.is_valid


@pytest.mark.parametrize("name", ["lena", "alice"])
def test_a_user_who_sees_the_period_but_runs_no_meeting_is_told_so(
    world: Any, client: Any, name: str
) -> None:
    period = _month(world.users["root"], world.city)
    client.force_login(world.users[name])
    page = client.get(f"/ky-danh-gia/{period.pk}/hop-tap-the/").content.decode()
    assert "Không có đơn vị nào bạn được ghi nhận họp trong kỳ đánh giá này." in page
    assert 'list="id_unit-list"' not in page


def test_a_user_who_cannot_see_the_period_gets_404(world: Any, client: Any) -> None:
    period = _month(world.users["root"], world.city)
    client.force_login(world.users["nobody"])
    assert client.get(f"/ky-danh-gia/{period.pk}/hop-tap-the/").status_code == 404
    assert client.get(f"/ky-danh-gia/{period.pk}/hop-tap-the/don-vi/").status_code == 404
