"""The monthly scoring pages: board, score detail with its explanation, scoring, scope."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from tests.jobs.follow import follow_job
from tests.reviews.monthly.test_services import _month_of_alice
from thuocdo.reviews.models import MonthlyScore
from thuocdo.reviews.monthly import services


def _hanoi_month(world):
    _month_of_alice(world)
    period = services.period_open(
        actor=world.users["olga"],
        unit=world.p1,
        kind="month",
        year=2026,
        number=10,
        ruleset="hn-3814-2018",
        options={"outstanding_groups": ["P1"]},
    )
    return period


def test_the_leader_scores_and_the_organiser_computes_through_the_pages(client, world):
    period = _hanoi_month(world)
    client.force_login(world.users["lena"])
    url = reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    response = client.post(url, {"general": "20", "bonus": "10", "deductions": "0", "note": ""})
    assert response.status_code == 302
    client.force_login(world.users["olga"])
    response = client.post(reverse("reviews:period-compute", args=[period.pk]))
    board = follow_job(client, response)
    assert board.redirect_chain[-1][0] == reverse("reviews:period-board", args=[period.pk])
    assert "Đã tính điểm tháng cho" in board.content.decode()
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    assert score.total == Decimal("96.11")  # 20 + 66,11 + 10 under Hà Nội 3814
    page = client.get(reverse("reviews:score-detail", args=[score.pk])).content.decode()
    assert "96,11" in page
    assert "Loại A" in page  # the rule-set's own name of the level
    for title in ["Báo cáo thống kê quý", "Hồ sơ hộ tịch", "Tờ trình"]:
        assert title in page
    board = client.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    # 40% of the 3 staff of an outstanding unit: guidance, not a limit (DESIGN §4.7.7).
    assert "khuyến nghị không quá 1 người loại A (40% của tổng số 3 người)" in board


def test_a_person_sees_their_own_score_and_not_a_colleagues(client, world):
    period = _hanoi_month(world)
    services.month_scores_compute(actor=world.users["olga"], period=period)
    own = MonthlyScore.objects.get(period=period, person=world.alice)
    other = MonthlyScore.objects.get(period=period, person=world.carol)
    client.force_login(world.users["alice"])
    assert client.get(reverse("reviews:score-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("reviews:score-detail", args=[other.pk])).status_code == 404


def test_a_sibling_district_sees_nothing_of_the_period(client, world):
    period = _hanoi_month(world)
    services.month_scores_compute(actor=world.users["olga"], period=period)
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    from thuocdo.org import services as org

    q2_organiser = org.user_create(actor=None, username="q2", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=q2_organiser, role="organiser", unit=world.q2)
    client.force_login(q2_organiser)
    assert client.get(reverse("reviews:period-board", args=[period.pk])).status_code == 404
    assert client.get(reverse("reviews:score-detail", args=[score.pk])).status_code == 404
    url = reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    assert client.get(url).status_code == 404


def test_the_organiser_opens_a_quarter_on_the_page_and_a_fifth_quarter_is_refused(client, world):
    from thuocdo.reviews.models import Period

    client.force_login(world.users["olga"])
    url = reverse("reviews:period-list")
    form = {"unit": world.p1.pk, "kind": "quarter", "year": 2026, "ruleset": "nd-335-2025"}
    assert client.post(url, {**form, "month": 5}).status_code == 200
    assert not Period.objects.exists()
    response = follow_job(client, client.post(url, {**form, "month": 4}))
    period = Period.objects.get()
    assert response.status_code == 200
    assert (period.kind, period.number, str(period)) == ("quarter", 4, "Quý 4/2026 — Phường Một")


def test_a_running_months_score_calls_its_level_a_forecast_not_a_result(
    client, world, running_month
):
    period = running_month
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    client.force_login(world.users["alice"])
    page = client.get(reverse("reviews:score-detail", args=[score.pk])).content.decode()
    # The page says «chưa xếp loại»: the rule's KHT for the points so far is a forecast.
    assert "chưa xếp loại" in page
    assert "Xếp loại dự kiến theo điểm tạm tính" in page
    assert "Chưa phải kết quả xếp loại" in page
    assert "Xếp loại theo quy tắc" not in page


def test_a_finished_months_score_shows_its_classification_by_rule(client, world):
    period = _hanoi_month(world)
    services.month_scores_compute(actor=world.users["olga"], period=period)
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    client.force_login(world.users["alice"])
    page = client.get(reverse("reviews:score-detail", args=[score.pk])).content.decode()
    assert "Xếp loại theo quy tắc" in page
    assert "Xếp loại dự kiến" not in page


def test_the_head_decides_then_comes_back_to_those_still_undecided(client, world):
    period = _hanoi_month(world)
    services.month_scores_compute(actor=world.users["olga"], period=period)
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    client.force_login(world.users["hana"])
    detail = client.get(reverse("reviews:score-detail", args=[score.pk])).content.decode()
    board = reverse("reviews:period-board", args=[period.pk])
    undecided = f"{board}?don-vi={score.unit_id}&amp;trang-thai=chua-quyet-dinh"
    assert '<details id="quyet-dinh" open>' in detail and undecided in detail
    response = client.post(
        reverse("reviews:score-decide", args=[score.pk]), {"level": score.proposed_level}
    )
    assert response["Location"] == undecided.replace("&amp;", "&")
    page = client.get(response["Location"]).content.decode()
    assert f"Đã ghi quyết định {score.proposed_level} cho {world.alice.full_name}." in page
    assert f'"Họ và tên">{world.carol.full_name}<' in page  # still to decide
    assert f'"Họ và tên">{world.alice.full_name}<' not in page  # decided: gone from the list
