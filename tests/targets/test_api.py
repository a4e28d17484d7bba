"""The targets API answers within the same scope as the pages."""

from __future__ import annotations

import io

from rest_framework.test import APIClient

from tests.targets.conftest import workbook_bytes
from tests.targets.test_imports import ACTUALS
from thuocdo.targets import services
from thuocdo.targets.imports import targets_import


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_holds_only_the_sets_in_scope(world, q1_set):
    q2_set = services.target_set_create(actor=None, unit=world.q2, year=2026)
    olga_sees = [s["id"] for s in _api(world.users["olga"]).get("/api/targets/").json()["results"]]
    root_sees = [s["id"] for s in _api(world.users["root"]).get("/api/targets/").json()["results"]]
    alice_sees = _api(world.users["alice"]).get("/api/targets/").json()["results"]
    assert olga_sees == [q1_set.pk]
    assert sorted(root_sees) == sorted([q1_set.pk, q2_set.pk])
    assert alice_sees == []


def test_the_detail_carries_indicators_actuals_and_the_summary(world, q1_set):
    content = workbook_bytes(actuals=ACTUALS)
    targets_import(actor=world.users["olga"], target_set=q1_set, source=io.BytesIO(content))
    data = _api(world.users["tam"]).get(f"/api/targets/{q1_set.pk}/").json()
    assert len(data["indicators"]) == 18
    first = data["indicators"][0]
    assert first["code"] == "1" and [a["period"] for a in first["actuals"]] == [
        "2026-06",
        "2026-12",
    ]
    summary = data["summary"]
    assert (summary["assigned"], summary["met"], summary["main_missed"]) == (18, 2, 3)
    assert summary["veto"] is True


def test_the_detail_of_a_set_out_of_scope_is_404(world):
    q2_set = services.target_set_create(actor=None, unit=world.q2, year=2026)
    assert _api(world.users["olga"]).get(f"/api/targets/{q2_set.pk}/").status_code == 404
