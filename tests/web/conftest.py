"""The browser every UI test drives: Debian's chromium through Playwright."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings: Any) -> None:
    """The live server has no worker beside it: a job a page starts runs as soon as it is
    queued (django-tasks' immediate backend), so the page that follows it finds it done and
    goes on to its result, as it would a moment later with `thuocdo worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def browser(browser_env: None) -> Iterator[Browser]:
    """One headless chromium for the test."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def login(browser: Browser, live_server) -> Callable[..., Page]:
    """Open a new browser context logged in as one of the cast."""

    def open_as(username: str, *, width: int = 390, height: int = 844) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        page = context.new_page()
        page.goto(live_server.url + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        return page

    return open_as


def open_menu(page: Page, group: str, entry: str) -> None:
    """Open a group of the menu (a dropdown) and follow one of its entries."""
    page.locator("nav.site summary").filter(has_text=group).click()
    page.locator("nav.site").get_by_role("link", name=entry, exact=True).click()
