"""Issue 7 in a real browser: Olga sets up a confidence vote on Hana and Lena by six members of
Quận Một and opens it; one member votes on a phone-sized screen with the code handed to him;
Olga hands paper ballots to the five others and enters them; Oanh, a second member of the
counting committee, checks the batch; Olga counts, publishes and downloads the minutes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connections
from docx import Document
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.ballots.helpers import second_counter, voters
from tests.web.conftest import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
HANA = "Hoàng Văn Hải — Chủ tịch UBND quận"
LENA = "Lê Thị Lan — Phó Chủ tịch UBND phường"


def _said(page: Page, text: str | re.Pattern[str]) -> None:
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()


def _refused(page: Page, text: str | re.Pattern[str]) -> None:
    """A refusal is shown as an error (role=alert), never in a success's style."""
    expect(page.get_by_role("alert").filter(has_text=text).first).to_be_visible()


def test_a_vote_electronic_and_on_paper_from_set_up_to_the_minutes(
    live_server, world: Any, login, browser: Browser
) -> None:
    try:
        _vote(live_server.url, world, login, browser)
    finally:
        connections.close_all()  # see tests/web/test_browser_cycle.py


def _vote(base: str, world: Any, login: Any, browser: Browser) -> None:
    members = [p.full_name for p in voters(world, 6)]
    second_counter(world)

    olga = login("olga", **WIDE)
    open_menu(olga, "Đánh giá", "Phiếu tín nhiệm")
    olga.get_by_role("button", name="Tổ chức lấy phiếu").click()  # a link styled as a button
    olga.get_by_role("link", name="Quận Một").click()
    olga.get_by_label("Tên cuộc lấy phiếu").fill("Lấy phiếu tín nhiệm giữa nhiệm kỳ 2026")
    olga.get_by_label("Ngày hội nghị").fill("2026-12-15")
    on_ballot = olga.get_by_role("group", name="Người được lấy phiếu")
    on_ballot.get_by_label("Hoàng Văn Hải").check()
    on_ballot.get_by_label("Lê Thị Lan").check()
    roll = olga.get_by_role("group", name="Người được triệu tập bỏ phiếu")
    for name in members:
        roll.get_by_label(name).check()
    olga.get_by_role("group", name="Ban kiểm phiếu").get_by_label("Nguyễn Thị Hồng Nhung").check()
    olga.get_by_role("button", name="Lưu cuộc lấy phiếu").click()
    expect(olga.get_by_role("main")).to_contain_text("Đã bỏ phiếu: 0/6")
    campaign_url = olga.url

    olga.get_by_role("button", name="Mở bỏ phiếu và phát mã").click()
    slip = olga.locator("article").filter(has_text=members[0])
    code = slip.locator(".code").inner_text()
    expect(olga.locator(".code")).to_have_count(6)

    voter = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    voter.goto(base + "/bo-phieu/")
    voter.get_by_label("Mã bỏ phiếu").fill(code)
    voter.get_by_role("button", name="Tiếp tục").click()
    voter.get_by_role("group", name=HANA).get_by_label("Tín nhiệm thấp").check()
    voter.get_by_role("group", name=LENA).get_by_label("Tín nhiệm cao").check()
    assert voter.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    voter.get_by_role("button", name="Gửi phiếu").click()
    expect(voter.get_by_role("heading", level=1)).to_have_text("Cảm ơn đồng chí")
    expect(voter.get_by_role("main")).not_to_contain_text("thấp")
    voter.goto(base + "/bo-phieu/")
    voter.get_by_label("Mã bỏ phiếu").fill(code)
    voter.get_by_role("button", name="Tiếp tục").click()
    expect(voter.get_by_role("main")).to_contain_text("đã được sử dụng")

    olga.goto(campaign_url)
    expect(olga.get_by_role("main")).to_contain_text("Đã bỏ phiếu: 1/6")
    olga.get_by_text("Phát phiếu giấy", exact=True).click()
    paper = olga.get_by_role("group", name="Người nhận phiếu giấy")
    for name in members[1:]:
        paper.get_by_label(name).check()
    olga.get_by_role("button", name="Ghi nhận đã phát phiếu giấy").click()
    _said(olga, "Đã phát 5 phiếu giấy.")
    olga.get_by_role("button", name="Nhập tập phiếu giấy").click()
    olga.get_by_role("link", name="5 dòng").click()
    for n in range(1, 6):
        olga.get_by_label(f"Phiếu {n}: Hoàng Văn Hải").select_option(
            label="Tín nhiệm thấp" if n < 5 else "Tín nhiệm"
        )
        olga.get_by_label(f"Phiếu {n}: Lê Thị Lan").select_option(label="Tín nhiệm cao")
    olga.get_by_role("button", name="Lưu tập phiếu").click()
    _said(olga, "Đã nhập Tập phiếu giấy số 1 (5 phiếu).")
    olga.get_by_role("button", name="Kết thúc bỏ phiếu và kiểm phiếu").click()
    _refused(olga, "chưa được người thứ hai kiểm tra")

    oanh = login("oanh")
    oanh.goto(campaign_url)
    oanh.get_by_role("link", name="Tập phiếu giấy số 1").click()
    expect(oanh.get_by_role("main")).to_contain_text("Tín nhiệm thấp")
    oanh.get_by_role("button", name="Xác nhận đã đối chiếu với phiếu giấy").click()
    _said(oanh, "Đã xác nhận Tập phiếu giấy số 1.")

    olga.goto(campaign_url)
    olga.get_by_role("button", name="Kết thúc bỏ phiếu và kiểm phiếu").click()
    _said(olga, "Đã kiểm phiếu: cuộc lấy phiếu hợp lệ.")
    result = olga.get_by_role("table").last
    expect(result).to_contain_text("5 (83,33%)")
    expect(result).to_contain_text("Xem xét miễn nhiệm")
    olga.get_by_role("button", name="Công bố kết quả").click()
    _said(olga, "Đã công bố kết quả lấy phiếu tín nhiệm.")
    with olga.expect_download() as download:
        olga.get_by_role("link", name="Tải biên bản kiểm phiếu (Word)").click()
    assert download.value.suggested_filename.startswith("bien-ban-kiem-phieu-")
    text = "\n".join(
        cell.text
        for table in Document(str(download.value.path())).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Hoàng Văn Hải" in text and "Xem xét miễn nhiệm" in text
    olga.get_by_role("link", name="Hoàng Văn Hải").click()
    expect(olga.get_by_role("main")).to_contain_text("Hệ quả lấy phiếu tín nhiệm")
