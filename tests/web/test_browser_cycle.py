"""Issue 5 in a real browser: a whole annual cycle on Quận Một under Quy định 366.

Olga opens 2026; Alice self-assesses (Mẫu 2A) and her leader Lena assesses her; the collective
of Phường Một meets and votes; Olga verifies and proposes; Phường Ba's 21 công chức tie at the
HTXS quota; Tam (BTV Thành ủy) concludes, picking one of the tied (accepted, with a reason) and
refused the other (the quota rule named), then accepts the rest; the results are published,
Alice appeals, Olga re-examines, Tam upholds; the window passes and Tam locks the year. A locked
result then cannot be changed through the page nor through the API.

Set-up outside the cycle goes through services: the cast, Phường Ba's 21 people, and the annual
scores of everyone but Alice (see `_scored_elsewhere`). Every step the issue lists is a click.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from tests.reviews.annual.cycle import (
    SCORES_OF_21,
    appeal_window_passes,
    evaluation_of,
    quota_group_of_21,
)
from thuocdo.audit.models import AuditEvent
from thuocdo.opinions.models import Meeting
from thuocdo.reviews.models import (
    Appeal,
    AppealState,
    Evaluation,
    EvaluationState,
    Period,
    PeriodState,
)

# The pages start background jobs: their progress goes through the "jobs" connection.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", "jobs"]),
]
D = Decimal
WIDE = {"width": 1280, "height": 900}
ALICE = "Nguyễn Thị Hồng Nhung"


def _scored_elsewhere(period: Period, scores: dict[int, Decimal], *, but: Evaluation) -> int:
    """Set-up shortcut, like `tests.reviews.annual.cycle.ready` but one step earlier: every
    evaluation except Alice's gets its annual score and the state «Lãnh đạo đã đánh giá»
    directly, as if self-review and the leader's review had happened (those steps are driven
    through the browser for Alice only). Olga then verifies all of them through the page.
    Alice's own evaluation, entered through the browser, is left untouched."""
    others = Evaluation.objects.filter(period=period).exclude(pk=but.pk)
    count = 0
    for ev in others:
        ev.score = scores.get(ev.pk, D(80))
        ev.score_source = "thiết lập của kiểm thử"
        ev.state = EvaluationState.REVIEWED
        ev.save(update_fields=["score", "score_source", "state"])
        count += 1
    return count


def _said(page: Page, text: str | re.Pattern[str]) -> None:
    """The page's flash message (role=status) says this."""
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()


def _refused(page: Page, text: str | re.Pattern[str]) -> None:
    """The page shows this refusal as an error (role=alert), never in a success's style."""
    expect(page.get_by_role("alert").filter(has_text=text).first).to_be_visible()


def _csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_a_whole_year_from_opening_to_a_locked_result(live_server, world: Any, login) -> None:
    try:
        _whole_year(live_server.url, world, login)
    finally:
        # The test's own queries run while Playwright's sync API holds the thread, in another
        # context than the fixtures': their connection is this thread's to close, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


def _whole_year(base: str, world: Any, login: Callable[..., Page]) -> None:
    p3, people = quota_group_of_21(world)  # Phường Ba, inside Quận Một, before the opening

    # -- 1. Olga opens 2026 over Quận Một under Quy định 366 --------------------------------
    olga = login("olga", **WIDE)
    olga.get_by_role("link", name="Kỳ đánh giá", exact=True).first.click()
    olga.get_by_text("Mở kỳ đánh giá năm").click()
    form = olga.locator("form").filter(has=olga.get_by_role("button", name="Mở kỳ năm"))
    form.get_by_label("Đơn vị").fill("Q1")  # the unit picker takes the code as typed
    form.get_by_label("Năm").fill("2026")
    form.get_by_label("Bộ quy tắc chung").select_option("qd-366-2025")
    form.get_by_label("Hạn tự kiểm điểm").fill("2026-12-15")
    form.get_by_label("Hạn lãnh đạo đánh giá").fill("2026-12-25")
    form.get_by_role("button", name="Mở kỳ năm").click()
    period = Period.objects.get(kind="year", year=2026, unit=world.q1)
    # Collectives Q1, P1, CB1, P3; people Alice, Carol, Lena, Hana and Phường Ba's 21.
    total = period.evaluations.count()
    assert (period.ruleset, total) == ("qd-366-2025", 4 + 4 + 21)
    _said(olga, f"với {total} phiếu đánh giá")
    expect(olga.get_by_role("heading", level=1)).to_contain_text("2026")
    expect(olga.get_by_role("table", name="Tiến độ theo đơn vị")).to_contain_text("Phường Ba")

    # -- 2. Alice self-assesses (Mẫu 2A with its score sheet), Lena assesses her ------------
    alice_ev = evaluation_of(period, world.alice)
    alice = login("alice", **WIDE)
    alice.goto(f"{base}/ky-danh-gia/{period.pk}/")
    alice.get_by_role("link", name="Tự kiểm điểm (Mẫu 2A)").click()
    expect(alice.get_by_role("heading", level=1)).to_contain_text("Mẫu 2A")
    alice.get_by_label("Ưu điểm, kết quả — Tư tưởng chính trị").fill("Vững vàng")
    alice.get_by_label("Ưu điểm, kết quả — Kết quả thực hiện chức trách").fill(
        "Hoàn thành 100% nhiệm vụ"
    )
    alice.get_by_label("Hạn chế, khuyết điểm").fill("Báo cáo còn chậm")
    alice.get_by_label("Điểm tiêu chí chung (tối đa 30)").fill("27")
    alice.get_by_label("Điểm kết quả thực hiện nhiệm vụ (tối đa 70)").fill("63")
    alice.get_by_label("Tự đề xuất mức xếp loại").select_option("HTXS")
    alice.get_by_role("button", name="Lưu bản tự kiểm điểm").click()
    _said(alice, "Đã lưu bản tự kiểm điểm.")
    expect(alice.get_by_role("main")).to_contain_text("Vững vàng")
    alice_ev.refresh_from_db()
    assert (alice_ev.state, alice_ev.self_score, alice_ev.self_level) == (
        EvaluationState.SELF_ASSESSED,
        D(90),
        "HTXS",
    )

    lena = login("lena", **WIDE)
    lena.goto(f"{base}/danh-gia/{alice_ev.pk}/")
    lena.get_by_role("link", name="Lãnh đạo đánh giá").click()
    expect(lena.get_by_role("main")).to_contain_text("tự đề xuất")
    lena.get_by_label("Điểm tiêu chí chung (tối đa 30)").fill("26")
    lena.get_by_label("Điểm kết quả thực hiện nhiệm vụ (tối đa 70)").fill("60")
    lena.get_by_label("Đề xuất mức xếp loại").select_option("HTT")
    lena.get_by_label("Nhận xét").fill("Đồng ý, cần đúng hạn hơn")
    lena.get_by_role("button", name="Lưu đánh giá").click()
    _said(lena, "Đã lưu đánh giá của lãnh đạo cho")
    alice_ev.refresh_from_db()
    # The leader's score counts (no monthly scores this year): 26 + 60.
    assert (alice_ev.state, alice_ev.score, alice_ev.leader_level) == (
        EvaluationState.REVIEWED,
        D(86),
        "HTT",
    )

    # Everyone else: scored outside the browser (Phường Ba per SCORES_OF_21, the rest 80).
    scores = {evaluation_of(period, p).pk: D(s) for p, s in zip(people, SCORES_OF_21, strict=True)}
    assert _scored_elsewhere(period, scores, but=alice_ev) == total - 1

    # -- 3. The collective of Phường Một meets and votes ------------------------------------
    olga.goto(f"{base}/danh-gia/{alice_ev.pk}/")
    olga.get_by_role("link", name="Ghi nhận họp tập thể").click()
    expect(olga.get_by_role("heading", level=1)).to_contain_text("Phường Một")
    olga.get_by_label("Ngày họp").fill("2026-12-10")
    olga.get_by_label("Chủ trì").select_option(label="Lê Thị Lan")
    olga.get_by_label("Thư ký").select_option(label=ALICE)
    for name in (ALICE, "Trần Văn Ánh", "Lê Thị Lan"):
        olga.get_by_label(f"Triệu tập: {name}").check()
    for name in (ALICE, "Lê Thị Lan"):
        olga.get_by_label(f"Có mặt: {name}").check()
    olga.get_by_label("Biên bản").fill("Họp kiểm điểm cuối năm của Phường Một.")
    olga.get_by_role("button", name="Ghi nhận cuộc họp").click()
    expect(olga.get_by_role("main")).to_contain_text("2/3")
    expect(olga.get_by_role("main")).to_contain_text("đủ số lượng")
    olga.locator(f"select[name=e{alice_ev.pk}_level]").select_option("HTT")
    olga.locator(f"input[name=e{alice_ev.pk}_htt]").fill("2")
    olga.get_by_role("button", name="Ghi kết quả biểu quyết").click()
    votes = olga.get_by_role("table").first
    expect(votes.get_by_role("row").filter(has_text=ALICE)).to_contain_text("HTT")
    meeting = Meeting.objects.get(period=period, unit=world.p1)
    assert meeting.is_valid and (meeting.present_count, meeting.summoned_count) == (2, 3)
    vote = meeting.votes.get(evaluation=alice_ev)
    assert (vote.proposed_level, vote.htt, vote.result) == ("HTT", 2, "HTT")

    # -- 4. Olga verifies every evaluation, then proposes; Phường Ba ties at the quota -------
    olga.goto(f"{base}/ky-danh-gia/{period.pk}/")
    olga.get_by_role("navigation", name="Các bước của kỳ đánh giá").get_by_role(
        "link", name="Thẩm định"
    ).click()
    expect(olga.get_by_role("heading", name=f"Chờ thẩm định ({total})")).to_be_visible()
    expect(olga.get_by_role("checkbox", name=f"Chọn {ALICE}")).to_be_checked()
    olga.get_by_role("button", name="Thẩm định các phiếu đã chọn").click()
    _said(olga, f"Đã thẩm định {total} phiếu.")
    assert not period.evaluations.exclude(state=EvaluationState.VERIFIED).exists()
    olga.get_by_role("button", name="Đề xuất mức xếp loại cho cả kỳ").click()
    _said(olga, "2 trường hợp đồng điểm tại ngưỡng tỷ lệ")
    tied = sorted(
        (ev for ev in period.evaluations.select_related("person") if "quota_tie" in ev.flags),
        key=lambda ev: ev.subject_name,
    )
    assert [(ev.unit_id, ev.score) for ev in tied] == [(p3.pk, D(93)), (p3.pk, D(93))]
    first, second = tied
    ties = olga.get_by_role("heading", name="Trường hợp đồng điểm tại ngưỡng tỷ lệ")
    expect(ties).to_be_visible()
    expect(olga.get_by_text("cấp có thẩm quyền chọn trong giới hạn 4")).to_contain_text(
        second.subject_name
    )
    period.refresh_from_db()
    assert period.state == PeriodState.CONCLUSION
    group = period.evaluations.filter(unit=p3, kind="individual")
    assert group.filter(proposed_level="HTXS").count() == 3

    # -- 5. Tam concludes: a tied pick accepted, the other refused by the quota ----------------
    tam = login("tam", **WIDE)
    tam.goto(f"{base}/ky-danh-gia/{period.pk}/ket-luan/")
    tie_note = tam.locator("p").filter(has_text="Đồng điểm tại ngưỡng tỷ lệ —")
    expect(tie_note).to_contain_text("của Phường Ba (HTXS 3 / tối đa 4)")
    expect(tie_note).not_to_contain_text("CC-DC")  # the duty group by its title, not its code
    for ev in (first, second):
        expect(tie_note).to_contain_text(ev.subject_name)
        row = tam.get_by_role("row").filter(has_text=ev.subject_name)
        expect(row).to_contain_text("đồng điểm tại ngưỡng")

    def conclude(page: Page, ev: Evaluation, level: str, reason: str) -> None:
        row = page.get_by_role("row").filter(has_text=ev.subject_name)
        row.get_by_label("Mức kết luận").select_option(level)
        row.get_by_label("Lý do").fill(reason)
        row.get_by_role("button", name="Kết luận").click()

    conclude(tam, first, "HTXS", "Sáng kiến cải cách thủ tục đất đai cấp thành phố")
    _said(tam, f"Đã kết luận: {first.subject_name}.")
    first.refresh_from_db()
    assert (first.level, first.state, first.concluded_by_id) == (
        "HTXS",
        EvaluationState.CONCLUDED,
        world.users["tam"].pk,
    )
    assert first.reason == "Sáng kiến cải cách thủ tục đất đai cấp thành phố"

    conclude(tam, second, "HTXS", "Cũng có nhiều đóng góp")
    _refused(tam, re.compile(r"sẽ có 5 HTXS, vượt giới hạn 4 .*quy tắc quota"))
    second.refresh_from_db()
    assert (second.level, second.state) == ("", EvaluationState.PROPOSED)
    # Post/Redirect/Get: the browser is on the conclusions (a GET) at the refused row, which
    # keeps the level and the reason typed; a reload sends nothing and shows the list afresh.
    conclusions = f"{base}/ky-danh-gia/{period.pk}/ket-luan/"
    assert tam.url == f"{conclusions}#ket-luan-{second.pk}"
    refused_row = tam.locator(f"#ket-luan-{second.pk}")
    expect(refused_row.get_by_label("Lý do")).to_have_value("Cũng có nhiều đóng góp")
    expect(refused_row.get_by_label("Mức kết luận")).to_have_value("HTXS")
    concluded = AuditEvent.objects.filter(action="evaluation.conclude").count()
    tam.reload()
    expect(tam.get_by_role("heading", level=1)).to_contain_text("Kết luận")
    expect(tam.get_by_role("alert")).to_have_count(0)
    expect(refused_row.get_by_label("Lý do")).to_have_value("")
    assert AuditEvent.objects.filter(action="evaluation.conclude").count() == concluded

    tam.get_by_role("button", name="Chấp thuận tất cả đề xuất không cần điều chỉnh").click()
    _said(tam, f"Đã kết luận {total - 1} đề xuất.")
    assert not period.evaluations.exclude(state=EvaluationState.CONCLUDED).exists()
    assert group.filter(level="HTXS").count() == 4
    second.refresh_from_db()
    assert second.level == second.proposed_level != "HTXS"
    alice_ev.refresh_from_db()
    assert alice_ev.level == "HTT"

    # -- 6. Publication, Alice's appeal, re-examination, decision; the window passes, lock --
    tam.get_by_role("button", name="Công khai kết quả").click()
    _said(tam, f"Đã công khai {total} kết quả.")
    expect(tam.get_by_role("row").filter(has_text=first.subject_name)).to_contain_text("HTXS")
    period.refresh_from_db()
    assert period.state == PeriodState.PUBLISHED and period.published_at is not None

    alice.goto(f"{base}/ky-danh-gia/{period.pk}/cong-khai/")
    expect(alice.get_by_role("row").filter(has_text=ALICE)).to_contain_text("HTT")
    expect(alice.get_by_role("main")).not_to_contain_text("Phạm Văn Mười")  # not her unit
    alice.goto(f"{base}/danh-gia/{alice_ev.pk}/")
    alice.get_by_text("Gửi kiến nghị về kết quả").click()
    alice.get_by_label("Nội dung kiến nghị").fill("Đề nghị xem xét mức HTXS như tôi tự đề xuất.")
    alice.get_by_role("button", name="Gửi kiến nghị").click()
    _said(alice, "Đã gửi kiến nghị.")
    appeal = Appeal.objects.get(evaluation=alice_ev)
    assert appeal.state == AppealState.FILED

    olga.goto(f"{base}/danh-gia/{alice_ev.pk}/")
    olga.get_by_label("Ý kiến xem xét lại").fill("Điểm năm 86 dưới ngưỡng HTXS; giữ nguyên HTT.")
    olga.get_by_role("button", name="Ghi ý kiến xem xét lại").click()
    _said(olga, "Đã ghi ý kiến xem xét lại.")
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REEXAMINED

    tam.goto(f"{base}/danh-gia/{alice_ev.pk}/")
    decide = tam.locator("form").filter(has=tam.get_by_role("button", name="Giải quyết kiến nghị"))
    decide.get_by_label("Mức sau giải quyết").select_option("HTT")
    decide.get_by_label("Lý do").fill("Giữ nguyên theo ý kiến Ban Tổ chức.")
    decide.get_by_role("button", name="Giải quyết kiến nghị").click()
    _said(tam, "Đã giải quyết kiến nghị.")
    expect(tam.get_by_role("main")).to_contain_text("Giữ nguyên theo ý kiến Ban Tổ chức.")
    appeal.refresh_from_db()
    assert (appeal.state, appeal.decision_level) == (AppealState.UPHELD, "HTT")

    # Locking waits for the appeal window, and the board says so ...
    tam.goto(f"{base}/ky-danh-gia/{period.pk}/")
    expect(tam.locator("#lock-waits")).to_contain_text("Còn trong thời hạn kiến nghị")
    expect(tam.get_by_role("button", name="Khóa kỳ đánh giá")).to_have_count(0)
    period.refresh_from_db()
    assert period.state == PeriodState.PUBLISHED
    # ... and is offered once it has passed.
    appeal_window_passes(period)
    tam.reload()
    tam.get_by_role("button", name="Khóa kỳ đánh giá").click()
    _said(tam, "Đã khóa kỳ đánh giá.")
    expect(tam.get_by_text("Mở lại kỳ đánh giá đã khóa")).to_be_visible()
    period.refresh_from_db()
    assert period.state == PeriodState.LOCKED

    # -- 7. A locked result cannot be changed: neither through the page nor the API ---------
    tam.goto(f"{base}/ky-danh-gia/{period.pk}/ket-luan/")
    alice_row = tam.get_by_role("row").filter(has_text=alice_ev.subject_name)
    expect(alice_row.get_by_label("Mức kết luận")).to_have_count(0)  # nothing to change
    response = tam.request.post(  # the form's own address, posted all the same
        f"{base}/danh-gia/{alice_ev.pk}/ket-luan/",
        form={"level": "HTNV", "reason": "Sửa sau khi khóa"},
        headers={"X-CSRFToken": _csrf(tam), "Referer": f"{base}/"},
    )
    assert "đã khóa: phải mở lại (có lý do) trước khi sửa" in response.text()
    alice_ev.refresh_from_db()
    assert (alice_ev.level, alice_ev.state) == ("HTT", EvaluationState.PUBLISHED)

    response = tam.request.post(
        f"{base}/api/danh-gia/{alice_ev.pk}/ket-luan/",
        data={"level": "HTNV", "reason": "Sửa qua API sau khi khóa"},
        headers={"X-CSRFToken": _csrf(tam), "Referer": f"{base}/"},
    )
    assert response.status == 400, response.text()
    assert "đã khóa" in response.text()
    # Alice cannot rewrite her self-review through the API either.
    response = alice.request.post(
        f"{base}/api/danh-gia/{alice_ev.pk}/tu-kiem-diem/",
        data={"general": "1", "results": "1", "proposed_level": "KHT"},
        headers={"X-CSRFToken": _csrf(alice), "Referer": f"{base}/"},
    )
    assert 400 <= response.status < 500, response.text()
    alice_ev.refresh_from_db()
    assert (alice_ev.level, alice_ev.self_score, alice_ev.state) == (
        "HTT",
        D(90),
        EvaluationState.PUBLISHED,
    )
