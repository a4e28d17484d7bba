"""Verification (thẩm định): the organiser checks the reviewed evaluations of a period, each
one in the organiser's write scope and with its annual score or criterion ratings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thuocdo.audit.services import audit_event_build, audit_record_many
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.reviews.annual.permissions import evaluation_guard
from thuocdo.reviews.annual.services.common import period_hold, period_reach
from thuocdo.reviews.annual.tracks import criteria_labels, ruleset_get
from thuocdo.reviews.models import Evaluation, EvaluationState, Period, PeriodState


@transaction.atomic
def evaluations_verify(*, actor: Any, period: Period, evaluation_ids: Iterable[int]) -> int:
    """The organiser verifies (thẩm định) reviewed evaluations of the period; returns the count.
    Under the period's row lock: a self-review or a leader's assessment written at the same
    moment lands either before the verification (and is verified) or after it (and is refused),
    never under it."""
    period_hold(period)
    evaluation_guard(period)
    scope = scope_for(actor)
    if not scope.everything and not scope.write_paths:
        raise PermissionDenied("Chỉ Ban Tổ chức thẩm định.")
    ids = sorted({int(i) for i in evaluation_ids})
    # An evaluation outside the organiser's units is refused exactly like a missing one: the
    # answer must not tell which ids exist elsewhere (issue 14, finding 11).
    writable = Unit.objects.filter(units_write_q(scope)).values("pk")
    chosen = list(
        Evaluation.objects.filter(period=period, pk__in=ids, unit__in=writable).select_related(
            "unit", "person"
        )
    )
    if len(chosen) != len(ids):
        raise ValidationError("Có phiếu không thuộc kỳ đánh giá này.")
    rated = {r: criteria_labels(ruleset_get(r)) is not None for r in {ev.ruleset for ev in chosen}}
    events = []
    for ev in chosen:
        if ev.state not in (EvaluationState.REVIEWED, EvaluationState.SELF_ASSESSED):
            raise ValidationError(
                f"{ev.subject_name}: không thể thẩm định ở bước «{ev.get_state_display()}»."
            )
        if rated[ev.ruleset]:
            if not ev.criteria:
                raise ValidationError(f"{ev.subject_name}: chưa đánh giá các nhóm tiêu chí.")
        elif ev.score is None:
            raise ValidationError(f"{ev.subject_name}: chưa có điểm năm.")
        events.append(
            audit_event_build(
                actor=actor,
                action="evaluation.verify",
                obj=ev,
                before={"state": ev.state},
                after={"state": EvaluationState.VERIFIED},
            )
        )
        ev.state, ev.verified_by = EvaluationState.VERIFIED, actor
    Evaluation.objects.bulk_update(chosen, ["state", "verified_by"], batch_size=2000)
    audit_record_many(events)
    period_reach(period, PeriodState.VERIFICATION)
    return len(chosen)
