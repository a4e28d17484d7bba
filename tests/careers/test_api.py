"""The careers API answers within the same scope as the pages."""

from __future__ import annotations

import datetime

from rest_framework.test import APIClient

from tests.careers.helpers import low_vote, targets_met
from thuocdo.careers import services


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_cases_are_listed_for_the_authority_and_refused_to_others(world):
    targets_met(world.q1, world.hana, 2026, met=6, assigned=10)
    low_vote(world.lena, world.p1, world.users["root"], datetime.date(2026, 9, 9))
    (case,) = _api(world.users["tam"]).get("/api/careers/cases/?year=2026").json()
    assert (case["person"], case["rule"], case["decision"]) == (
        "CB-H",
        "head-targets-under-70",
        None,
    )
    assert case["trace"] == ["Quận Một: đạt 6/10 chỉ tiêu = 60%, dưới 70%"]
    assert len(_api(world.users["olga"]).get("/api/careers/cases/?year=2026").json()) == 2
    assert _api(world.users["alice"]).get("/api/careers/cases/").status_code == 404


def test_a_pool_with_eligibility_and_structure_and_404_outside_scope(world):
    pool = services.pool_create(
        actor=world.users["olga"],
        unit=world.p1,
        title="Chủ tịch UBND phường",
        term_start=2026,
        term_end=2031,
    )
    services.pool_candidate_add(actor=world.users["olga"], pool=pool, person=world.alice)
    data = _api(world.users["hana"]).get(f"/api/careers/pools/{pool.pk}/").json()
    (alice,) = data["candidates"]
    assert alice["eligible"] is False
    assert [(r["rule"], r["year"]) for r in alice["reasons"]] == [
        ("min-level-years", 2023),
        ("min-level-years", 2024),
        ("min-level-years", 2025),
    ]
    assert data["structure"]["age_bands"] == {
        "Dưới 40 tuổi": 1,
        "Từ 40 đến 50 tuổi": 0,
        "Trên 50 tuổi": 0,
    }
    assert data["structure"]["women_share"] == "100%"
    assert _api(world.users["alice"]).get(f"/api/careers/pools/{pool.pk}/").status_code == 404
