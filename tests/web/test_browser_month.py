"""Issue 4 in a real browser: a civil servant's month from registration to the score.

Alice registers three tasks of last month, reports two done on time and one late; her leader
fails one quality review, then accepts the rework; no objective cause is confirmed. The score
shown equals the NĐ 335 formula computed by hand here, and its explanation lists each task.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from thuocdo.org.models import Post
from thuocdo.org.scope import today
from thuocdo.work import services as work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def _last_month() -> tuple[int, int]:
    at = today()
    return (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)


@pytest.fixture
def catalogue(world):
    position = work.job_position_create(actor=None, code="VT-VP", name="Văn phòng", unit=world.p1)
    for code, name, factor in [("BC", "Báo cáo tổng hợp", "2"), ("CV", "Công văn", "0.5")]:
        work.product_type_create(
            actor=None,
            job_position=position,
            code=code,
            name=name,
            group="C",
            unit_of_measure="văn bản",
            conversion_factor=D(factor),
        )
    post = Post.objects.get(person=world.alice)
    work.post_job_position_assign(actor=None, post=post, job_position=position)


def test_a_month_from_registration_to_an_explained_score(live_server, world, catalogue, login):
    year, month = _last_month()
    thang = f"{year}-{month:02d}"
    base = live_server.url
    alice = login("alice", width=1280, height=900)

    # Three tasks: weights 2 × 1 = 2, 0,5 × 4 = 2 and 2 × 2 = 4.
    tasks = [
        ("Báo cáo tháng", "BC", "Báo cáo tổng hợp", "1", 10),
        ("Công văn trả lời", "CV", "Công văn", "4", 12),
        ("Báo cáo chuyên đề", "BC", "Báo cáo tổng hợp", "2", 15),
    ]
    for title, code, product, quantity, due in tasks:
        alice.goto(f"{base}/thang-cua-toi/?thang={thang}")
        form = alice.locator("form[action$='/dang-ky/'], form:has(input[name=title])").first
        if not form.is_visible():
            alice.get_by_text("Đăng ký nhiệm vụ", exact=True).first.click()
        form.get_by_label("Loại sản phẩm").select_option(label=f"{code} — {product}")
        form.get_by_label("Nội dung nhiệm vụ").fill(title)
        form.get_by_label("Số lượng").fill(quantity)
        form.get_by_label("Hạn hoàn thành").fill(f"{year}-{month:02d}-{due:02d}")
        form.get_by_role("button", name="Đăng ký nhiệm vụ").click()
        expect(alice.get_by_role("cell", name=title, exact=True)).to_be_visible()

    # Two on time, the third five days after its due date.
    for title, completed in [
        ("Báo cáo tháng", 9),
        ("Công văn trả lời", 12),
        ("Báo cáo chuyên đề", 20),
    ]:
        row = alice.get_by_role("row").filter(has_text=title)
        row.get_by_text("Báo cáo hoàn thành", exact=True).first.click()
        row.get_by_label("Ngày hoàn thành").fill(f"{year}-{month:02d}-{completed:02d}")
        row.get_by_label("Minh chứng", exact=True).fill("Đã gửi qua hệ thống văn bản")
        row.get_by_role("button", name="Báo cáo hoàn thành").click()
        expect(alice.get_by_role("row").filter(has_text=title)).to_contain_text("chờ xác nhận")

    # The leader fails the first report once (htmx, in place), then accepts the rework.
    lena = login("lena", width=1280, height=900)
    lena.goto(base + "/don-vi-cua-toi/")
    row = lena.locator("tr").filter(has_text="Báo cáo tháng")
    row.get_by_label("Lý do").fill("Thiếu số liệu phường")
    row.get_by_role("button", name="Chưa đạt").click()
    expect(lena.locator("tr").filter(has_text="Báo cáo tháng")).to_contain_text("chưa đạt")

    alice.goto(f"{base}/thang-cua-toi/?thang={thang}")
    row = alice.get_by_role("row").filter(has_text="Báo cáo tháng").first
    row.get_by_text("Báo cáo hoàn thành", exact=True).first.click()
    row.get_by_label("Ngày hoàn thành").fill(f"{year}-{month:02d}-10")
    row.get_by_label("Minh chứng", exact=True).fill("Đã bổ sung số liệu")
    row.get_by_role("button", name="Báo cáo hoàn thành").click()

    lena.goto(base + "/don-vi-cua-toi/")
    for title in ["Báo cáo tháng", "Công văn trả lời", "Báo cáo chuyên đề"]:
        row = (
            lena.locator("tr")
            .filter(has_text=title)
            .filter(has=lena.get_by_role("button", name="Đạt", exact=True))
        )
        row.get_by_role("button", name="Đạt", exact=True).click()
        expect(lena.locator(f"tr:has-text('{title}')").first).to_contain_text("Đã xác nhận")

    # By hand (NĐ 335, Điều 14): weights 2, 2, 4 (total 8); all done: a = 1;
    # one failed review on the first: b = (0,75·2 + 2 + 4) / 8; one delay on the third:
    # c = (2 + 2 + 0,75·4) / 8; result points = 70 × (a + b + c) / 3.
    a = D(1)
    b = (D("0.75") * 2 + 2 + 4) / 8
    c = (D(2) + 2 + D("0.75") * 4) / 8
    expected = (70 * (a + b + c) / 3).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    shown = f"{expected:.2f}".replace(".", ",")

    alice.goto(f"{base}/thang-cua-toi/?thang={thang}")
    expect(alice.locator("#score-total")).to_have_text(shown)  # no general score yet
    alice.get_by_text("Điểm này từ đâu ra").click()
    lines = alice.locator("#score-lines tbody tr")
    expect(lines).to_have_count(3)
    for title in ["Báo cáo tháng", "Công văn trả lời", "Báo cáo chuyên đề"]:
        expect(alice.locator("#score-lines")).to_contain_text(title)
    expect(lines.filter(has_text="Báo cáo tháng")).to_contain_text("1 lần không đạt")
    expect(lines.filter(has_text="Báo cáo chuyên đề")).to_contain_text("1 lần trễ")
    assert expected == D("65.63")  # 70 × 2,8125 / 3 = 65,625, rounded half up
