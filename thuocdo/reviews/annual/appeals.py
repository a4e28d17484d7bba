"""Appeals (kiến nghị) against published results: filed by the person within the period's
window, re-examined by the organiser, upheld or changed by the competent authority."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.reviews.annual.levels import CONCLUDABLE
from thuocdo.reviews.annual.permissions import (
    OPEN_STATES,
    appeal_window_end,
    can_conclude,
    can_organise,
    is_own,
    window_text,
)
from thuocdo.reviews.annual.selectors import access_evaluation
from thuocdo.reviews.annual.services.common import (
    appeal_hold,
    evaluation_hold,
    result_history,
    result_json,
)
from thuocdo.reviews.annual.services.conclusion import level_check
from thuocdo.reviews.annual.services.counts import period_counts_refresh
from thuocdo.reviews.models import Appeal, AppealState, Evaluation, PeriodState
from thuocdo.work.models import Notification

APPEAL_MISSING = "Không tìm thấy kiến nghị."


def access_appeal(actor: Any, appeal_id: int) -> Appeal:
    """An appeal on an evaluation the actor may see; 404 otherwise, as if it did not exist."""
    appeal = Appeal.objects.select_related("evaluation__period").filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404(APPEAL_MISSING)
    try:
        access_evaluation(actor, appeal.evaluation_id)
    except Http404:
        # The evaluation's own message would tell an outsider that the appeal exists.
        raise Http404(APPEAL_MISSING) from None
    return appeal


def _json(appeal: Appeal) -> dict[str, Any]:
    return {
        "state": appeal.state,
        "review_note": appeal.review_note,
        "decision_level": appeal.decision_level,
        "decision_reason": appeal.decision_reason,
    }


@transaction.atomic
def appeal_file(*, actor: Any, evaluation: Evaluation, text: str) -> Appeal:
    """The evaluated person appeals a published result within the window (one open appeal at
    a time: checked under the period's lock, and held by a unique constraint)."""
    if not is_own(actor, evaluation):
        raise PermissionDenied("Chỉ người được đánh giá mới gửi kiến nghị về kết quả của mình.")
    evaluation_hold(evaluation)
    period = evaluation.period
    end = appeal_window_end(period)
    if period.state != PeriodState.PUBLISHED or end is None:
        raise ValidationError("Chỉ kiến nghị khi kết quả đã được công khai và kỳ chưa khóa.")
    if timezone.now() > end:
        raise ValidationError(f"Đã hết thời hạn kiến nghị ({window_text(end)}).")
    if not text.strip():
        raise ValidationError("Nội dung kiến nghị không được để trống.")
    if evaluation.appeals.filter(state__in=OPEN_STATES).exists():
        raise ValidationError("Kiến nghị trước đó đang được giải quyết.")
    appeal = Appeal(evaluation=evaluation, text=text.strip(), filed_by=actor)
    appeal.full_clean()
    appeal.save()
    audit_record(
        actor=actor, action="appeal.file", obj=appeal, after=_json(appeal), note=appeal.text
    )
    return appeal


@transaction.atomic
def appeal_reexamine(*, actor: Any, appeal: Appeal, note: str) -> Appeal:
    """The organiser re-examines the appeal and writes its view for the authority."""
    period = appeal.evaluation.period
    if not can_organise(actor, period):
        raise PermissionDenied("Chỉ Ban Tổ chức xem xét lại kiến nghị.")
    appeal_hold(appeal)
    if appeal.state != AppealState.FILED:
        raise ValidationError("Kiến nghị này đã được xem xét lại.")
    if not note.strip():
        raise ValidationError("Ghi rõ ý kiến xem xét lại.")
    before = _json(appeal)
    appeal.state, appeal.review_note = AppealState.REEXAMINED, note.strip()
    appeal.reviewed_by, appeal.reviewed_at = actor, timezone.now()
    appeal.save()
    audit_record(
        actor=actor, action="appeal.reexamine", obj=appeal, before=before, after=_json(appeal)
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Any, appeal: Appeal, level: str, reason: str) -> Appeal:
    """The competent authority upholds the result or changes it, with a written reason; a
    change passes the same checks as a conclusion (veto, band, head cap, quota)."""
    evaluation = appeal.evaluation
    if not can_conclude(actor, evaluation):
        raise PermissionDenied("Chỉ cấp có thẩm quyền quản lý giải quyết kiến nghị.")
    appeal_hold(appeal)
    if appeal.state != AppealState.REEXAMINED:
        raise ValidationError("Ban Tổ chức phải xem xét lại trước khi cấp có thẩm quyền quyết.")
    if not reason.strip():
        raise ValidationError("Giải quyết kiến nghị phải ghi rõ lý do.")
    if level not in CONCLUDABLE:
        raise ValidationError(f"Mức «{level}» không hợp lệ.")
    before = _json(appeal)
    changed = level != evaluation.level
    if changed:
        _result_change(actor, evaluation, level, reason.strip())
    appeal.state = AppealState.CHANGED if changed else AppealState.UPHELD
    appeal.decision_level, appeal.decision_reason = level, reason.strip()
    appeal.decided_by, appeal.decided_at = actor, timezone.now()
    appeal.save()
    audit_record(
        actor=actor,
        action="appeal.decide",
        obj=appeal,
        before=before,
        after=_json(appeal),
        note=reason.strip(),
    )
    _tell_the_appellant(appeal)
    return appeal


def _tell_the_appellant(appeal: Appeal) -> None:
    """An in-app notification to whoever filed the appeal: its outcome, linked to the result
    (their home page no longer lists the result once they appealed)."""
    user = appeal.filed_by
    if not user.is_active:
        return
    year = appeal.evaluation.period.year
    outcome = (
        f"đổi mức xếp loại thành {appeal.decision_level}"
        if appeal.state == AppealState.CHANGED
        else f"giữ nguyên mức {appeal.decision_level}"
    )
    Notification.objects.get_or_create(
        user=user,
        key=f"appeal-{appeal.pk}-decided",
        defaults={
            "text": f"Kiến nghị về kết quả xếp loại năm {year} đã được giải quyết: {outcome}.",
            "link": reverse("reviews:evaluation-detail", args=[appeal.evaluation_id]),
        },
    )


def _result_change(actor: Any, evaluation: Evaluation, level: str, reason: str) -> None:
    """Change a published result after an appeal, checked like a conclusion, kept in history."""
    level_check(evaluation, level, changed=True)
    before = result_json(evaluation)
    evaluation.level, evaluation.reason = level, reason
    evaluation.concluded_by, evaluation.concluded_at = actor, timezone.now()
    evaluation.save(update_fields=["level", "reason", "concluded_by", "concluded_at"])
    if evaluation.period.counted:  # the reports read the period's counts: recount the unit
        period_counts_refresh(evaluation.period, unit_id=evaluation.unit_id)
    result_history(evaluation, "appeal", actor).save()
    audit_record(
        actor=actor,
        action="evaluation.appeal_change",
        obj=evaluation,
        before=before,
        after=result_json(evaluation),
        note=reason,
    )
