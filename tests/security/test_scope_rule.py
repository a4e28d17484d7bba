"""Findings 11 and 12: an out-of-scope evaluation in a request body answered 403 where a
missing one answered 400 (an existence oracle); and an authority read an evaluation through
the API but got 404 on the person's page and dossier (scope stated two ways)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from rest_framework.test import APIClient

from tests.reviews.annual.cycle import evaluation_of, open_year
from thuocdo.org import services as org
from thuocdo.org.models import Post
from thuocdo.reviews.models import Evaluation, EvaluationState
from thuocdo.reviews.monthly import services as reviews


def _api(world, name: str) -> APIClient:
    api = APIClient()
    api.force_login(world.users[name])  # the same session for the pages and the API
    return api


def test_an_out_of_scope_evaluation_in_a_body_answers_like_a_missing_one(world):
    # A year over the whole city (opened by the administrator): Olga, organiser of Q1, sees
    # it because it holds Q1's evaluations, but Bob's (Q2) is not hers.
    period = reviews.period_open(
        actor=world.users["root"], unit=world.city, kind="year", year=2026, number=None,
        ruleset="qd-366-2025",
    )  # fmt: skip
    Evaluation.objects.filter(period=period).update(state=EvaluationState.REVIEWED, score=80)
    bob = evaluation_of(period, world.bob)
    missing = Evaluation.objects.order_by("-pk")[0].pk + 1000
    url = reverse("reviews:api-period-verify", args=[period.pk])
    api = _api(world, "olga")
    out_of_scope = api.post(url, {"evaluations": [bob.pk]}, format="json")
    absent = api.post(url, {"evaluations": [missing]}, format="json")
    assert (out_of_scope.status_code, out_of_scope.json()) == (absent.status_code, absent.json())
    assert absent.status_code == 400
    bob.refresh_from_db()
    assert bob.state == EvaluationState.REVIEWED


def test_an_authority_sees_the_person_of_every_evaluation_it_concludes(world):
    period = open_year(world)
    hana = evaluation_of(period, world.hana)
    assert hana.authority == world.btv
    # Hana's post, managed by BTV Thành ủy, ends after the period was opened: BTV still
    # concludes her year, so it still sees her page and her dossier.
    post = Post.objects.get(person=world.hana, unit=world.q1)
    org.post_end(actor=None, post=post, end_date=datetime.date.today() - datetime.timedelta(days=1))
    api = _api(world, "tam")
    assert api.get(reverse("reviews:api-evaluation-detail", args=[hana.pk])).status_code == 200
    for name in ("org:person-detail", "careers:dossier-detail"):
        response = api.get(reverse(name, args=[world.hana.pk]))
        assert response.status_code == 200, name
    assert api.get(reverse("api:person-detail", args=[world.hana.pk])).status_code == 200


def test_for_every_evaluation_the_api_the_page_and_the_dossier_agree(world):
    period = open_year(world)
    tam = _api(world, "tam")
    assert evaluation_of(period, world.hana).authority == world.btv
    for page in ("org:person-detail", "careers:dossier-detail", "api:person-detail"):
        # Bob (Q2) has no post managed by BTV and no evaluation it concludes, yet.
        assert tam.get(reverse(page, args=[world.bob.pk])).status_code == 404, page
    reviews.period_open(
        actor=world.users["root"], unit=world.q2, kind="year", year=2026, number=None,
        ruleset="qd-366-2025",
    )  # fmt: skip
    for name in ("tam", "olga", "hana", "lena", "alice"):
        api = _api(world, name)
        for ev in Evaluation.objects.exclude(person=None):
            evaluation = api.get(reverse("reviews:api-evaluation-detail", args=[ev.pk]))
            pages = {
                page: api.get(reverse(page, args=[ev.person_id])).status_code
                for page in ("org:person-detail", "careers:dossier-detail", "api:person-detail")
            }
            if evaluation.status_code == 200:
                assert set(pages.values()) == {200}, (name, ev, pages)
            else:
                assert evaluation.status_code == 404
