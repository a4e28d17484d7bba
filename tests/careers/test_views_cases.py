"""The page "Trường hợp cần xem xét": scoped, each flag a case the authority decides."""

from __future__ import annotations

import datetime

import pytest

from tests.careers.helpers import low_vote, targets_met
from thuocdo.careers.models import CaseDecision


def _flag_hana_and_lena(world) -> None:
    targets_met(world.q1, world.hana, 2026, met=5, assigned=10)
    low_vote(world.lena, world.p1, world.users["root"], datetime.date(2026, 9, 9))


def test_the_authority_sees_the_cases_it_manages_and_decides_with_a_reason(client, world):
    _flag_hana_and_lena(world)
    client.force_login(world.users["tam"])
    page = client.get("/xem-xet/?nam=2026").content.decode()
    assert "Hoàng Văn Hải" in page and "Lê Thị Lan" not in page
    assert "Quận Một: đạt 5/10 chỉ tiêu = 50%, dưới 70%" in page
    data = {"person": world.hana.pk, "rule": "head-targets-under-70", "year": 2026}
    response = client.post("/xem-xet/quyet-dinh/", {**data, "outcome": "replace", "reason": ""})
    assert response.status_code == 302 and not CaseDecision.objects.exists()
    reason = "Không hoàn thành chỉ tiêu chính về thu ngân sách hai quý liền."
    client.post("/xem-xet/quyet-dinh/", {**data, "outcome": "replace", "reason": reason})
    decision = CaseDecision.objects.get()
    assert (decision.outcome, decision.reason, decision.decided_by) == (
        "replace",
        reason,
        world.users["tam"],
    )
    assert reason in client.get("/xem-xet/?nam=2026").content.decode()
    dossier = client.get(f"/ho-so/{world.hana.pk}/").content.decode()
    assert "Cấp có thẩm quyền đã quyết định:" in dossier and reason in dossier


def test_the_organiser_sees_her_subtree_but_has_no_decision_form(client, world):
    _flag_hana_and_lena(world)
    client.force_login(world.users["olga"])
    page = client.get("/xem-xet/?nam=2026").content.decode()
    assert "Hoàng Văn Hải" in page and "Lê Thị Lan" in page
    assert "Ghi quyết định" not in page
    data = {"person": world.hana.pk, "rule": "head-targets-under-70", "year": 2026}
    client.post("/xem-xet/quyet-dinh/", {**data, "outcome": "replace", "reason": "x"})
    assert not CaseDecision.objects.exists()


def test_people_without_the_role_get_404_and_outsiders_cannot_decide(client, world):
    _flag_hana_and_lena(world)
    for name in ("alice", "lena", "nobody"):
        client.force_login(world.users[name])
        assert client.get("/xem-xet/").status_code == 404
    client.force_login(world.users["alice"])
    data = {"person": world.hana.pk, "rule": "head-targets-under-70", "year": 2026}
    response = client.post("/xem-xet/quyet-dinh/", {**data, "outcome": "replace", "reason": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/xem-xet/",
        "/quy-hoach/",
        "/quy-hoach/moi/",
        "/ho-so/1/",
        "/ho-so/1/pdf/",
        "/api/careers/cases/",
    ],
)
def test_anonymous_visitors_are_sent_to_login_or_refused(client, world, url):
    response = client.get(url)
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert "/dang-nhap/" in response["Location"]
