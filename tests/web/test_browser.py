"""In a real browser (Debian's chromium driven by Playwright): an organiser logs in, opens
the tree, finds a person without typing diacritics, and is refused a sibling district."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    yield context.new_page()
    context.close()


def test_an_organiser_browses_searches_and_is_refused_a_sibling_district(live_server, world, login):
    base = live_server.url
    page = login("olga")

    open_menu(page, "Tổ chức", "Cơ cấu tổ chức")
    tree = page.locator("#unit-tree")
    expect(tree).to_contain_text("Quận Một")
    expect(tree).not_to_contain_text("Quận Hai")
    # Opening a unit loads its children in place (htmx), without leaving the page.
    tree.get_by_text("Quận Một", exact=True).click()
    expect(tree).to_contain_text("Phường Một")

    open_menu(page, "Tổ chức", "Cán bộ")
    page.get_by_role("searchbox").fill("hong nhung")
    results = page.locator("#results")
    expect(results).to_contain_text("Nguyễn Thị Hồng Nhung")
    expect(results).not_to_contain_text("Trần Văn Ánh")
    page.get_by_role("searchbox").fill("nguyen thi")
    expect(results).to_contain_text("Nguyễn Thị Hồng Nhung")

    response = page.goto(f"{base}/can-bo/{world.bob.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{base}/can-bo/{world.carol.pk}/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Trần Văn Ánh")


def test_a_wrong_password_is_refused_in_vietnamese(live_server, world, page):
    page.goto(live_server.url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("olga")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
