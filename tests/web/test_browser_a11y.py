"""Issue 16: each README login walks their home page and daily pages on the demo city at
1366×900 and 390×844, leaving a full-page screenshot of each (a CI artefact: the folder
THUOCDO_SCREENSHOTS, `artifacts/screenshots/` by default); on the phone nothing is wider than
the screen, and axe-core (vendored, injected by the test only) finds no serious or critical
violation of WCAG 2 A/AA (contrast, labels, landmarks…) at either size.

One test walks every login over one demo city: building the city is most of a browser test's
time, and a failure still names every login, page and width that failed, with every screenshot
left behind to look at."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import DEMO_LOGINS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
SIZES = [(1366, 900), (390, 844)]
PHONE = 390

# Where each daily page is linked: the menu (by its words), the period list («Kỳ đánh giá»,
# its n-th link whose words match), or today's work on the home page (the item's words).
MENU = {
    "thang-cua-toi": "Tháng của tôi",
    "don-vi-cua-toi": "Đơn vị của tôi",
    "ky-danh-gia": "Kỳ đánh giá",
    "khoa-so-thang": "Khóa sổ tháng",
    "chi-tieu": "Chỉ tiêu",
    "xem-xet": "Trường hợp cần xem xét",
    "bao-cao": "Báo cáo",
    "to-chuc": "Cơ cấu tổ chức",
    "can-bo": "Cán bộ",
    "tai-khoan": "Tài khoản",
    "thong-bao": "Thông báo",
}
BOARDS = {"thang-nay": (r"^Tháng ", 0), "thang-truoc": (r"^Tháng ", 1), "nam": (r"^Năm ", 0)}
TODAY = {
    "tu-danh-gia-thang": r"^Tự đánh giá tháng",
    "tu-kiem-diem": r"^Bản tự kiểm điểm năm",
    "tham-dinh": r"chờ thẩm định",
}
# Each login's daily pages, after the home page: what the README sends them to do.
DAILY = {
    "canhan": ["thang-cua-toi", "tu-danh-gia-thang", "ky-danh-gia", "nam", "tu-kiem-diem"],
    "lanhdao": ["thang-cua-toi", "don-vi-cua-toi", "ky-danh-gia", "thang-nay", "nam"],
    "thutruong": ["don-vi-cua-toi", "ky-danh-gia", "thang-truoc", "nam", "chi-tieu", "bao-cao"],
    "bantochuc": [
        "ky-danh-gia",
        "thang-nay",
        "nam",
        "tham-dinh",
        "khoa-so-thang",
        "bao-cao",
        "can-bo",
    ],
    "bantochuc.q1": ["ky-danh-gia", "nam", "bao-cao", "can-bo", "tai-khoan"],
    "thamquyen": ["ky-danh-gia", "nam", "xem-xet", "can-bo"],
    "quantri": ["don-vi-cua-toi", "ky-danh-gia", "bao-cao", "to-chuc"],
}

# What sticks out of the screen: the page's own overflow, and every visible element wider than
# the viewport or running past its edges, named by tag, class and the start of its text.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase()
    + (el.classList.length ? "." + [...el.classList].join(".") : "")
    + " «" + (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60) + "»";
  const wide = [...document.querySelectorAll("body *")].filter((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (getComputedStyle(el).visibility === "hidden") return false;
    return box.width > width || box.right > width + 1 || box.left < -1;
  });
  return {scroll: document.documentElement.scrollWidth, width: width,
          wide: wide.slice(0, 8).map((el) =>
            `${name(el)} (${Math.round(el.getBoundingClientRect().width)} px)`)};
}"""
AXE_RUN = """() => axe.run(document, {
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  resultTypes: ["violations"],
}).then((result) => result.violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => `${v.id} (${v.impact}): ${v.help}; ` + v.nodes.slice(0, 5).map((n) =>
    n.target.join(" ") + " — " + (n.any.concat(n.all)[0] || {message: ""}).message).join(" | ")))"""


def _screenshots() -> Path:
    folder = Path(os.environ.get("THUOCDO_SCREENSHOTS") or ROOT / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _find(page: Page, base: str, name: str) -> str:
    """The address of one of the login's daily pages, found where a user finds it."""
    page.goto(base + "/")
    if name in MENU:
        link = page.locator("nav.site a").filter(has_text=re.compile("^" + MENU[name]))
    elif name in TODAY:
        link = page.locator("#viec-can-lam a").filter(has_text=re.compile(TODAY[name]))
    else:
        page.goto(
            base + (page.locator("nav.site a", has_text="Kỳ đánh giá").get_attribute("href") or "")
        )
        words, nth = BOARDS[name]
        link = page.locator("main a").filter(has_text=re.compile(words)).nth(nth)
    return base + (link.first.get_attribute("href") or "")


def _check(page: Page, shot: Path, width: int, axe: str) -> list[str]:
    """Leave the page's screenshot and say what is wrong with it."""
    problems = []
    heading = page.locator("h1").first.inner_text()
    if "Không tìm thấy" in heading or page.locator("h1").count() != 1:
        problems.append(f"the page has no single title of its own: «{heading}»")
    # Written whole, then renamed: the SQLite and PostgreSQL runs of `make test` share the folder.
    written = shot.with_name(f".{os.getpid()}-{shot.name}")
    page.screenshot(path=written, full_page=True)
    written.replace(shot)
    if width == PHONE:
        fit = page.evaluate(OVERFLOW)
        if fit["scroll"] > fit["width"] or fit["wide"]:
            problems.append(f"wider than the phone ({fit['scroll']} px): {fit['wide']}")
    page.evaluate(axe)  # through the DevTools protocol: the site's CSP stays as it is
    problems += page.evaluate(AXE_RUN)
    return problems


def test_each_logins_daily_pages_fit_a_phone_and_pass_axe(
    as_demo: Callable[..., Page], browser: Browser, live_server
):
    folder = _screenshots()
    axe = AXE.read_text()
    problems: list[str] = []
    # The login page as everyone first sees it, with its error message (a refused password).
    page = browser.new_page(locale="vi-VN")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("khongco")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("alert")).to_contain_text("không đúng")
        problems += [
            f"dang-nhap, {width} px: {problem}"
            for problem in _check(page, folder / f"dang-nhap-{width}.png", width, axe)
        ]
    page.close()
    for login in DEMO_LOGINS:
        page = as_demo(login)
        pages = {"trang-chu": live_server.url + "/"}
        pages |= {name: _find(page, live_server.url, name) for name in DAILY[login]}
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for name, url in pages.items():
                shot = folder / f"{login}-{name}-{width}.png"
                page.goto(url)
                problems += [
                    f"{login}, {name} ({url}), {width} px: {problem}"
                    for problem in _check(page, shot, width, axe)
                ]
                assert shot.stat().st_size > 0
        page.context.close()
    assert not problems, "\n".join(problems)
