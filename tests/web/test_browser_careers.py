"""Browser test of a dossier (issue 8): the organiser opens a person from the people list,
follows "Hồ sơ đánh giá" and downloads its PDF, which carries the name and each year's level."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.careers.helpers import past_level, published_level
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_organiser_opens_a_dossier_and_downloads_its_pdf(
    live_server, world: World, login: Callable[..., Page], tmp_path
) -> None:
    past_level(world.alice, 2024, "HTXS")
    past_level(world.alice, 2025, "HTT")
    published_level(world.alice, 2026, "HTNV")
    page = login("olga", width=1280, height=900)

    page.goto(f"{live_server.url}/can-bo/{world.alice.pk}/")
    page.get_by_role("link", name="Hồ sơ đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hồ sơ đánh giá: Nguyễn Thị Hồng Nhung"
    )
    years = page.get_by_role("table", name="Kết quả các năm")
    expect(years).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    expect(years).to_contain_text("Hệ thống")

    with page.expect_download() as download:
        page.get_by_role("button", name="Tải PDF").click()
    assert download.value.suggested_filename == "ho-so-danh-gia-CB-A.pdf"
    path = tmp_path / "ho-so.pdf"
    download.value.save_as(path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "Nguyễn Thị Hồng Nhung" in text
    for year, level in ((2024, "HTXS"), (2025, "HTT"), (2026, "HTNV")):
        assert f"{year} Công chức {level} —" in text, (year, level, text)
