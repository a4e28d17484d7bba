"""The annual cycle's pages and API: each step through the web and the API, the refusal shown
in Vietnamese, a locked period, and scope (a sibling district's organiser sees nothing)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.jobs.follow import follow_job
from tests.reviews.annual.cycle import (
    SCORES_OF_21,
    D,
    appeal_window_passes,
    evaluation_of,
    open_year,
    quota_group_of_21,
    ready,
)
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, EvaluationState, PeriodState


@pytest.fixture
def quinn(world):
    """Organiser of Q2, the sibling district."""
    user = org.user_create(actor=None, username="quinn", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q2)
    return user


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_person_self_assesses_and_the_leader_reviews_through_the_pages(client, world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    client.force_login(world.users["alice"])
    board = client.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    assert "Tự kiểm điểm (Mẫu 2A)" in board
    form = {
        "strength_politics": "Vững vàng",
        "strength_results": "Hoàn thành 100% nhiệm vụ",
        "shortcomings": "Báo cáo còn chậm",
        "general": "27",
        "results": "63",
        "proposed_level": "HTXS",
    }
    response = client.post(reverse("reviews:evaluation-self", args=[alice.pk]), form)
    assert response.status_code == 302
    client.force_login(world.users["lena"])
    review = {"general": "26", "results": "60", "proposed_level": "HTT", "note": "Đồng ý"}
    response = client.post(reverse("reviews:evaluation-review", args=[alice.pk]), review)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.state, alice.score) == (EvaluationState.REVIEWED, D(86))
    page = client.get(reverse("reviews:evaluation-detail", args=[alice.pk])).content.decode()
    assert "Vững vàng" in page and "Báo cáo còn chậm" in page


def test_the_organiser_sees_the_funnel_verifies_and_proposes(client, world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
    )
    client.force_login(world.users["olga"])
    board = client.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    assert "Tiến độ theo đơn vị" in board and "Phường Một" in board
    # On a phone the table becomes cards: each count is named by its step, never a bare number.
    progress = board.split('id="unit-progress"')[1].split("</table>")[0]
    assert '<td data-label="Đã tự đánh giá">' in progress
    assert "<td>" not in progress and "<td><strong>" not in progress
    url = reverse("reviews:period-verification", args=[period.pk])
    assert "Nguyễn Thị Hồng Nhung" in client.get(url).content.decode()
    assert client.post(url, {"evaluation": [str(alice.pk)]}).status_code == 302
    alice.refresh_from_db()
    assert alice.state == EvaluationState.VERIFIED
    response = client.post(reverse("reviews:period-propose", args=[period.pk]))
    page = follow_job(client, response).content.decode()  # the job fails: its page says why
    assert "mọi phiếu phải được thẩm định" in page and "Chạy lại" in page


def test_the_conclusions_page_shows_the_tie_and_the_refusal_in_vietnamese(client, world):
    p3, people = quota_group_of_21(world)
    period = open_year(world, unit=p3)
    ready(
        period,
        {evaluation_of(period, p).pk: D(s) for p, s in zip(people, SCORES_OF_21, strict=True)},
    )
    cycle.period_propose(actor=world.users["olga"], period=period)
    client.force_login(world.users["tam"])
    url = reverse("reviews:period-conclusions", args=[period.pk])
    page = client.get(url).content.decode()
    assert "Đồng điểm tại ngưỡng tỷ lệ" in page and "HTXS 3 / tối đa 4" in page
    evaluations = Evaluation.objects.filter(period=period)
    first, second = [ev for ev in evaluations if "quota_tie" in ev.flags]
    conclude = reverse("reviews:evaluation-conclude", args=[first.pk])
    client.post(conclude, {"level": "HTXS", "reason": "Sáng kiến cấp thành phố"})
    conclude = reverse("reviews:evaluation-conclude", args=[second.pk])
    page = client.post(conclude, {"level": "HTXS", "reason": "Cũng tốt"}, follow=True)
    text = page.content.decode()
    assert "vượt giới hạn 4" in text and "quy tắc quota" in text
    client.post(reverse("reviews:period-accept", args=[period.pk]))
    assert Evaluation.objects.filter(period=period, level="HTXS").count() == 4


def _published(world):
    period = open_year(world)
    ready(period, {evaluation_of(period, world.alice).pk: D(88)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    cycle.period_publish(actor=world.users["tam"], period=period)
    return period


def test_published_results_rank_equivalent_positions_inside_the_unit(client, world):
    period = _published(world)
    client.force_login(world.users["alice"])
    page = client.get(reverse("reviews:period-results", args=[period.pk])).content.decode()
    # Alice sees her unit's results (carol's too), each ranked within its duty group.
    assert "Trần Văn Ánh" in page and "Nguyễn Thị Hồng Nhung" in page
    assert "1/1" in page
    assert "Bùi Văn Bình" not in page
    # A collective is ranked among collectives of its kind, named in words, not by a code.
    assert "Tập thể cơ quan nhà nước" in page
    assert ">state<" not in page


def test_the_result_history_names_each_action_in_words(client, world):
    period = _published(world)
    client.force_login(world.users["alice"])
    alice = evaluation_of(period, world.alice)
    page = client.get(reverse("reviews:evaluation-detail", args=[alice.pk])).content.decode()
    history = page[page.index("Lịch sử kết quả") :]
    assert "Chấp thuận đề xuất:" in history
    assert "accept" not in history


def test_a_locked_period_refuses_changes_through_pages_and_api(client, world):
    period = _published(world)
    tam = world.users["tam"]
    client.force_login(tam)
    appeal_window_passes(period)
    client.post(reverse("reviews:period-lock", args=[period.pk]))
    period.refresh_from_db()
    assert period.state == PeriodState.LOCKED
    alice = evaluation_of(period, world.alice)
    page = client.post(
        reverse("reviews:evaluation-conclude", args=[alice.pk]),
        {"level": "HTNV", "reason": "Sửa"},
        follow=True,
    ).content.decode()
    assert "đã khóa" in page
    response = _api(tam).post(
        reverse("reviews:api-evaluation-conclude", args=[alice.pk]),
        {"level": "HTNV", "reason": "Sửa"},
        format="json",
    )
    assert response.status_code == 400 and "đã khóa" in str(response.json())
    response = _api(world.users["alice"]).post(
        reverse("reviews:api-evaluation-self", args=[alice.pk]),
        {"general": "1", "results": "1", "proposed_level": "KHT"},
        format="json",
    )
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.level == "HTT"
    client.post(reverse("reviews:period-reopen", args=[period.pk]), {"reason": "Theo kháng nghị"})
    period.refresh_from_db()
    assert period.state == PeriodState.CONCLUSION
    assert AuditEvent.objects.get(action="period.reopen").note == "Theo kháng nghị"


def test_the_api_runs_the_main_steps(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    response = _api(world.users["alice"]).post(
        reverse("reviews:api-evaluation-self", args=[alice.pk]),
        {"general": "27", "results": "63", "proposed_level": "HTT", "strengths": {"ethics": "Tốt"}},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == "self_assessed"
    ready(period, {alice.pk: D(90)})
    olga = _api(world.users["olga"])
    response = olga.post(reverse("reviews:api-period-propose", args=[period.pk]))
    assert response.status_code == 200
    tam = _api(world.users["tam"])
    for ev in cycle.legal_order(Evaluation.objects.filter(period=period).select_related("unit")):
        response = tam.post(reverse("reviews:api-evaluation-conclude", args=[ev.pk]), {})
        assert response.status_code == 200, response.json()
    response = tam.post(reverse("reviews:api-period-publish", args=[period.pk]))
    assert response.json() == {"published": 7}


def test_the_api_refuses_a_head_before_the_unit_naming_the_rule(world):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    hana = evaluation_of(period, world.hana)
    response = _api(world.users["tam"]).post(
        reverse("reviews:api-evaluation-conclude", args=[hana.pk]), {}, format="json"
    )
    assert response.status_code == 400 and "head-cap" in str(response.json())


def test_alice_sees_only_her_own_evaluation(client, world):
    period = open_year(world)
    response = _api(world.users["alice"]).get(
        reverse("reviews:api-evaluation-list", args=[period.pk])
    )
    assert [row["person_code"] for row in response.json()["results"]] == ["CB-A"]
    carol = evaluation_of(period, world.carol)
    client.force_login(world.users["alice"])
    assert client.get(reverse("reviews:evaluation-detail", args=[carol.pk])).status_code == 404


def test_a_sibling_organiser_gets_404_on_every_page_and_api_object(client, world, quinn):
    period = _published(world)
    alice = evaluation_of(period, world.alice)
    client.force_login(quinn)
    for name in (
        "period-board",
        "period-verification",
        "period-conclusions",
        "period-results",
    ):
        assert client.get(reverse(f"reviews:{name}", args=[period.pk])).status_code == 404, name
    for name in ("period-propose", "period-accept", "period-publish", "period-lock"):
        assert client.post(reverse(f"reviews:{name}", args=[period.pk])).status_code == 404, name
    for name in ("evaluation-detail", "evaluation-self", "evaluation-review"):
        assert client.get(reverse(f"reviews:{name}", args=[alice.pk])).status_code == 404, name
    conclude = reverse("reviews:evaluation-conclude", args=[alice.pk])
    assert client.post(conclude, {"level": "KHT", "reason": "x"}).status_code == 404
    api = _api(quinn)
    assert api.get(reverse("reviews:api-evaluation-list", args=[period.pk])).status_code == 404
    for name in ("api-period-propose", "api-period-publish", "api-period-verify"):
        assert api.post(reverse(f"reviews:{name}", args=[period.pk])).status_code == 404, name
    for name in ("api-evaluation-detail",):
        assert api.get(reverse(f"reviews:{name}", args=[alice.pk])).status_code == 404
    for name in ("api-evaluation-self", "api-evaluation-review", "api-evaluation-conclude"):
        assert api.post(reverse(f"reviews:{name}", args=[alice.pk]), {}).status_code == 404, name
