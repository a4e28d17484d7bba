"""«Khóa sổ tháng» in a real browser on a phone, on the demo city as `thuocdo demo` builds it:
`bantochuc`, from the home page, closes last month for a ward picked by typing its name, the
ward's people see their month closed, and he reopens it with a reason; the history keeps both,
and nothing is wider than the phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from thuocdo.org.scope import today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = 390


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_the_organiser_closes_last_month_for_a_ward_and_reopens_it(
    as_demo: Callable[..., Page],
) -> None:
    at = today()
    year, month = (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)
    label = f"{month:02d}/{year}"

    page = as_demo("bantochuc", width=PHONE, height=844)
    page.locator("section.shortcuts").get_by_role("link", name="Khóa sổ tháng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Khóa sổ tháng {label}")
    expect(page.locator("#locks")).to_contain_text(f"Tháng {label} chưa khóa sổ đơn vị nào")
    _fits(page)

    field = page.get_by_label("Đơn vị (cả các đơn vị trực thuộc)")
    field.press_sequentially("UBND Phường 1", delay=20)
    options = page.locator("#id_unit-list option")
    expect(options.first).to_have_attribute("value", "Q01-P01-UB")
    expect(options.first).to_contain_text("UBND Phường 1 – Phường 1")
    field.fill("Q01-P01-UB")
    page.get_by_label("Lý do, ghi chú (không bắt buộc)").fill("Đã chấm, xếp loại xong")
    page.get_by_role("button", name=f"Khóa sổ tháng {label}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Đã khóa sổ tháng {label} của UBND Phường 1"
    )
    row = page.locator("#locks tr").filter(has_text="UBND Phường 1")
    expect(row).to_contain_text("Đã chấm, xếp loại xong")
    _fits(page)

    # Locking it again is refused, saying why; nothing changes.
    page.get_by_label("Đơn vị (cả các đơn vị trực thuộc)").fill("Q01-P01-UB")
    page.get_by_role("button", name=f"Khóa sổ tháng {label}").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Tháng {label} của UBND Phường 1 đã khóa sổ."
    )
    expect(page.locator("#locks tr").filter(has_text="UBND Phường 1")).to_have_count(1)

    # canhan, in that ward, sees her last month closed and no way to change it.
    canhan = as_demo("canhan", width=PHONE, height=844)
    canhan.get_by_role("link", name="Tháng của tôi").first.click()
    canhan.get_by_role("link", name="‹ Tháng trước").click()
    expect(canhan.locator(".month-locked")).to_contain_text(f"Tháng {label} đã khóa sổ")
    expect(canhan.locator(".month-locked")).to_contain_text("Đã chấm, xếp loại xong")
    expect(canhan.get_by_role("link", name="Sửa tự đánh giá tháng")).to_have_count(0)
    expect(canhan.get_by_role("link", name="Tự đánh giá tháng")).to_have_count(0)
    _fits(canhan)

    # bantochuc reopens it with a reason, kept in the history beside the closing.
    page.goto(page.url)
    row = page.locator("#locks tr").filter(has_text="UBND Phường 1")
    row.get_by_label("Lý do mở lại (bắt buộc)").fill("Bổ sung minh chứng còn thiếu")
    row.get_by_role("button", name="Mở lại tháng").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã mở lại tháng {label}")
    expect(page.locator("#locks")).to_contain_text(f"Tháng {label} chưa khóa sổ đơn vị nào")
    history = page.locator("#history")
    expect(history.locator("tr").filter(has_text="Mở lại tháng")).to_contain_text(
        "Bổ sung minh chứng còn thiếu"
    )
    expect(history.locator("tr").filter(has_text="Khóa sổ")).to_contain_text(
        "Đã chấm, xếp loại xong"
    )
    _fits(page)

    canhan.reload()
    expect(canhan.locator(".month-locked")).to_have_count(0)
