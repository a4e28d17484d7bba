"""Appeals (kiến nghị): within the window after publication, re-examined by the organiser,
decided by the competent authority under the same rules as a conclusion; the period locks
only when the window is over and every appeal is decided."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.reviews.annual.cycle import D, appeal_window_passes, evaluation_of, open_year, ready
from thuocdo.audit.models import AuditEvent
from thuocdo.reviews.annual import appeals
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import AppealState, PeriodState
from thuocdo.work.models import Notification


def _published(world):
    period = open_year(world)
    ready(period, {evaluation_of(period, world.alice).pk: D(88)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    cycle.period_publish(actor=world.users["tam"], period=period)
    period.refresh_from_db()
    return period


def test_an_appeal_is_reexamined_then_upheld_and_everything_is_recorded(world):
    period = _published(world)
    alice = evaluation_of(period, world.alice)
    assert alice.level == "HTT"
    appeal = appeals.appeal_file(
        actor=world.users["alice"],
        evaluation=alice,
        text="Tôi đã hoàn thành vượt mức nhiều nhiệm vụ.",
    )
    with pytest.raises(ValidationError, match="xem xét lại"):
        appeals.appeal_decide(actor=world.users["tam"], appeal=appeal, level="HTT", reason="x")
    appeals.appeal_reexamine(
        actor=world.users["olga"], appeal=appeal, note="Điểm năm 88 dưới ngưỡng 90."
    )
    appeals.appeal_decide(
        actor=world.users["tam"],
        appeal=appeal,
        level="HTT",
        reason="Giữ nguyên: điểm chưa đạt ngưỡng.",
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.UPHELD
    # Alice is told the outcome in the app, linked to her result.
    (note,) = Notification.objects.filter(user=world.users["alice"])
    assert (
        note.text
        == "Kiến nghị về kết quả xếp loại năm 2026 đã được giải quyết: giữ nguyên mức HTT."
    )
    assert note.link == reverse("reviews:evaluation-detail", args=[alice.pk])
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"appeal.file", "appeal.reexamine", "appeal.decide"} <= actions


def test_a_change_after_an_appeal_obeys_the_score_band_and_is_kept_in_history(world):
    period = _published(world)
    alice = evaluation_of(period, world.alice)
    appeal = appeals.appeal_file(actor=world.users["alice"], evaluation=alice, text="Đề nghị HTXS")
    appeals.appeal_reexamine(actor=world.users["olga"], appeal=appeal, note="Xem xét lại")
    with pytest.raises(ValidationError, match="score-band"):
        appeals.appeal_decide(actor=world.users["tam"], appeal=appeal, level="HTXS", reason="x")
    appeals.appeal_decide(
        actor=world.users["tam"], appeal=appeal, level="HTNV", reason="Phát hiện thêm hồ sơ trễ hạn"
    )
    alice.refresh_from_db()
    assert alice.level == "HTNV"
    assert alice.history.filter(action="appeal", level="HTNV").exists()


def test_only_the_person_appeals_and_only_within_the_window(world):
    period = _published(world)
    alice = evaluation_of(period, world.alice)
    with pytest.raises(PermissionDenied):
        appeals.appeal_file(actor=world.users["lena"], evaluation=alice, text="Thay mặt")
    appeal_window_passes(period)
    alice.refresh_from_db()
    with pytest.raises(ValidationError, match="hết thời hạn"):
        appeals.appeal_file(actor=world.users["alice"], evaluation=alice, text="Muộn")


def test_the_period_does_not_lock_while_an_appeal_is_pending(world):
    period = _published(world)
    alice = evaluation_of(period, world.alice)
    appeals.appeal_file(actor=world.users["alice"], evaluation=alice, text="Kiến nghị")
    appeal_window_passes(period)
    with pytest.raises(ValidationError, match="chưa giải quyết"):
        cycle.period_lock(actor=world.users["tam"], period=period)
    assert period.state == PeriodState.PUBLISHED


def test_the_whole_appeal_goes_through_the_pages(client, world):
    period = _published(world)
    alice = evaluation_of(period, world.alice)
    detail = reverse("reviews:evaluation-detail", args=[alice.pk])
    client.force_login(world.users["alice"])
    assert "Gửi kiến nghị" in client.get(detail).content.decode()
    client.post(reverse("reviews:appeal-file", args=[alice.pk]), {"text": "Xin xem xét lại"})
    appeal = alice.appeals.get()
    client.force_login(world.users["olga"])
    client.post(reverse("reviews:appeal-reexamine", args=[appeal.pk]), {"note": "Đã rà soát"})
    client.force_login(world.users["tam"])
    page = client.get(detail).content.decode()
    assert "Giải quyết kiến nghị" in page
    client.post(
        reverse("reviews:appeal-decide", args=[appeal.pk]), {"level": "HTT", "reason": "Giữ nguyên"}
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.UPHELD
    # Alice is told the outcome in the app, linked to her result.
    (note,) = Notification.objects.filter(user=world.users["alice"])
    assert (
        note.text
        == "Kiến nghị về kết quả xếp loại năm 2026 đã được giải quyết: giữ nguyên mức HTT."
    )
    assert note.link == reverse("reviews:evaluation-detail", args=[alice.pk])
    # Someone from the sibling district cannot even see the appeal.
    client.force_login(world.users["nobody"])
    assert (
        client.post(
            reverse("reviews:appeal-reexamine", args=[appeal.pk]), {"note": "x"}
        ).status_code
        == 404
    )


def test_the_appeal_and_the_lock_go_through_the_api(world):
    from rest_framework.test import APIClient

    period = _published(world)
    alice = evaluation_of(period, world.alice)
    api = APIClient()
    api.force_authenticate(world.users["alice"])
    filed = api.post(reverse("reviews:api-appeal-file", args=[alice.pk]), {"text": "Xin xem lại"})
    assert filed.status_code == 201
    appeal_id = filed.json()["id"]
    api.force_authenticate(world.users["olga"])
    url = reverse("reviews:api-appeal-reexamine", args=[appeal_id])
    assert api.post(url, {"note": "Đã rà soát"}).status_code == 200
    api.force_authenticate(world.users["tam"])
    lock = reverse("reviews:api-period-lock", args=[period.pk])
    assert api.post(lock).status_code == 400  # an appeal is pending
    decided = api.post(
        reverse("reviews:api-appeal-decide", args=[appeal_id]),
        {"level": "HTT", "reason": "Giữ nguyên"},
    )
    assert decided.json()["state"] == AppealState.UPHELD
    appeal_window_passes(period)
    assert api.post(lock).status_code == 200
    api.force_authenticate(world.users["olga"])
    reopen = reverse("reviews:api-period-reopen", args=[period.pk])
    assert api.post(reopen, {"reason": "x"}).status_code == 403  # only the authority reopens


def test_an_appeal_out_of_scope_answers_like_one_that_does_not_exist(world):
    """Regression: the API told an outsider «no such evaluation» for a real appeal, and «no
    such appeal» for a missing one, so the difference revealed which appeals exist."""
    from rest_framework.test import APIClient

    period = _published(world)
    appeal = appeals.appeal_file(
        actor=world.users["alice"], evaluation=evaluation_of(period, world.alice), text="Xin xem"
    )
    api = APIClient()
    api.force_authenticate(world.users["nobody"])
    for name in ["reviews:api-appeal-reexamine", "reviews:api-appeal-decide"]:
        real = api.post(reverse(name, args=[appeal.pk]), {"note": "x"})
        missing = api.post(reverse(name, args=[appeal.pk + 1000]), {"note": "x"})
        assert real.status_code == missing.status_code == 404, name
        assert real.json() == missing.json() == {"detail": "Không tìm thấy kiến nghị."}, name
