"""An organiser of a sibling district gets 404 on every page and endpoint of Quận Một."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.opinions.helpers import peers, sibling_organiser, year_and_alice
from thuocdo.opinions import services


@pytest.fixture
def urls(world: Any) -> list[tuple[str, str]]:
    """Every opinions route over Alice's evaluation, with a meeting, survey and request."""
    period, ev = year_and_alice(world)
    olga = world.users["olga"]
    meeting = services.meeting_open(
        actor=olga,
        period=period,
        unit=world.p1,
        held_on=datetime.date(2026, 12, 10),
        chair=world.lena,
        secretary=world.alice,
        summoned=[world.alice, world.carol, world.lena],
        present=[world.alice, world.lena],
    )
    survey = peers(world, ev, 3).survey
    request = services.body_request_create(
        actor=olga, evaluation=ev, body_name="Đảng đoàn HĐND quận", due_on=datetime.date(2099, 1, 1)
    )
    return [
        ("get", f"/danh-gia/{ev.pk}/y-kien/"),
        ("get", f"/ky-danh-gia/{period.pk}/hop-tap-the/?unit=P1"),
        ("post", f"/ky-danh-gia/{period.pk}/hop-tap-the/?unit=P1"),
        ("get", f"/hop-tap-the/{meeting.pk}/"),
        ("post", f"/hop-tap-the/{meeting.pk}/bieu-quyet/"),
        ("post", f"/hop-tap-the/{meeting.pk}/ket-thuc/"),
        ("get", f"/danh-gia/{ev.pk}/lay-y-kien/"),
        ("post", f"/danh-gia/{ev.pk}/lay-y-kien/"),
        ("get", f"/lay-y-kien/{survey.pk}/"),
        ("post", f"/lay-y-kien/{survey.pk}/phat-them-ma/"),
        ("post", f"/lay-y-kien/{survey.pk}/ket-thuc/"),
        ("get", f"/danh-gia/{ev.pk}/xin-y-kien-co-quan/"),
        ("post", f"/danh-gia/{ev.pk}/xin-y-kien-co-quan/"),
        ("get", f"/xin-y-kien/{request.pk}/"),
        ("post", f"/xin-y-kien/{request.pk}/"),
        ("get", f"/api/danh-gia/{ev.pk}/y-kien/"),
    ]


def test_a_sibling_districts_organiser_gets_404_everywhere(
    world: Any, client: Any, urls: list[tuple[str, str]]
) -> None:
    client.force_login(sibling_organiser(world))
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, f"{method} {url}"


def test_the_organiser_of_the_district_reaches_every_page(
    world: Any, client: Any, urls: list[tuple[str, str]]
) -> None:
    client.force_login(world.users["olga"])
    for method, url in urls:
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_the_organiser_sees_the_fragment_with_its_links(world: Any, client: Any) -> None:
    _, ev = year_and_alice(world)
    client.force_login(world.users["olga"])
    page = client.get(f"/danh-gia/{ev.pk}/y-kien/").content.decode()
    assert "Ý kiến đa chiều" in page and "Lấy ý kiến ẩn danh" in page
    assert "Chưa có biểu quyết của tập thể." in page


def test_the_survey_page_prints_the_codes_once(world: Any, client: Any) -> None:
    _, ev = year_and_alice(world)
    client.force_login(world.users["olga"])
    page = client.post(f"/danh-gia/{ev.pk}/lay-y-kien/", {"role": "subordinate", "count": "4"})
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert page.content.decode().count("Mã chỉ dùng được một lần") == 4
