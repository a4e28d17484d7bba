"""Helpers shared by the steps of the annual cycle: moving a period forward, and the
record of a result (its JSON for the audit trail, its row in the result history)."""

from __future__ import annotations

from typing import Any

from thuocdo.reviews.models import Evaluation, Period, PeriodState, ResultHistory


def period_reach(period: Period, state: str) -> None:
    """Move the period forward to a step (never back: reopening is its own audited service)."""
    order = [s.value for s in PeriodState]
    if order.index(period.state) < order.index(state):
        period.state = state
        period.save(update_fields=["state"])


def result_json(ev: Evaluation) -> dict[str, Any]:
    """An evaluation's result as the audit trail records it before and after a change."""
    return {
        "proposed_level": ev.proposed_level,
        "level": ev.level,
        "score": None if ev.score is None else str(ev.score),
        "reason": ev.reason,
        "state": ev.state,
    }


def result_history(ev: Evaluation, action: str, actor: Any) -> ResultHistory:
    """An unsaved row of the result history: the evaluation's result now, and who recorded it."""
    return ResultHistory(
        evaluation=ev,
        action=action,
        proposed_level=ev.proposed_level,
        level=ev.level,
        score=ev.score,
        reason=ev.reason,
        concluded_by_id=ev.concluded_by_id,
        concluded_at=ev.concluded_at,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
