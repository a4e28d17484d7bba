"""Issue 13 in a real browser, on the demo city as `thuocdo demo` builds it (not fixtures): the
month opened once over the city is everyone's month. `canhan` self-assesses this month from
«Tháng của tôi»; `lanhdao`, from his home page, goes to «Đơn vị của tôi», verifies a task and
scores a person by clicking only, and the board shows what he saved at once; `bantochuc`, who
scores nobody, follows from «Đơn vị của tôi» how many people of each unit are not scored yet;
`thutruong` decides a level of last month on his unit's board."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from thuocdo.org.models import User
from thuocdo.org.scope import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "ThuocDo@2026"
PEOPLE = 400


@pytest.fixture
def demo_city(transactional_db: None) -> Iterator[None]:
    """The demo city exactly as `thuocdo demo` builds it, small."""
    call_command("demo", "--people", str(PEOPLE), stdout=StringIO())
    yield


@pytest.fixture
def as_demo(browser: Browser, live_server, demo_city: None) -> Callable[[str], Page]:
    """A browser logged in as one of the demo's logins, on their home page."""

    def open_as(username: str) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        return page

    return open_as


def _name(username: str) -> str:
    person = User.objects.get(username=username).person
    assert person is not None
    return person.full_name


def test_the_month_of_the_demo_city_is_finished_by_the_people_who_must_do_it(as_demo):
    me = _name("canhan")

    # canhan: home → «Tháng của tôi» → «Tự đánh giá tháng», this month of the city.
    canhan = as_demo("canhan")
    canhan.get_by_role("link", name="Tháng của tôi").first.click()
    expect(canhan.get_by_role("heading", level=1)).to_contain_text("Tháng của tôi")
    expect(canhan.locator("#my-score")).to_contain_text("tạm tính")
    canhan.get_by_role("button", name="Tự đánh giá tháng").click()
    expect(canhan.get_by_role("heading", level=1)).to_contain_text("Tự đánh giá tháng")
    canhan.get_by_label("Điểm tiêu chí chung").fill("28")
    canhan.get_by_role("button", name="Lưu tự đánh giá").click()
    expect(canhan.locator("#self-assessment")).to_contain_text("Đã tự chấm tiêu chí chung 28,00")

    # lanhdao: home → «Đơn vị của tôi» → canhan's row: verify the waiting task, score the month.
    lanhdao = as_demo("lanhdao")
    lanhdao.get_by_role("link", name="Đơn vị của tôi").first.click()
    expect(lanhdao.get_by_role("heading", level=1)).to_contain_text("Đơn vị của tôi")
    row = lanhdao.locator("#people tr").filter(has_text=me)
    expect(row).to_contain_text("Chấm điểm tháng")
    row.get_by_role("link", name=re.compile(r"Xác nhận nhiệm vụ \(\d+\)")).click()
    expect(lanhdao.get_by_text(f"Đang xem việc của {me}")).to_be_visible()
    passed = lanhdao.get_by_role("button", name="Đạt", exact=True)
    waiting = lanhdao.locator("tr").filter(has=passed)
    title = waiting.first.locator("td").nth(1).inner_text()
    waiting.first.get_by_role("button", name="Đạt", exact=True).click()
    expect(lanhdao.locator("tr").filter(has_text=title).first).to_contain_text("Đã xác nhận")

    lanhdao.get_by_role("link", name="Tất cả cán bộ").click()
    row = lanhdao.locator("#people tr").filter(has_text=me)
    row.get_by_role("link", name="Chấm điểm tháng").click()
    expect(lanhdao.get_by_role("heading", level=1)).to_contain_text(f"Lãnh đạo chấm điểm: {me}")
    # Refused (above the criterion's maximum): back on the form, not at the POST, with the
    # reason once and the number typed; a reload sends nothing again and shows neither.
    form_url = lanhdao.url
    lanhdao.get_by_label("Điểm tiêu chí chung").fill("99")
    lanhdao.get_by_role("button", name="Lưu điểm").click()
    expect(lanhdao.get_by_role("alert")).to_have_count(1)
    expect(lanhdao.get_by_role("alert")).to_contain_text("Điểm tiêu chí chung tối đa là")
    expect(lanhdao.get_by_label("Điểm tiêu chí chung")).to_have_value("99")
    assert lanhdao.url == form_url
    lanhdao.reload()
    expect(lanhdao.get_by_role("heading", level=1)).to_contain_text(f"Lãnh đạo chấm điểm: {me}")
    expect(lanhdao.get_by_role("alert")).to_have_count(0)
    expect(lanhdao.get_by_label("Điểm tiêu chí chung")).not_to_have_value("99")
    lanhdao.get_by_label("Điểm tiêu chí chung").fill("27")
    lanhdao.get_by_role("button", name="Lưu điểm").click()
    expect(lanhdao.get_by_role("status")).to_contain_text("Đã lưu điểm")
    row = lanhdao.locator("#people tr").filter(has_text=me)
    expect(row).to_contain_text("Đã chấm 27,00 điểm")
    expect(row).to_contain_text("Tự chấm 28,00")

    # The board of his unit shows what he saved at once, provisional while the month runs.
    lanhdao.get_by_role("link", name=re.compile(r"Bảng điểm Tháng")).click()
    line = lanhdao.locator("#board tr").filter(has_text=me)
    expect(line.locator("td").nth(2)).to_have_text("27,00")
    expect(line).to_contain_text("Tạm tính")
    expect(lanhdao.locator("#board")).not_to_contain_text("Bùi")  # only his unit's people

    # canhan's month follows: the leader's points replace her own in her score.
    canhan.reload()
    expect(canhan.locator("#self-assessment")).to_contain_text("Lãnh đạo trực tiếp đã chấm 27,00")

    # bantochuc scores nobody: «Đơn vị của tôi» counts no one as his, and follows each unit.
    bantochuc = as_demo("bantochuc")
    bantochuc.get_by_role("link", name="Đơn vị của tôi").first.click()
    expect(bantochuc.locator("#con-lai")).not_to_contain_text("chưa được chấm điểm")
    progress = bantochuc.locator("#theo-doi")
    expect(progress).to_contain_text("việc của lãnh đạo trực tiếp")
    district = progress.get_by_role("row").filter(has_text="Quận 1")
    left = int(re.sub(r"\D", "", district.get_by_role("link").inner_text().split("người")[0]))
    district.get_by_role("link").click()
    expect(
        bantochuc.get_by_text(re.compile(rf"^{left} / [\d.]+ người khớp bộ lọc"))
    ).to_be_visible()
    expect(bantochuc.get_by_label("Trạng thái")).to_have_value("chua-cham-diem")
    expect(bantochuc.locator("#board")).not_to_contain_text(me)  # lanhdao scored her

    # thutruong decides a level of last month (over, so levelled) on his unit's board.
    thutruong = as_demo("thutruong")
    thutruong.get_by_role("link", name="Kỳ đánh giá").first.click()
    at = today()
    last = f"Tháng {12 if at.month == 1 else at.month - 1:02d}/"
    thutruong.get_by_role("row").filter(has_text=last).get_by_role("link").first.click()
    line = thutruong.locator("#board tr").filter(has_text=me)
    line.get_by_role("link", name="Chi tiết").click()
    # Not decided yet: the decision form is open.
    thutruong.get_by_label("Mức quyết định").select_option("HTNV")
    thutruong.get_by_label("Lý do (bắt buộc khi thay đổi)").fill("Chậm báo cáo chuyên đề")
    thutruong.get_by_role("button", name="Ghi quyết định").click()
    # Back to the people of the unit still to decide, without her.
    expect(thutruong.get_by_role("status")).to_contain_text(f"Đã ghi quyết định HTNV cho {me}")
    expect(thutruong.locator("#board")).not_to_contain_text(me)
    thutruong.get_by_role("link", name="Bỏ lọc").click()
    thutruong.locator("#board tr").filter(has_text=me).get_by_role("link", name="Chi tiết").click()
    expect(thutruong.locator("#level-label")).to_contain_text("Hoàn thành nhiệm vụ")
