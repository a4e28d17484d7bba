"""The engine's proposal: each period's evaluations batched by rule-set (State rule-sets before
the Party rule-sets that read the State level), with disciplines and targets as facts, computed
in memory (`proposal_compute`, also what a simulation runs) and stored on each evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Discipline, Person, Unit
from thuocdo.reviews.annual.groups import quota_group_labels
from thuocdo.reviews.annual.levels import (
    CONCLUDABLE,
    STATE_GROUPS,
    current_level,
    party_shares_by_unit,
    worst_level,
)
from thuocdo.reviews.annual.permissions import can_organise, evaluation_guard
from thuocdo.reviews.annual.services.common import period_reach
from thuocdo.reviews.annual.tracks import (
    PARTY_SHARES,
    batch_order,
    criteria_labels,
    has_party_shares,
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
    ruleset_id: str | None = None,
    main: str | None = None,
    options: Mapping[str, Any] | None = None,
    party_shares: Mapping[int, Fraction] | None = None,
) -> dict[str, Any]:
    """The engine batch (DESIGN §5) of the evaluations of a period under one rule-set.

    `state_levels` gives, per person, the State level (công chức, viên chức) that the Party
    rule-sets link their Party-member level to (HD 21). `ruleset_id`, `main` and `options`
    stand for the period's own (the stored rule-set of the evaluations, the period's main
    rule-set and options) in a simulation; `party_shares` gives per unit the Party members'
    HTXS share that caps the State HTXS share under NĐ 90 Điều 2 k6.
    """
    if ruleset_id is None:
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
    # Reasons name people and units by their names, never by the batch's ids (issue 18).
    unit_names = _names(Unit.objects.all(), {ev.unit_id for ev in evaluations})
    person_names = _names(Person.objects.all(), person_ids, "full_name")
    subjects: list[dict[str, Any]] = []
    for ev in evaluations:
        subject: dict[str, Any] = {
            "id": ev.engine_id,
            "kind": ev.kind,
            "quota_group": ev.quota_group,
        }
        name = (
            unit_names.get(ev.unit_id)
            if ev.kind == SubjectKind.COLLECTIVE
            else person_names.get(ev.person_id or 0)
        )
        if name:
            subject["name"] = name
        if by_criteria:
            if not ev.criteria:
                raise ValidationError(
                    f"Bộ quy tắc {ruleset_id} xếp loại theo các nhóm tiêu chí, nhưng phiếu của "
                    f"{ev.subject_name} chỉ có điểm."
                )
            subject["criteria"] = ev.criteria
        else:
            if ev.score is None:
                raise ValidationError(
                    f"Bộ quy tắc {ruleset_id} xếp loại theo thang điểm, nhưng phiếu của "
                    f"{ev.subject_name} chưa có điểm năm."
                )
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
    batch_options = period_options(
        ruleset,
        period.ruleset if main is None else main,
        period.options if options is None else options,
    )
    if party_shares is not None and has_party_shares(ruleset):
        shares = dict(batch_options.get(PARTY_SHARES) or {})
        for ev in evaluations:
            share = party_shares.get(ev.unit_id)
            if ev.kind == SubjectKind.INDIVIDUAL and share is not None:
                shares.setdefault(ev.quota_group, float(share))
        batch_options[PARTY_SHARES] = shares
    return {
        "ruleset": ruleset_id,
        "period": {"kind": "year", "year": period.year},
        "options": batch_options,
        "subjects": subjects,
        "group_names": quota_group_labels(ev.quota_group for ev in evaluations),
    }


def _names(rows: QuerySet[Any], ids: Iterable[int], field: str = "name") -> dict[int, str]:
    """Names by primary key, read in chunks (a city's year is 200,000 people)."""
    wanted = sorted(ids)
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        out.update(rows.filter(pk__in=chunk).values_list("pk", field))
    return out


def state_levels_of(
    evaluations: Iterable[Evaluation], levels: Mapping[int, str] | None = None
) -> dict[int, str]:
    """Per person, the level of their State classification (conclusion, else proposal, or the
    level in `levels` by evaluation id); of several posts the lowest."""
    found: dict[int, list[str]] = defaultdict(list)
    for ev in evaluations:
        if ev.person_id is None or ev.group not in STATE_GROUPS:
            continue
        level = levels.get(ev.pk, "") if levels is not None else current_level(ev)
        if level:
            found[ev.person_id].append(level)
    return {person: worst_level(levels) for person, levels in found.items()}


@dataclass
class Proposal:
    """The engine's decisions on a period's evaluations, computed in memory: per evaluation
    its rule-set and decision (DESIGN §5), and the batches run."""

    rulesets: dict[int, str]
    decisions: dict[int, dict[str, Any]]
    batches: list[dict[str, Any]] = field(default_factory=list)

    def level(self, evaluation_id: int) -> str:
        """The proposed level of an evaluation."""
        return str(self.decisions[evaluation_id]["level"])

    def counts(self) -> Counter[str]:
        """Proposals per level."""
        out: Counter[str] = Counter({level: 0 for level in CONCLUDABLE})
        out.update(d["level"] for d in self.decisions.values())
        return out


def proposal_compute(
    period: Period,
    evaluations: Sequence[Evaluation],
    *,
    ruleset: str | None = None,
    rulesets: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> Proposal:
    """Run the engine over the evaluations, one batch per rule-set, writing nothing.

    Without `ruleset`, `rulesets` or `options`, each evaluation keeps its stored rule-set and
    the period's options (the real proposal); with them, each evaluation is classified under
    the rule-set its group would have (`rulesets` per group, else `ruleset`, else the period's)
    and the options given (a simulation, "what if").

    State rule-sets run before the Party rule-sets that read the State level (HD 21). A State
    rule-set capped by the Party members' HTXS share (NĐ 90 Điều 2 k6) runs again, with the
    share of each unit's Party members, once their results exist, and so on until no share
    changes: a share only ever lowers (the lower of the last two is kept), so this ends.
    """
    simulated = ruleset is not None or rulesets is not None or options is not None
    main = ruleset or period.ruleset
    by_group = dict(period.rulesets if rulesets is None else rulesets)
    opts = dict(period.options if options is None else options)
    chosen = {
        ev.pk: (str(by_group.get(ev.group) or main) if simulated else ev.ruleset)
        for ev in evaluations
    }
    by_ruleset: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        by_ruleset[chosen[ev.pk]].append(ev)
    order = batch_order(by_ruleset)
    loaded = {r: ruleset_get(r) for r in order}
    capped = [r for r in order if has_party_shares(loaded[r])]
    user_shares = PARTY_SHARES in opts
    decisions: dict[int, dict[str, Any]] = {}
    batches: list[dict[str, Any]] = []
    shares: dict[int, Fraction] | None = None
    while True:
        batches = []
        for ruleset_id in order:
            group = by_ruleset[ruleset_id]
            levels = {pk: d["level"] for pk, d in decisions.items()}
            state_levels = (
                state_levels_of(evaluations, levels)
                if reads_state_level(loaded[ruleset_id])
                else None
            )
            data = period_batch(
                period,
                group,
                state_levels=state_levels,
                ruleset_id=ruleset_id,
                main=main,
                options=opts,
                party_shares=shares,
            )
            result = classify_json(data)
            by_id = {d["id"]: d for d in result["decisions"]}
            for ev in group:
                decisions[ev.pk] = by_id[ev.engine_id]
            batches.append({"ruleset": ruleset_id, "by_level": result["summary"]["by_level"]})
        if not capped or user_shares:
            break
        found = party_shares_by_unit(
            (ev.unit_id, ev.group, decisions[ev.pk]["level"]) for ev in evaluations
        )
        lowered = {
            unit: min(share, shares[unit]) if shares and unit in shares else share
            for unit, share in found.items()
        }
        if lowered == (shares or {}):
            break
        shares = lowered
    return Proposal(chosen, decisions, batches)


@transaction.atomic
def period_propose(*, actor: Any, period: Period) -> dict[str, int]:
    """Run the engine over the whole period (`proposal_compute`) and store each proposal with
    its trace. The engine orders the work inside a batch (lower collectives, then members,
    heads last) and applies the quotas; ties at a quota boundary come back flagged
    `quota_tie`."""
    evaluation_guard(period)
    if not can_organise(actor, period):
        raise PermissionDenied("Chỉ Ban Tổ chức đề xuất mức xếp loại.")
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
    proposal = proposal_compute(period, evaluations)
    for ev in evaluations:
        d = proposal.decisions[ev.pk]
        ev.proposed_level, ev.flags, ev.trace = d["level"], d["flags"], d["trace"]
        ev.state = EvaluationState.PROPOSED
    Evaluation.objects.bulk_update(
        evaluations, ["proposed_level", "flags", "trace", "state"], batch_size=2000
    )
    summary_counts = proposal.counts()
    ties = sum(1 for ev in evaluations if "quota_tie" in ev.flags)
    audit_record(
        actor=actor,
        action="evaluation.propose_batch",
        obj=period,
        after={"batches": proposal.batches, "by_level": dict(summary_counts), "quota_tie": ties},
    )
    period_reach(period, PeriodState.CONCLUSION)
    return {**summary_counts, "quota_tie": ties}
