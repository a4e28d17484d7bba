"""Issue 13 in a real browser, on the demo city as `thuocdo demo` builds it (not fixtures): the
year of the logins' ward, finished by the people who must do it, each starting at their home
page and clicking links and buttons only. `canhan` writes her self-review (no level is chosen
for her); `lanhdao` assesses her from his board; `bantochuc` verifies and proposes;
`thamquyen`, the board that manages the ward, concludes; `bantochuc` publishes; `canhan`
reads her published result and may appeal."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from thuocdo.org.models import User
from thuocdo.org.scope import today
from thuocdo.reviews.models import Evaluation, EvaluationState

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


def _home(page: Page) -> None:
    """Back to the home page by the site's name in the menu."""
    page.get_by_role("link", name="Thước Đo", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def _to_the_year(page: Page) -> None:
    """From the home page to this year's period: «Kỳ đánh giá», then «Năm …»."""
    page.get_by_role("link", name="Kỳ đánh giá").first.click()
    page.get_by_role("link", name=f"Năm {today().year}", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Năm {today().year}")


def test_the_year_of_the_demo_ward_is_finished_by_the_people_who_must_do_it(as_demo):
    me = _name("canhan")

    # canhan: her self-review, from her home page; nothing is chosen for her.
    canhan = as_demo("canhan")
    _to_the_year(canhan)
    canhan.locator("#own").get_by_role("link", name=re.compile("Tự kiểm điểm")).click()
    expect(canhan.get_by_role("heading", level=1)).to_contain_text(f"Mẫu 2A): {me}")
    level = canhan.get_by_label("Tự đề xuất mức xếp loại")
    expect(level).to_have_value("")
    canhan.get_by_label("Ưu điểm, kết quả — Tư tưởng chính trị").fill("Kiên định, vững vàng")
    canhan.get_by_label("Hạn chế, khuyết điểm").fill("Có báo cáo còn nộp chậm")
    canhan.get_by_label("Điểm tiêu chí chung").fill("27")
    canhan.get_by_label("Điểm kết quả thực hiện nhiệm vụ").fill("62")
    level.select_option("HTT")
    canhan.get_by_role("button", name="Lưu bản tự kiểm điểm").click()
    expect(canhan.get_by_role("status")).to_contain_text("Đã lưu bản tự kiểm điểm")
    expect(canhan.locator("body")).to_contain_text("Kiên định, vững vàng")

    # lanhdao: his board lists the people he assesses; canhan's self-review is in.
    lanhdao = as_demo("lanhdao")
    _to_the_year(lanhdao)
    people = lanhdao.locator("#people")
    expect(people).to_contain_text("còn 1 chưa đánh giá")
    row = people.locator("tr").filter(has_text=me)
    expect(row).to_contain_text("Đã tự đánh giá")
    expect(people).to_contain_text("(nhập hộ)")  # paper self-reviews he typed in
    row.get_by_role("link", name=f"Đánh giá {me}").click()
    expect(lanhdao.get_by_role("heading", level=1)).to_contain_text(f"Lãnh đạo đánh giá: {me}")
    expect(lanhdao.locator("#self-review")).to_contain_text("Tự chấm 89,00 điểm")
    lanhdao.get_by_label("Điểm tiêu chí chung").fill("26")
    lanhdao.get_by_label("Điểm kết quả thực hiện nhiệm vụ").fill("60")
    lanhdao.get_by_label("Nhận xét").fill("Hoàn thành tốt nhiệm vụ được giao")
    lanhdao.get_by_label("Đề xuất mức xếp loại").select_option("HTT")
    lanhdao.get_by_role("button", name="Lưu đánh giá").click()
    expect(lanhdao.get_by_role("status")).to_contain_text(f"Đã lưu đánh giá của lãnh đạo cho {me}")
    expect(lanhdao.locator("#people")).to_contain_text("đã đánh giá hết")
    expect(lanhdao.locator("#people tr").filter(has_text=me)).to_contain_text(
        "Lãnh đạo đã đánh giá"
    )

    # bantochuc: every self-review is in (several entered on behalf): verify, then propose.
    bantochuc = as_demo("bantochuc")
    _to_the_year(bantochuc)
    organiser = bantochuc.locator("#organiser")
    expect(organiser).to_contain_text("0 phiếu chưa tự kiểm điểm")
    organiser.get_by_role("link", name="Thẩm định").click()
    expect(bantochuc.get_by_role("heading", level=1)).to_contain_text("Thẩm định")
    bantochuc.get_by_role("button", name="Thẩm định các phiếu đã chọn").click()
    expect(bantochuc.get_by_role("status")).to_contain_text("Đã thẩm định")
    bantochuc.get_by_role("button", name="Đề xuất mức xếp loại cho cả kỳ").click()
    expect(bantochuc.get_by_role("status")).to_contain_text("Đã đề xuất")

    # thamquyen: the board that manages the ward concludes, accepting every proposal.
    thamquyen = as_demo("thamquyen")
    _to_the_year(thamquyen)
    authority = thamquyen.locator("#authority")
    expect(authority).to_contain_text("đề xuất chờ kết luận")
    authority.get_by_role("link", name="Kết luận").click()
    expect(thamquyen.get_by_role("heading", level=1)).to_contain_text("Kết luận")
    thamquyen.get_by_role("button", name="Chấp thuận tất cả đề xuất không cần điều chỉnh").click()
    expect(thamquyen.get_by_role("status")).to_contain_text("Đã kết luận")
    assert (
        not Evaluation.objects.exclude(state=EvaluationState.CONCLUDED)
        .filter(period__kind="year")
        .exists()
    )

    # bantochuc publishes, from the period's board.
    _home(bantochuc)
    _to_the_year(bantochuc)
    bantochuc.locator("#publish").get_by_role("button", name="Công khai kết quả").click()
    expect(bantochuc.get_by_role("status")).to_contain_text("Đã công khai")
    expect(bantochuc.get_by_role("heading", level=1)).to_contain_text("Công khai kết quả")

    # canhan reads her published result, and may appeal.
    _home(canhan)
    _to_the_year(canhan)
    canhan.locator("#own").get_by_role("link", name="Xem kết quả").click()
    expect(canhan.locator("#result")).to_contain_text(
        f"Kết quả xếp loại năm {today().year}: Hoàn thành tốt nhiệm vụ (HTT)"
    )
    expect(canhan.locator("#result")).to_contain_text("Ban Thường vụ Quận ủy Quận 1")
    expect(canhan.get_by_text("Gửi kiến nghị về kết quả")).to_be_visible()
