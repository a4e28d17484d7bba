"""Browser test of the meeting page over a city-wide period: the head of Quận Một types part of
a unit's Vietnamese name, the picker suggests only the units where they may hold a meeting, and
the chosen one opens the meeting form, on a phone and on a desktop."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import World
from thuocdo.reviews.monthly.services import period_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1366])
def test_the_head_finds_a_ward_by_typing_its_name(
    live_server, world: World, login: Callable[..., Page], width: int
) -> None:
    period = period_open(
        actor=world.users["root"], unit=world.city, kind="month", year=2026, number=1,
        ruleset="nd-335-2025",
    )  # fmt: skip
    page = login("hana", width=width)
    page.goto(f"{live_server.url}/ky-danh-gia/{period.pk}/hop-tap-the/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ghi nhận họp tập thể")
    field = page.get_by_label("Tập thể (đơn vị)")
    field.press_sequentially("Phường", delay=30)
    options = page.locator("#id_unit-list option")
    expect(options).to_have_count(1)  # Phường Một; Phường Hai is in the sibling district
    expect(options.first).to_have_attribute("value", "P1")
    expect(options.first).to_have_text("Phường Một – Quận Một")
    field.fill("P1")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Họp tập thể: Phường Một")
    expect(page.get_by_label("Nguyễn Thị Hồng Nhung").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
