"""Entry on behalf (nhập hộ) of a monthly self-assessment: by the organiser or the direct
leader, marked on the form and the board, audited, and confirmed by the person."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.conftest import _person, _post
from tests.reviews.monthly.test_compute import _city_october
from thuocdo.audit.models import AuditEvent
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore
from thuocdo.reviews.monthly import services
from thuocdo.reviews.monthly.team import team_scoring

D = Decimal


def _as(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_the_direct_leader_enters_it_marked_and_audited(world):
    period = _city_october(world)
    url = reverse("reviews:assessment-on-behalf", args=[period.pk, world.carol.pk])
    lena = _as(world, "lena")
    assert "Nhập hộ tự đánh giá" in lena.get(url).content.decode()
    response = lena.post(url, {"general": "26", "deductions": "0", "note": "Phiếu giấy"})
    assert response.status_code == 302
    entry = MonthlyAssessment.objects.get(period=period, person=world.carol)
    assert entry.source == "self" and entry.on_behalf_by == world.users["lena"]
    assert entry.confirmed_at is None
    event = AuditEvent.objects.get(action="assessment.self.on_behalf")
    assert event.actor_id == world.users["lena"].pk
    assert event.note == "Nhập hộ cho Trần Văn Ánh"
    score = MonthlyScore.objects.get(period=period, person=world.carol)
    detail = lena.get(reverse("reviews:score-detail", args=[score.pk])).content.decode()
    assert "nhập hộ bởi Lê Thị Lan" in detail


def test_the_organiser_may_and_a_head_above_or_the_person_may_not(world):
    period = _city_october(world)
    services.assessment_record(
        actor=world.users["olga"],
        period=period,
        person_id=world.carol.pk,
        source="self",
        general=D(25),
    )
    assert MonthlyAssessment.objects.get(person=world.carol).on_behalf_by == world.users["olga"]
    # Hana heads the district, not Phường Một: she is not alice's direct leader.
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=world.users["hana"],
            period=period,
            person_id=world.alice.pk,
            source="self",
            general=D(25),
        )
    url = reverse("reviews:assessment-on-behalf", args=[period.pk, world.alice.pk])
    assert _as(world, "alice").get(url).status_code == 404
    assert _as(world, "hana").get(url).status_code == 404


def test_a_deputy_does_not_enter_it_for_the_head_or_another_deputy(world):
    """Lena, a deputy leading Phường Một, enters her staff's self-assessment, not the one of
    the ward's chairman or of another deputy (the demo offered «Nhập hộ tự đánh giá» beside
    the head who has an account of their own)."""
    period = _city_october(world)
    head = _person("CB-CT", "Đỗ Văn Đức", "male", 1975)
    deputy = _person("CB-PCT", "Vũ Thị Hà", "female", 1982)
    for person, flag in ((head, "is_head"), (deputy, "is_deputy")):
        _post(person, world.p1, "Lãnh đạo UBND phường", **{flag: True})
    for person in (head, deputy):
        with pytest.raises(PermissionDenied):
            services.assessment_record(
                actor=world.users["lena"], period=period, person_id=person.pk,
                source="self", general=D(25),
            )  # fmt: skip
        url = reverse("reviews:assessment-on-behalf", args=[period.pk, person.pk])
        assert _as(world, "lena").get(url).status_code in (403, 404)
    # «Đơn vị của tôi» offers it beside her staff only.
    people = [world.carol, head, deputy]
    team = team_scoring(actor=world.users["lena"], people=people, year=2026, month=10)
    assert [team.people[p.pk].can_on_behalf for p in people] == [True, False, False]


def test_the_person_sees_it_and_confirms_it(world):
    period = _city_october(world)
    services.assessment_record(
        actor=world.users["lena"],
        period=period,
        person_id=world.alice.pk,
        source="self",
        general=D(27),
    )
    alice = _as(world, "alice")
    month = alice.get(reverse("work:month-detail") + "?thang=2026-10").content.decode()
    # October is not a month "Tháng của tôi" offers (only this month and the last); the form
    # of the self-assessment shows it.
    form = alice.get(
        reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    ).content.decode()
    assert "Nhập hộ bởi Lê Thị Lan" in form and "Xác nhận tự đánh giá nhập hộ" in form
    assert month  # the page answers
    response = alice.post(reverse("reviews:assessment-confirm", args=[period.pk]))
    assert response.status_code == 302
    entry = MonthlyAssessment.objects.get(period=period, person=world.alice)
    assert entry.confirmed_at is not None and entry.on_behalf_by == world.users["lena"]
    assert AuditEvent.objects.filter(action="assessment.self.confirm").count() == 1
    # Someone else cannot confirm it for her.
    with pytest.raises(PermissionDenied):
        services.assessment_confirm(actor=world.users["lena"], assessment=entry)


def test_the_board_and_its_export_say_who_entered_it(world):
    from io import BytesIO

    from openpyxl import load_workbook

    period = _city_october(world)
    services.assessment_record(
        actor=world.users["lena"],
        period=period,
        person_id=world.carol.pk,
        source="self",
        general=D(26),
    )
    services.assessment_record(
        actor=world.users["alice"],
        period=period,
        person_id=world.alice.pk,
        source="self",
        general=D(28),
    )
    lena = _as(world, "lena")
    board = lena.get(reverse("reviews:period-board", args=[period.pk])).content.decode()
    assert "Nhập hộ bởi Lê Thị Lan, chờ cán bộ xác nhận" in board
    response = lena.get(reverse("reviews:period-export", args=[period.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Trần Văn Ánh"][10] == "Nhập hộ bởi Lê Thị Lan, chờ cán bộ xác nhận"
    assert rows["Nguyễn Thị Hồng Nhung"][10] == "Tự chấm 28,00"
    assert set(rows) == {"Trần Văn Ánh", "Nguyễn Thị Hồng Nhung"}  # lena's unit only
    q2 = _as(world, "root")
    assert (
        q2.get(reverse("reviews:period-export", args=[period.pk]), {"don-vi": 999999}).status_code
        == 404
    )
