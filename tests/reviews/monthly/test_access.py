"""The month for everyone in it: a period opened once over the city is the period of every
person and leader in it, reachable from their own pages; an outsider answers 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.reviews.monthly.test_compute import _city_october
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore
from thuocdo.reviews.monthly import services

D = Decimal


def _as(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _q2_organiser(world):
    user = org.user_create(actor=None, username="q2", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q2)
    client = Client()
    client.force_login(user)
    return client


def test_the_person_and_the_leader_see_the_citys_month(world):
    period = _city_october(world)
    for name in ["alice", "lena", "hana", "olga"]:
        page = _as(world, name).get(reverse("reviews:period-list")).content.decode()
        assert reverse("reviews:period-board", args=[period.pk]) in page, name


def test_the_person_self_assesses_and_the_leader_scores_in_the_citys_month(world):
    period = _city_october(world)
    own = reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    alice = _as(world, "alice")
    assert "Tự đánh giá tháng" in alice.get(own).content.decode()
    response = alice.post(own, {"general": "27", "deductions": "0", "note": ""})
    # Back to the month just scored, not to this month, so the saved score shows.
    assert response["Location"] == reverse("work:month-detail") + "?thang=2026-10"
    lena = _as(world, "lena")
    assert "Lãnh đạo chấm điểm" in lena.get(own).content.decode()
    response = lena.post(own, {"general": "29", "bonus": "0", "deductions": "0", "note": ""})
    assert response["Location"] == reverse("work:team-detail") + "?thang=2026-10"
    sources = set(
        MonthlyAssessment.objects.filter(period=period, person=world.alice).values_list(
            "source", flat=True
        )
    )
    assert sources == {"self", "leader"}
    assert MonthlyScore.objects.get(period=period, person=world.alice).general == D(29)


def test_an_outsider_from_a_sibling_district_gets_404(world):
    period = _city_october(world)
    q2 = _q2_organiser(world)
    for name in ["assessment-edit", "assessment-on-behalf"]:
        url = reverse(f"reviews:{name}", args=[period.pk, world.alice.pk])
        assert q2.get(url).status_code == 404
        assert q2.post(url, {"general": "30"}).status_code == 404
    # Alice cannot score her colleague, nor reach her colleague's month.
    url = reverse("reviews:assessment-edit", args=[period.pk, world.carol.pk])
    assert _as(world, "alice").get(url).status_code == 404
    assert not MonthlyAssessment.objects.exists()


def test_a_person_outside_the_period_gets_404(world):
    # A ward's own month does not hold the people of the sibling district.
    period = services.period_open(
        actor=world.users["olga"],
        unit=world.p1,
        kind="month",
        year=2026,
        number=10,
        ruleset="nd-335-2025",
    )
    url = reverse("reviews:assessment-edit", args=[period.pk, world.bob.pk])
    assert _as(world, "root").get(url).status_code == 404


def test_each_users_board_is_their_own_unit_and_a_sibling_unit_is_404(world):
    period = _city_october(world)
    for person, user in [(world.alice, "lena"), (world.carol, "lena"), (world.bob, "root")]:
        services.assessment_record(
            actor=world.users[user],
            period=period,
            person_id=person.pk,
            source="leader",
            general=D(25),
        )
    board = reverse("reviews:period-board", args=[period.pk])
    lena = _as(world, "lena").get(board).content.decode()
    assert "Phường Một" in lena and "Nguyễn Thị Hồng Nhung" in lena
    assert "Bùi Văn Bình" not in lena  # P2's bob, another district
    q2 = _q2_organiser(world)
    assert "Bùi Văn Bình" in q2.get(board).content.decode()
    assert q2.get(board, {"don-vi": world.p1.pk}).status_code == 404
    # The city's organiser narrows the city's board to a district.
    root = _as(world, "root").get(board, {"don-vi": world.q2.pk}).content.decode()
    assert "Bùi Văn Bình" in root and "Nguyễn Thị Hồng Nhung" not in root


def test_a_second_period_inside_the_citys_month_is_refused(world):
    _city_october(world)
    with pytest.raises(Exception, match="đã mở và bao gồm Phường Một"):
        services.period_open(
            actor=world.users["olga"],
            unit=world.p1,
            kind="month",
            year=2026,
            number=10,
            ruleset="nd-335-2025",
        )
    assert AuditEvent.objects.filter(action="period.open").count() == 1


def test_the_leader_of_a_unit_does_not_score_its_head_the_level_above_does(world):
    import datetime

    head = org.person_create(
        None,
        code="CB-P1H",
        full_name="Đặng Văn Hùng",
        birth_date=datetime.date(1975, 5, 1),
        gender="male",
        category="civil_servant",
    )
    org.post_create(
        None,
        person=head,
        unit=world.p1,
        title="Chủ tịch UBND phường",
        is_head=True,
        start_date=datetime.date(2020, 1, 1),
    )
    period = _city_october(world)
    url = reverse("reviews:assessment-edit", args=[period.pk, head.pk])
    assert _as(world, "lena").get(url).status_code == 404  # lena is his deputy
    assert _as(world, "hana").get(url).status_code == 200  # the district's head
    at = datetime.date.today()
    services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=at.year,
        number=at.month,
        ruleset="nd-335-2025",
    )
    team = _as(world, "lena").get(reverse("work:team-detail")).content.decode()

    def row(person_id: int) -> str:
        rest = team[team.index(f'id="can-bo-{person_id}"') :]
        return rest[: rest.index("</tr>")]

    assert "Chấm điểm tháng" in row(world.alice.pk)
    # Nor is he among her people: she neither verifies nor scores the work of her head.
    assert f'id="can-bo-{head.pk}"' not in team
