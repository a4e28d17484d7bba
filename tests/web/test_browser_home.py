"""Issue 13 item 4 in a real browser, on the demo city as `thuocdo demo` builds it (not
fixtures): each README login opens their home page, finds today's work there with its counts,
and every item's link leads to the page where it is done; on a phone (390 px) nothing is wider
than the screen, the menu's groups included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DEMO_LOGINS
from tests.web.test_contrast import AA, contrast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOGINS = DEMO_LOGINS
# The logins the demo gives work today: their home page lists at least one item.
WITH_WORK = {"canhan", "lanhdao", "thutruong", "bantochuc", "bantochuc.q1", "thamquyen"}
# Where each kind of item leads: the page's heading (h1).
LANDS_ON = {
    "work.plan-to-register": "Tháng của tôi",
    "work.plan-to-submit": "Tháng của tôi",
    "work.plan-returned": "Tháng của tôi",
    "work.tasks-overdue": "Tháng của tôi",
    "work.tasks-due-soon": "Tháng của tôi",
    "work.plans-to-approve": "Đơn vị của tôi",
    "work.completions-to-verify": "Đơn vị của tôi",
    "work.exemptions-to-decide": "Đơn vị của tôi",
    "reviews.month-self": r"Tự (chấm điểm|đánh giá)",
    "reviews.month-to-score": "Đơn vị của tôi",
    # The month's board, or where the head cannot open a period over the city, the first score.
    "reviews.month-levels": r"Tháng \d\d/\d{4}|^[^\d]+$",
    "reviews.month-not-open": "Kỳ đánh giá",
    "reviews.year-not-open": "Kỳ đánh giá",
    "reviews.year-self": "Bản tự kiểm điểm",
    "reviews.year-collective": "Bản tự kiểm điểm",
    "reviews.year-to-review": r"Năm \d{4}",
    "reviews.year-late": r"Năm \d{4}",
    "reviews.year-to-verify": "Thẩm định",
    "reviews.year-to-propose": "Thẩm định",
    "reviews.year-to-conclude": "Kết luận",
    "reviews.year-to-publish": "Kết luận",
    "careers.cases-to-decide": "Trường hợp cần xem xét",
    "targets.results-to-report": ".",  # the set's own title
    "targets.sets-to-assign": "Chỉ tiêu",
    "opinions.body-requests": "ý kiến",
    "reviews.month-confirm": r"Tự (chấm điểm|đánh giá)",
    # The pages titled by their own object (a person, a vote, a survey, a meeting): any title
    # but the one of a page not found.
    "reviews.year-confirm": ".",
    "reviews.year-published": ".",
    "reviews.appeals-to-reexamine": ".",
    "reviews.appeals-to-decide": ".",
    "ballots.to-open": ".",
    "ballots.to-count": ".",
    "ballots.to-publish": ".",
    "ballots.batches-to-check": "Tập phiếu giấy",
    "opinions.surveys-to-close": "Lấy ý kiến",
    "opinions.meetings-to-close": "Họp tập thể",
}
NOTHING_WIDER = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  });
  return {scroll: document.documentElement.scrollWidth - width,
          wide: wide.slice(0, 5).map((el) => el.outerHTML.slice(0, 120))};
}"""


def _items(page: Page) -> list[tuple[str, str, str]]:
    """(key, sentence, link) of each waiting item on the home page."""
    rows = page.locator("#viec-can-lam li.todo-item")
    return [
        (
            row.get_attribute("data-key") or "",
            row.get_by_role("link").inner_text(),
            row.get_by_role("link").get_attribute("href") or "",
        )
        for row in rows.all()
    ]


@pytest.mark.parametrize("username", LOGINS)
def test_each_login_finds_todays_work_and_each_link_leads_where_it_is_done(as_demo, username):
    page = as_demo(username)
    items = _items(page)
    if username in WITH_WORK:
        assert items, f"{username}: nothing waits on the home page"
    if not items:
        expect(page.locator("#khong-co-viec")).to_have_text("Không có việc nào đang chờ bạn.")
    for key, sentence, _ in items:
        assert re.search(r"\d", sentence), f"{username}: «{sentence}» has no count"
        assert key in LANDS_ON, f"{username}: no landing page declared for {key}"
    home = page.url
    for key, _, _ in items:
        page.goto(home)
        page.locator(f'#viec-can-lam li.todo-item[data-key="{key}"]').first.get_by_role(
            "link"
        ).click()
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(re.compile(LANDS_ON[key]))
        expect(heading).not_to_contain_text("Không tìm thấy")


def test_the_leaders_work_reads_with_its_counts_and_is_done_where_it_leads(as_demo):
    page = as_demo("lanhdao")
    plans = page.locator('#viec-can-lam li[data-key="work.plans-to-approve"]')
    expect(plans).to_have_text(re.compile(r"\d+ kế hoạch tháng \d\d/\d{4} chờ duyệt"))
    plans.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đơn vị của tôi")
    expect(page.get_by_role("heading", name=re.compile("Kế hoạch chờ duyệt"))).to_be_visible()


@pytest.mark.parametrize("username", LOGINS)
def test_the_home_page_and_the_menu_fit_a_phone(as_demo, username):
    page = as_demo(username, width=390, height=844)
    fit = page.evaluate(NOTHING_WIDER)
    assert fit == {"scroll": 0, "wide": []}, f"{username}: {fit}"
    for group in page.locator("nav.site summary").all():
        group.click()
        fit = page.evaluate(NOTHING_WIDER)
        assert fit == {"scroll": 0, "wide": []}, f"{username}, {group.inner_text()}: {fit}"
        group.click()


def _hex(rgb: str) -> str:
    """ "rgb(20, 83, 45)" as "#14532d"."""
    red, green, blue = (int(v) for v in re.findall(r"\d+", rgb)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_a_login_reads_the_mornings_reminders_and_marks_them_read(as_demo):
    page = as_demo("canhan")
    badge = page.locator("#unread-count")
    expect(badge).to_be_visible()
    count = int(re.findall(r"\d+", badge.inner_text())[0])
    expect(page.locator("#thong-bao-moi h2")).to_have_text(f"Thông báo chưa đọc ({count})")
    expect(page.locator("#thong-bao-moi li.note").first).to_contain_text("Nhiệm vụ «")
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    said = page.get_by_role("status").filter(has_text=f"Đã đánh dấu {count} thông báo là đã đọc.")
    expect(said).to_be_visible()
    colour, background = said.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    assert contrast(_hex(colour), _hex(background)) >= AA
    expect(page.locator("#unread-count")).to_have_count(0)
    expect(page.locator("#thong-bao-moi")).to_contain_text("Không có thông báo mới.")
