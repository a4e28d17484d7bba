"""Helpers shared by the steps of the annual cycle: the period's row lock, moving a period
forward, and the record of a result (its JSON for the audit trail, its row in the result
history).

Concurrency (issue 14): every write of the annual cycle first takes the row lock of its
period (`period_hold`), then, where it writes one evaluation or appeal, re-reads that row
(`evaluation_hold`, `appeal_hold`). The period row carries every invariant checked against
other rows (a quota group, a head's cap by their unit, the State level of a Party member,
"every evaluation verified" before a proposal, "every evaluation concluded" before
publication, one open appeal), so two writes of one period never interleave their checks and
their writes; one lock order, period then evaluation then appeal, leaves no deadlock. The
checks run on the rows as they are once the lock is held, never on the caller's copy."""

from __future__ import annotations

from typing import Any

from thuocdo.reviews.models import Appeal, Evaluation, Period, PeriodState, ResultHistory


def period_hold(period: Period) -> Period:
    """Take the period's row lock until the end of the transaction, and bring the caller's
    object up to date (state, publication) from the locked row."""
    period.refresh_from_db(from_queryset=Period.objects.select_for_update())
    return period


def evaluation_hold(evaluation: Evaluation) -> Evaluation:
    """Lock the period, then re-read the evaluation (its state, levels and scores as another
    transaction may just have left them) into the caller's object."""
    period_hold(evaluation.period)
    evaluation.refresh_from_db(from_queryset=Evaluation.objects.select_for_update())
    return evaluation


def appeal_hold(appeal: Appeal) -> Appeal:
    """Lock the period and the evaluation of an appeal, then re-read the appeal."""
    evaluation_hold(appeal.evaluation)
    appeal.refresh_from_db(from_queryset=Appeal.objects.select_for_update())
    return appeal


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
