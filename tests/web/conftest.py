"""The browser every UI test drives: Debian's chromium through Playwright."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# The README's demo logins, and the password every one of them has.
DEMO_LOGINS = [
    "canhan",
    "lanhdao",
    "thutruong",
    "bantochuc",
    "bantochuc.q1",
    "thamquyen",
    "quantri",
]
DEMO_PASSWORD = "ThuocDo@2026"
DEMO_PEOPLE = 400
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


@pytest.fixture
def demo_city(transactional_db: None) -> Iterator[None]:
    """The demo city exactly as `thuocdo demo` builds it, small."""
    call_command("demo", "--people", str(DEMO_PEOPLE), stdout=StringIO())
    yield
    connections.close_all()  # see tests/web/test_browser_cycle.py


@pytest.fixture
def as_demo(browser: Browser, live_server, demo_city: None) -> Callable[..., Page]:
    """A browser logged in as one of the demo's logins, on their home page."""

    def open_as(username: str, *, width: int = 1366, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        return page

    return open_as
