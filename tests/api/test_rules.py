"""POST /api/rules/classify speaks the same JSON as the CLI."""

from __future__ import annotations

import copy

from django.urls import reverse
from rest_framework.test import APIClient

from tests.rules.test_cli import EXAMPLE_IN
from thuocdo.rules import classify_json


def _api(world) -> APIClient:
    api = APIClient()
    api.force_authenticate(world.users["olga"])
    return api


def test_it_classifies_the_design_example_like_the_python_call(world):
    response = _api(world).post(reverse("api:rules-classify"), EXAMPLE_IN, format="json")
    assert response.status_code == 200
    assert response.json() == classify_json(copy.deepcopy(EXAMPLE_IN))
    assert {d["id"]: d["level"] for d in response.json()["decisions"]}["CB-001"] == "KHT"


def test_it_rejects_bad_input_with_every_problem(world):
    bad = copy.deepcopy(EXAMPLE_IN)
    bad["subjects"].append(copy.deepcopy(bad["subjects"][0]))  # duplicate id
    bad["subjects"][1]["period_scores"] = [91, 130]  # a score outside 0-100
    response = _api(world).post(reverse("api:rules-classify"), bad, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) >= 2
    assert any("CB-001" in e for e in errors)
    assert any("DV-01" in e for e in errors)


def test_it_lists_the_shipped_rulesets(world):
    ids = {r["id"] for r in _api(world).get(reverse("api:ruleset-list")).json()}
    assert {"qd-366-2025", "qd-124-2023", "nd-335-2025", "nd-90-2020", "hn-3814-2018"} <= ids


def test_it_refuses_anonymous_callers(world):
    response = APIClient().post(reverse("api:rules-classify"), EXAMPLE_IN, format="json")
    assert response.status_code in (401, 403)


def test_the_schema_documents_the_endpoints(world):
    api = _api(world)
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ["/api/units/", "/api/people/{id}/", "/api/rules/classify"]:
        assert path in paths
    assert api.get(reverse("api:schema-ui")).status_code == 200
