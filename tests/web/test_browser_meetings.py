"""Browser tests of the meeting page. Over a city-wide period, the head of Quận Một types part
of a unit's Vietnamese name, the picker suggests only the units where they may hold a meeting,
and the chosen one opens the meeting form. On the form, one list of members: the head filters it
by a name typed without diacritics, ticks and unticks, and saves, on a phone and on a desktop;
without JavaScript the same buttons post the form and it comes back as it was left."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, World
from tests.reviews.annual.cycle import open_year
from tests.web.test_browser_a11y import AXE, AXE_RUN, OVERFLOW
from thuocdo.opinions.models import Meeting
from thuocdo.org import services as org
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


# -- the attendance list on a phone ----------------------------------------------------------


def _unit_of_many(world: World, count: int) -> None:
    """`count` more civil servants in Phường Một, beside Nhung, Ánh and Lan."""
    for i in range(count):
        person = org.person_create(
            None, code=f"NV-{i}", full_name=f"Phạm Văn Thành {i}",
            birth_date=datetime.date(1990, 1, 1), gender="male", category="civil_servant",
        )  # fmt: skip
        org.post_create(
            None, person=person, unit=world.p1, title="Công chức",
            start_date=datetime.date(2020, 1, 1),
        )  # fmt: skip


def _fits(page: Page, width: int) -> None:
    """Nothing sticks out of the screen, and axe finds nothing serious."""
    fit = page.evaluate(OVERFLOW)
    assert fit["scroll"] <= width and not fit["wide"], fit
    page.evaluate(AXE.read_text())
    assert page.evaluate(AXE_RUN) == []


@pytest.mark.parametrize("width", [390, 1366])
def test_the_head_filters_ticks_and_saves_a_meeting(
    live_server, world: World, login: Callable[..., Page], width: int
) -> None:
    _unit_of_many(world, 40)
    period = open_year(world)
    page = login("hana", width=width)
    page.goto(f"{live_server.url}/ky-danh-gia/{period.pk}/hop-tap-the/?unit=P1")
    expect(page.locator("table.members tbody tr")).to_have_count(43)
    _fits(page, width)
    page.get_by_label("Ngày họp").fill("2026-12-10")
    page.get_by_label("Chủ trì").select_option(label="Lê Thị Lan")
    page.get_by_label("Thư ký").select_option(label="Nguyễn Thị Hồng Nhung")
    page.get_by_role("button", name="Tất cả có mặt").click()
    count = page.locator("p.attendance-count")
    expect(count).to_have_text(
        "Đã đánh dấu 43 người được triệu tập, 43 người có mặt; cần ít nhất 29 người có mặt để "
        "cuộc họp hợp lệ."
    )
    # Typed without diacritics, the list narrows to Ánh as one types; he is absent.
    page.get_by_label("Lọc theo tên").press_sequentially("tran van anh", delay=20)
    expect(page.locator("table.members tbody tr:visible")).to_have_count(1)
    expect(page.get_by_text("Đang hiện 1/43 người khớp «tran van anh».")).to_be_visible()
    page.get_by_label("Có mặt: Trần Văn Ánh").uncheck()
    # Thành 1 and 10…19 were not summoned: unticking «triệu tập» unticks «có mặt» as well.
    page.get_by_label("Lọc theo tên").fill("thanh 1")
    expect(page.locator("table.members tbody tr:visible")).to_have_count(11)
    page.get_by_role("button", name="Bỏ chọn tất cả").click()
    page.get_by_label("Lọc theo tên").fill("")
    expect(page.locator("table.members tbody tr:visible")).to_have_count(43)
    expect(count).to_have_text(
        "Đã đánh dấu 32 người được triệu tập, 31 người có mặt; cần ít nhất 22 người có mặt để "
        "cuộc họp hợp lệ."
    )
    _fits(page, width)
    page.get_by_role("button", name="Ghi nhận cuộc họp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Họp tập thể Phường Một ngày 10/12/2026"
    )
    expect(page.get_by_text("31/32 (tối thiểu 2/3) — đủ số lượng")).to_be_visible()
    _fits(page, width)
    meeting = Meeting.objects.get()
    assert world.carol not in meeting.present.all() and world.carol in meeting.summoned.all()
    assert not meeting.summoned.filter(full_name__startswith="Phạm Văn Thành 1").exists()


def test_without_javascript_the_buttons_post_and_the_ticks_come_back(
    live_server, world: World, browser: Browser
) -> None:
    period = open_year(world)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("hana")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/ky-danh-gia/{period.pk}/hop-tap-the/?unit=P1")
    page.get_by_label("Ngày họp").fill("2026-12-10")
    page.get_by_label("Chủ trì").select_option(label="Lê Thị Lan")
    page.get_by_label("Thư ký").select_option(label="Lê Thị Lan")
    page.get_by_label("Lọc theo tên").fill("le thi lan")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.members tbody tr:visible")).to_have_count(1)
    page.get_by_role("button", name="Tất cả có mặt").click()
    expect(page.get_by_label("Có mặt: Lê Thị Lan")).to_be_checked()
    expect(page.get_by_label("Ngày họp")).to_have_value("2026-12-10")
    # Nhung ticked present but not summoned: refused, with the service's words, ticks kept.
    page.get_by_label("Lọc theo tên").fill("")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_label("Có mặt: Nguyễn Thị Hồng Nhung").check()
    page.get_by_role("button", name="Ghi nhận cuộc họp").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Người có mặt phải nằm trong danh sách được triệu tập."
    )
    expect(page.get_by_label("Có mặt: Nguyễn Thị Hồng Nhung")).to_be_checked()
    expect(page.get_by_label("Triệu tập: Lê Thị Lan")).to_be_checked()
    page.get_by_label("Triệu tập: Nguyễn Thị Hồng Nhung").check()
    page.get_by_role("button", name="Ghi nhận cuộc họp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Họp tập thể Phường Một ngày 10/12/2026"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    meeting = Meeting.objects.get()
    assert set(meeting.present.all()) == set(meeting.summoned.all()) == {world.lena, world.alice}
    context.close()
