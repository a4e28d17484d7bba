"""The engine's proposal: each period's evaluations batched by rule-set (State rule-sets before
the Party rule-sets capped at the State level), with disciplines and targets as facts, and
the proposed level and trace stored on each evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Discipline, Unit
from thuocdo.reviews.annual.levels import CONCLUDABLE, STATE_GROUPS, current_level, worst_level
from thuocdo.reviews.annual.permissions import can_organise, evaluation_guard
from thuocdo.reviews.annual.services.common import period_hold, period_reach
from thuocdo.reviews.annual.tracks import (
    batch_order,
    criteria_labels,
    period_options,
    reads_state_level,
    ruleset_get,
)
from thuocdo.reviews.models import Evaluation, EvaluationState, Period, PeriodState, SubjectKind
from thuocdo.rules import classify_json
from thuocdo.targets.models import TargetSet
from thuocdo.targets.selectors import targets_engine_input


def _disciplines_by_person(period: Period, person_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Disciplines decided in the period's year, as the engine's records."""
    out: dict[int, list[Any]] = defaultdict(list)
    for start in range(0, len(person_ids), 5000):
        rows = Discipline.objects.filter(
            person_id__in=person_ids[start : start + 5000], date__year=period.year
        ).order_by("date", "id")
        for d in rows:
            out[d.person_id].append(
                {
                    "id": f"KL-{d.pk}",
                    "form": d.form,
                    "date": d.date.isoformat(),
                    "duty_related": d.duty_related,
                    "self_remedied": d.self_remedied,
                }
            )
    return out


def _targets_by_unit(period: Period, unit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The engine's targets of each unit's target set for the year (also its head's)."""
    out: dict[int, dict[str, Any]] = {}
    sets = TargetSet.objects.filter(unit_id__in=list(unit_ids), year=period.year)
    for target_set in sets.prefetch_related("indicators"):
        t = targets_engine_input(target_set)
        if t.assigned:
            out[target_set.unit_id] = {
                "assigned": t.assigned,
                "met": t.met,
                "main_missed": t.main_missed,
                "force_majeure": t.force_majeure,
            }
    return out


def period_batch(
    period: Period,
    evaluations: Sequence[Evaluation],
    *,
    state_levels: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The engine batch (DESIGN §5) of the evaluations of a period under one rule-set.

    `state_levels` gives, per person, the State level (công chức, viên chức) that a Party
    rule-set caps their Party-member level at.
    """
    rulesets = {ev.ruleset for ev in evaluations}
    assert len(rulesets) <= 1, "one batch is one rule-set"
    ruleset_id = rulesets.pop() if rulesets else period.ruleset
    ruleset = ruleset_get(ruleset_id)
    by_criteria = criteria_labels(ruleset) is not None
    collectives = {ev.unit_id for ev in evaluations if ev.kind == SubjectKind.COLLECTIVE}
    parents = dict(Unit.objects.filter(pk__in=collectives).values_list("pk", "parent_id"))
    person_ids = sorted({ev.person_id for ev in evaluations if ev.person_id is not None})
    disciplines = _disciplines_by_person(period, person_ids)
    targets = _targets_by_unit(period, collectives)
    subjects: list[dict[str, Any]] = []
    for ev in evaluations:
        subject: dict[str, Any] = {
            "id": ev.engine_id,
            "kind": ev.kind,
            "quota_group": ev.quota_group,
        }
        if by_criteria:
            subject["criteria"] = ev.criteria
        else:
            assert ev.score is not None
            subject["score"] = float(ev.score)
        if ev.kind == SubjectKind.COLLECTIVE:
            parent = parents.get(ev.unit_id)
            if parent in collectives:
                subject["parent"] = f"U{parent}"
            if ev.unit_id in targets:
                subject["targets"] = targets[ev.unit_id]
        else:
            subject["group"] = ev.group
            if ev.unit_id in collectives:
                subject["unit"] = f"U{ev.unit_id}"
                if ev.is_head:
                    subject["heads"] = f"U{ev.unit_id}"
                    if ev.unit_id in targets:
                        subject["targets"] = targets[ev.unit_id]
            if ev.person_id in disciplines:
                subject["disciplines"] = disciplines[ev.person_id]
            if state_levels and ev.person_id is not None and ev.person_id in state_levels:
                subject["state_level"] = state_levels[ev.person_id]
        subjects.append(subject)
    options = period_options(ruleset, period.ruleset, period.options)
    return {
        "ruleset": ruleset_id,
        "period": {"kind": "year", "year": period.year},
        "options": options,
        "subjects": subjects,
    }


def state_levels_of(evaluations: Iterable[Evaluation]) -> dict[int, str]:
    """Per person, the level of their State classification (conclusion, else proposal); of
    several posts the lowest, so that no Party-member level rises above any of them."""
    found: dict[int, list[str]] = defaultdict(list)
    for ev in evaluations:
        if ev.person_id is not None and ev.group in STATE_GROUPS and current_level(ev):
            found[ev.person_id].append(current_level(ev))
    return {person: worst_level(levels) for person, levels in found.items()}


@transaction.atomic
def period_propose(*, actor: Any, period: Period) -> dict[str, int]:
    """Run the engine over the whole period, one batch per rule-set, and store each proposal
    with its trace.

    State rule-sets run before the Party rule-sets that cap a Party member at their State
    level. The engine orders the work inside a batch (lower collectives, then members, heads
    last) and applies the quotas; ties at a quota boundary come back flagged `quota_tie`.
    """
    if not can_organise(actor, period):
        raise PermissionDenied("Chỉ Ban Tổ chức đề xuất mức xếp loại.")
    period_hold(period)
    evaluation_guard(period)
    evaluations = list(Evaluation.objects.filter(period=period).order_by("id"))
    waiting = Counter(
        ev.get_state_display()
        for ev in evaluations
        if ev.state not in (EvaluationState.VERIFIED, EvaluationState.PROPOSED)
    )
    if waiting:
        summary = ", ".join(f"{n} phiếu «{s}»" for s, n in sorted(waiting.items()))
        raise ValidationError(f"Chưa thể đề xuất: còn {summary}; mọi phiếu phải được thẩm định.")
    if not evaluations:
        raise ValidationError("Kỳ đánh giá chưa có phiếu nào.")
    by_ruleset: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        by_ruleset[ev.ruleset].append(ev)
    summary_counts: Counter[str] = Counter({level: 0 for level in CONCLUDABLE})
    batches = []
    for ruleset_id in batch_order(by_ruleset):
        group = by_ruleset[ruleset_id]
        state_levels = (
            state_levels_of(evaluations) if reads_state_level(ruleset_get(ruleset_id)) else None
        )
        result = classify_json(period_batch(period, group, state_levels=state_levels))
        decisions = {d["id"]: d for d in result["decisions"]}
        for ev in group:
            d = decisions[ev.engine_id]
            ev.proposed_level, ev.flags, ev.trace = d["level"], d["flags"], d["trace"]
            ev.state = EvaluationState.PROPOSED
        summary_counts.update(result["summary"]["by_level"])
        batches.append({"ruleset": ruleset_id, "by_level": result["summary"]["by_level"]})
    Evaluation.objects.bulk_update(
        evaluations, ["proposed_level", "flags", "trace", "state"], batch_size=2000
    )
    ties = sum(1 for ev in evaluations if "quota_tie" in ev.flags)
    audit_record(
        actor=actor,
        action="evaluation.propose_batch",
        obj=period,
        after={"batches": batches, "by_level": dict(summary_counts), "quota_tie": ties},
    )
    period_reach(period, PeriodState.CONCLUSION)
    return {**summary_counts, "quota_tie": ties}
