"""In a real browser: the organiser gives a ward its accounts from «Tài khoản» and downloads
the one-time passwords; the new user logs in with one, is made to choose their own password,
then finds «Đổi mật khẩu» in their menu."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Hoa-sen-tren-ho-2026"


def test_from_the_organisers_page_to_the_first_login(live_server, world, login, browser: Browser):
    page = login("olga", width=1280, height=900)
    page.locator("nav.site summary", has_text="Tổ chức").click()  # the menu's group
    page.get_by_role("link", name="Tài khoản", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản")
    page.get_by_label("Mã đơn vị").fill("P1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tạo và tải tệp mật khẩu").click()
    assert download.value.suggested_filename.startswith("tai-khoan-moi-")
    path = Path(download.value.path())
    sheet = load_workbook(io.BytesIO(path.read_bytes()))["Tài khoản mới"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    [(_, name, _, unit, username, password)] = rows
    assert (name, unit, username) == ("Trần Văn Ánh", "Phường Một", "anhtv")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    user = context.new_page()
    user.goto(live_server.url + "/dang-nhap/")
    user.get_by_label("Tên đăng nhập").fill(str(username))
    user.get_by_label("Mật khẩu").fill(str(password))
    user.get_by_role("button", name="Đăng nhập").click()
    expect(user.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    user.locator("#id_old_password").fill(str(password))
    user.locator("#id_new_password1").fill("anhtv12345")
    user.locator("#id_new_password2").fill("anhtv12345")
    user.get_by_role("button", name="Đổi mật khẩu").click()
    expect(user.get_by_text("Mật khẩu không được chứa tên đăng nhập.").first).to_be_visible()
    user.locator("#id_old_password").fill(str(password))
    user.locator("#id_new_password1").fill(NEW)
    user.locator("#id_new_password2").fill(NEW)
    user.get_by_role("button", name="Đổi mật khẩu").click()
    expect(user.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    user.get_by_text("anhtv", exact=True).click()  # the user menu
    expect(user.get_by_role("link", name="Đổi mật khẩu")).to_be_visible()
    expect(user.get_by_role("button", name="Đăng xuất")).to_be_visible()
    context.close()
