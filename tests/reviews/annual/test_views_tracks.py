"""Opening a year with a rule-set per group, and rating criterion groups, through the pages and
the API; an organiser of a sibling district can open nothing outside it."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from tests.jobs.follow import follow_job
from thuocdo.org import services as org
from thuocdo.reviews.models import Evaluation, Period


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_organiser_opens_a_year_with_a_rule_set_per_group_on_the_page(client, world):
    client.force_login(world.users["olga"])
    page = client.get(reverse("reviews:period-list")).content.decode()
    assert "Bộ quy tắc cho công chức" in page and "nd-90-2020" in page
    response = client.post(
        reverse("reviews:period-open-year"),
        {
            "unit": world.q1.pk,
            "year": 2026,
            "ruleset": "qd-366-2025",
            "ruleset_civil_servant": "nd-335-2025",
            "ruleset_public_employee": "",
            "ruleset_party_member": "",
        },
    )
    page = follow_job(client, response).content.decode()
    period = Period.objects.get(kind="year")
    assert "phiếu đánh giá." in page and "Đã mở" in page
    assert period.rulesets == {"civil_servant": "nd-335-2025"}
    assert Evaluation.objects.filter(period=period, person=world.alice).count() == 2


def test_a_civil_servant_rates_her_criterion_groups_on_the_self_review_page(client, world):
    client.force_login(world.users["olga"])
    response = client.post(
        reverse("reviews:period-open-year"),
        {
            "unit": world.q1.pk,
            "year": 2025,
            "ruleset": "qd-366-2025",
            "ruleset_civil_servant": "nd-90-2020",
        },
    )
    follow_job(client, response)
    alice = Evaluation.objects.get(person=world.alice, group="civil_servant")
    client.force_login(world.users["alice"])
    url = reverse("reviews:evaluation-self", args=[alice.pk])
    page = client.get(url).content.decode()
    assert "Mức đánh giá — chính trị tư tưởng" in page and "Điểm tiêu chí chung" not in page
    form = {f"rating_{k}": "tot" for k in ["politics", "ethics", "style", "discipline"]}
    response = client.post(url, {**form, "rating_results": "xuat_sac", "proposed_level": "HTXS"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.criteria["results"] == "xuat_sac" and alice.self_score is None
    detail = client.get(reverse("reviews:evaluation-detail", args=[alice.pk])).content.decode()
    assert "kết quả thực hiện chức trách, nhiệm vụ: <strong>Xuất sắc</strong>" in detail


def test_the_api_opens_a_year_with_rule_sets_per_group_and_lists_every_problem(world):
    api = _api(world.users["olga"])
    url = reverse("reviews:api-period-open")
    bad = api.post(
        url,
        {"unit": "Q1", "kind": "year", "year": 2026, "ruleset": "qd-366-2025",
         "rulesets": {"leader": "nd-335-2025", "civil_servant": "khong-co"}},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "head-cap" in text and "khong-co" in text
    assert not Period.objects.exists()
    ok = api.post(
        url,
        {"unit": "Q1", "kind": "year", "year": 2026, "ruleset": "qd-366-2025",
         "rulesets": {"civil_servant": "nd-335-2025"}},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201
    assert ok.json()["rulesets"] == {"civil_servant": "nd-335-2025"}
    evaluations = _api(world.users["olga"]).get(
        reverse("reviews:api-evaluation-list", args=[ok.json()["id"]])
    )
    groups = {(e["person_code"], e["group"], e["ruleset"]) for e in evaluations.json()["results"]}
    assert ("CB-A", "party_member", "qd-366-2025") in groups
    assert ("CB-A", "civil_servant", "nd-335-2025") in groups


def test_an_organiser_of_a_sibling_district_cannot_open_a_year_over_q1(world):
    quinn = org.user_create(actor=None, username="quinn", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=quinn, role="organiser", unit=world.q2)
    response = _api(quinn).post(
        reverse("reviews:api-period-open"),
        {"unit": "Q1", "kind": "year", "year": 2026, "ruleset": "qd-366-2025"},
        format="json",
    )
    assert response.status_code == 404
    assert not Period.objects.exists()
