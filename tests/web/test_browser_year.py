"""Issue 13 in a real browser, on the demo city as `thuocdo demo` builds it (not fixtures): the
year of the logins' ward, finished by the people who must do it, each starting at their home
page and clicking links and buttons only. `canhan` writes her self-review (no level is chosen
for her); `lanhdao` assesses her from his board; `bantochuc` verifies and proposes;
`thamquyen`, the board that manages the ward, concludes; `bantochuc` publishes; `canhan`
reads her published result and may appeal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from thuocdo.org.models import User
from thuocdo.org.scope import today
from thuocdo.reviews.models import Evaluation, EvaluationState
from thuocdo.web.templatetags.thuocdo import LEVEL_NAMES

# The pages start background jobs: their progress goes through the "jobs" connection.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "jobs"]),
]
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


def _todo(page: Page, key: str, text: str) -> None:
    """Follow the item of today's work on the home page that says `text`."""
    item = page.locator(f'li[data-key="{key}"]')
    expect(item).to_contain_text(text)
    item.get_by_role("link").first.click()


def test_the_year_of_the_demo_ward_is_finished_by_the_people_who_must_do_it(as_demo):
    me, year = _name("canhan"), today().year

    # canhan: her home page says her self-review is due; nothing is chosen for her in it.
    canhan = as_demo("canhan")
    _todo(canhan, "reviews.year-self", f"Bản tự kiểm điểm năm {year} (Mẫu 2A) chưa làm")
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

    # lanhdao: his home page → the year's board, which lists the people he assesses.
    lanhdao = as_demo("lanhdao")
    _todo(lanhdao, "reviews.year-to-review", f"1 bản tự kiểm điểm năm {year} chờ lãnh đạo")
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
    _todo(bantochuc, "reviews.year-to-verify", f"phiếu đánh giá năm {year} chờ thẩm định")
    expect(bantochuc.get_by_role("heading", level=1)).to_contain_text("Thẩm định")
    bantochuc.get_by_role("button", name="Thẩm định các phiếu đã chọn").click()
    expect(bantochuc.get_by_role("status")).to_contain_text("Đã thẩm định")
    bantochuc.get_by_role("button", name="Đề xuất mức xếp loại cho cả kỳ").click()
    expect(bantochuc.get_by_role("status")).to_contain_text("Đã đề xuất")

    # thamquyen, the board that manages the ward: from home, accepts every proposal.
    thamquyen = as_demo("thamquyen")
    _todo(thamquyen, "reviews.year-to-conclude", f"phiếu đánh giá năm {year} chờ kết luận")
    expect(thamquyen.get_by_role("heading", level=1)).to_contain_text("Kết luận")
    thamquyen.get_by_role("button", name="Chấp thuận tất cả đề xuất không cần điều chỉnh").click()
    expect(thamquyen.get_by_role("status")).to_contain_text("Đã kết luận")
    assert (
        not Evaluation.objects.exclude(state=EvaluationState.CONCLUDED)
        .filter(period__kind="year")
        .exists()
    )
    # «Kỳ đánh giá» reaches the same period too.
    _home(thamquyen)
    _to_the_year(thamquyen)
    expect(thamquyen.locator("#authority")).to_contain_text("0 đề xuất chờ kết luận")

    # bantochuc publishes, from his home page.
    _home(bantochuc)
    _todo(bantochuc, "reviews.year-to-publish", "đã kết luận xong, chờ công khai")
    bantochuc.get_by_role("button", name="Công khai kết quả").click()
    expect(bantochuc.get_by_role("status")).to_contain_text("Đã công khai")
    expect(bantochuc.get_by_role("heading", level=1)).to_contain_text("Công khai kết quả")

    # canhan reads her published result from her home page, and may appeal.
    _home(canhan)
    _todo(canhan, "reviews.year-published", f"Kết quả xếp loại năm {year} đã công khai")
    mine = Evaluation.objects.get(period__kind="year", person__user__username="canhan")
    expect(canhan.locator("#result")).to_contain_text(
        f"Kết quả xếp loại năm {year}: {LEVEL_NAMES[mine.level]} ({mine.level})"
    )
    expect(canhan.locator("#result")).to_contain_text("Ban Thường vụ Quận ủy Quận 1")
    expect(canhan.get_by_text("Gửi kiến nghị về kết quả")).to_be_visible()


def _to_the_year(page: Page) -> None:
    """From the home page to this year's period: «Kỳ đánh giá», then «Năm …»."""
    page.get_by_role("link", name="Kỳ đánh giá").first.click()
    page.get_by_role("link", name=f"Năm {today().year}", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Năm {today().year}")
