"""Rotation (issue 8, part 3): the old post ends, the new one starts, both audited; the annual
classification in the new unit uses the months scored in the old one (NĐ 335)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.reviews.annual.cycle import open_year
from thuocdo.audit.models import AuditEvent
from thuocdo.careers import services
from thuocdo.careers.models import Rotation
from thuocdo.org.models import Post
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, EvaluationState, MonthlyScore
from thuocdo.reviews.monthly import services as reviews

D = Decimal


def _rotate(world, actor=None, **extra):
    args = {
        "actor": actor or world.users["root"],
        "from_post": Post.objects.get(person=world.bob),
        "to_unit": world.p1,
        "title": "Công chức Văn phòng - Thống kê",
        "duty_group": "CC-VP",
        "start_date": datetime.date(2026, 4, 1),
        "kind": "luan_chuyen",
        "purpose": "Luân chuyển để đào tạo, rèn luyện qua thực tiễn ở phường.",
        "decision_number": "125/QĐ-TU",
    }
    args.update(extra)
    return services.rotation_record(**args)


def test_a_rotated_persons_annual_classification_in_the_new_unit_uses_the_old_units_months(
    world,
):
    root = world.users["root"]
    march = reviews.period_open(
        actor=root, unit=world.p2, kind="month", year=2026, number=3, ruleset="nd-335-2025"
    )
    reviews.assessment_record(
        actor=root, period=march, person_id=world.bob.pk, source="leader", general=D(27)
    )
    reviews.month_scores_compute(actor=root, period=march)
    in_p2 = MonthlyScore.objects.get(period=march, person=world.bob)

    rotation = _rotate(world)

    old = Post.objects.get(pk=rotation.from_post_id)
    assert old.end_date == datetime.date(2026, 3, 31)
    assert (rotation.to_post.unit, rotation.to_post.start_date) == (
        world.p1,
        datetime.date(2026, 4, 1),
    )
    period = open_year(world)
    bob = Evaluation.objects.get(period=period, person=world.bob)
    assert (bob.unit, bob.post_id) == (world.p1, rotation.to_post_id)
    bob.state = EvaluationState.SELF_ASSESSED
    bob.save(update_fields=["state"])
    cycle.evaluation_review(
        actor=world.users["lena"],
        evaluation=bob,
        general=D(20),
        results=D(40),
        proposed_level="HTNV",
    )
    bob.refresh_from_db()
    assert (bob.score, in_p2.unit) == (in_p2.total, world.p2)
    assert "tháng" in bob.score_source


def test_a_rotation_is_audited_with_both_posts(world):
    rotation = _rotate(world)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["post.end", "post.create", "rotation.record"]
    assert rotation.get_kind_display() == "Luân chuyển"


def test_only_an_organiser_over_the_person_and_the_new_unit_records_a_rotation(world):
    with pytest.raises(PermissionDenied):  # olga organises Q1; bob is in Q2
        _rotate(world, actor=world.users["olga"])
    with pytest.raises(PermissionDenied):
        _rotate(world, actor=world.users["tam"])
    assert not Rotation.objects.exists()


def test_a_rotation_needs_a_purpose_and_a_date_after_the_old_post_began(world):
    with pytest.raises(ValidationError, match="Mục đích"):
        _rotate(world, purpose=" ")
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        _rotate(world, start_date=datetime.date(2019, 1, 1))
    assert Post.objects.get(person=world.bob).end_date is None


def test_the_organiser_rotates_through_the_form(client, world):
    client.force_login(world.users["olga"])
    post = Post.objects.get(person=world.carol)
    response = client.post(
        f"/ho-so/{world.carol.pk}/luan-chuyen/",
        {
            "from_post": post.pk,
            "to_unit": world.cell.code,  # what the unit picker sends
            "title": "Bí thư chi bộ",
            "kind": "dieu_dong",
            "start_date": "2026-05-01",
            "purpose": "Điều động theo yêu cầu nhiệm vụ.",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/ho-so/{world.carol.pk}/").content.decode()
    assert "Điều động từ ngày 01/05/2026" in page and "Bí thư chi bộ, Chi bộ khu phố 1" in page


def test_the_form_picks_the_unit_by_its_code_and_refuses_one_outside_the_scope(client, world):
    """The unit picker serves a city of any size; a unit outside Q1 reads as unknown."""
    client.force_login(world.users["olga"])
    post = Post.objects.get(person=world.carol)
    form = client.get(f"/ho-so/{world.carol.pk}/luan-chuyen/").content.decode()
    assert 'name="to_unit"' in form and '<select name="to_unit"' not in form
    assert 'hx-get="/to-chuc/tim/"' in form
    data = {
        "from_post": post.pk,
        "to_unit": world.p2.code,
        "title": "Công chức",
        "kind": "dieu_dong",
        "start_date": "2026-05-01",
        "purpose": "Điều động.",
    }
    page = client.post(f"/ho-so/{world.carol.pk}/luan-chuyen/", data).content.decode()
    assert f"không có đơn vị mã «{world.p2.code}» trong phạm vi của anh/chị" in page
    assert Post.objects.get(person=world.carol).end_date is None
