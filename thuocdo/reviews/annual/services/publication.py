"""The end of a year: publication inside the units (which opens the appeal window), locking once
the window has passed with every appeal decided, and reopening a locked period with a reason,
every current result kept in the history first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.org.scope import scope_for
from thuocdo.reviews.annual.permissions import can_publish, evaluation_guard, lock_check
from thuocdo.reviews.annual.services.common import period_hold, period_reach, result_history
from thuocdo.reviews.annual.services.counts import period_counts_drop, period_counts_refresh
from thuocdo.reviews.models import Evaluation, EvaluationState, Period, PeriodState, ResultHistory


@transaction.atomic
def period_publish(*, actor: Any, period: Period) -> int:
    """Publish the concluded results inside the units (công khai); returns the count. Under
    the period's row lock: no conclusion lands between the count of what is left and the
    publication, and a second publication at the same moment is refused."""
    if not can_publish(actor, period):
        raise PermissionDenied("Chỉ cấp có thẩm quyền hoặc Ban Tổ chức công khai kết quả.")
    period_hold(period)
    evaluation_guard(period)
    if period.state == PeriodState.PUBLISHED:
        raise ValidationError(f"{period} đã công khai kết quả.")
    open_ = Evaluation.objects.filter(period=period).exclude(
        state__in=[EvaluationState.CONCLUDED, EvaluationState.PUBLISHED]
    )
    left = open_.count()
    if left:
        raise ValidationError(f"Còn {left} phiếu chưa được kết luận; chưa thể công khai.")
    count = Evaluation.objects.filter(period=period, state=EvaluationState.CONCLUDED).update(
        state=EvaluationState.PUBLISHED
    )
    before = period.state
    period_reach(period, PeriodState.PUBLISHED)
    # The appeal window runs from publication (Period.appeal_days).
    period.published_at = timezone.now()
    period.save(update_fields=["published_at"])
    period_counts_refresh(period)  # what the reports read from now on
    audit_record(
        actor=actor,
        action="period.publish",
        obj=period,
        before={"state": before},
        after={"state": period.state, "published": count},
    )
    return count


@transaction.atomic
def period_lock(*, actor: Any, period: Period) -> None:
    """Lock a published period: results and assessments can no longer change."""
    if not can_publish(actor, period):
        raise PermissionDenied("Chỉ cấp có thẩm quyền hoặc Ban Tổ chức khóa kỳ đánh giá.")
    period_hold(period)
    evaluation_guard(period)
    if period.state != PeriodState.PUBLISHED:
        raise ValidationError("Chỉ khóa kỳ đánh giá đã công khai kết quả.")
    lock_check(period)
    period.state = PeriodState.LOCKED
    period.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="period.lock",
        obj=period,
        before={"state": PeriodState.PUBLISHED},
        after={"state": PeriodState.LOCKED},
    )


@transaction.atomic
def period_reopen(*, actor: Any, period: Period, reason: str) -> None:
    """Reopen a locked period for conclusions (authority only, with a reason); every current
    result is kept in the history first."""
    scope = scope_for(actor)
    competent = scope.everything or (
        bool(scope.authority_ids)
        and Evaluation.objects.filter(period=period, authority_id__in=scope.authority_ids).exists()
    )
    if not competent:
        raise PermissionDenied("Chỉ cấp có thẩm quyền được mở lại kỳ đánh giá đã khóa.")
    period_hold(period)
    if period.state != PeriodState.LOCKED:
        raise ValidationError("Kỳ đánh giá chưa khóa.")
    if not reason.strip():
        raise ValidationError("Mở lại kỳ đánh giá phải ghi rõ lý do.")
    evaluations = list(Evaluation.objects.filter(period=period))
    ResultHistory.objects.bulk_create(
        [result_history(ev, "reopen", actor) for ev in evaluations], batch_size=2000
    )
    Evaluation.objects.filter(period=period, state=EvaluationState.PUBLISHED).update(
        state=EvaluationState.CONCLUDED
    )
    period.state = PeriodState.CONCLUSION
    period.save(update_fields=["state"])
    period_counts_drop(period)
    audit_record(
        actor=actor,
        action="period.reopen",
        obj=period,
        before={"state": PeriodState.LOCKED},
        after={"state": PeriodState.CONCLUSION, "kept_in_history": len(evaluations)},
        note=reason.strip(),
    )
