"""The engine's proposal: each period's evaluations batched by rule-set (State rule-sets before
the Party rule-sets that read the State level), with disciplines and targets as facts, computed
in memory (`proposal_compute`, also what a simulation runs) and stored on each evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Discipline
from thuocdo.reviews.annual.groups import quota_group_labels
from thuocdo.reviews.annual.levels import (
    CONCLUDABLE,
    STATE_GROUPS,
    party_shares_by_unit,
    worst_level,
)
from thuocdo.reviews.annual.permissions import can_organise, evaluation_guard
from thuocdo.reviews.annual.services.common import period_hold, period_reach
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
from thuocdo.rules import (
    Decision,
    Subject,
    Targets,
    classify,
    compile_ruleset,
    decision_json,
)
from thuocdo.rules import Discipline as EngineDiscipline
from thuocdo.rules import Period as EnginePeriod
from thuocdo.rules.engine import summary_counts
from thuocdo.rules.levels import LEVEL_BY_NAME
from thuocdo.targets.models import TargetSet
from thuocdo.targets.selectors import targets_engine_input

CHUNK = 5000


class EngineEvaluation(Protocol):
    """What the engine's batches read of an evaluation: a model instance, or a row loaded
    without one (`EvaluationRow`, what a simulation of 200,000 reads)."""

    @property
    def pk(self) -> Any: ...
    @property
    def kind(self) -> str: ...
    @property
    def person_id(self) -> int | None: ...
    @property
    def unit_id(self) -> int: ...
    @property
    def group(self) -> str: ...
    @property
    def ruleset(self) -> str: ...
    @property
    def quota_group(self) -> str: ...
    @property
    def is_head(self) -> bool: ...
    @property
    def score(self) -> Decimal | None: ...
    @property
    def criteria(self) -> Any: ...
    @property
    def level(self) -> str: ...
    @property
    def proposed_level(self) -> str: ...
    @property
    def engine_id(self) -> str: ...
    @property
    def subject_name(self) -> str: ...


ROW_FIELDS = (
    "id", "kind", "person_id", "unit_id", "group", "ruleset", "quota_group", "is_head",
    "score", "criteria", "level", "proposed_level",
)  # fmt: skip


@dataclass(slots=True)
class EvaluationRow:
    """An evaluation's fields as the engine reads them, without a model instance."""

    pk: int
    kind: str
    person_id: int | None
    unit_id: int
    group: str
    ruleset: str
    quota_group: str
    is_head: bool
    score: Decimal | None
    criteria: Any
    level: str
    proposed_level: str
    engine_id: str = ""

    def __post_init__(self) -> None:
        # The subject's id in the engine batch, as Evaluation.engine_id (computed once: read
        # for every subject of every batch).
        self.engine_id = f"U{self.unit_id}" if self.kind == "collective" else f"E{self.pk}"

    @property
    def subject_name(self) -> str:
        """The person's or the collective's name (read when a message needs it)."""
        return Evaluation.objects.select_related("person", "unit").get(pk=self.pk).subject_name


def evaluation_rows(
    evaluations: QuerySet[Evaluation], *, criteria: bool = True
) -> list[EvaluationRow]:
    """The evaluations as rows, in one query without model instances; without `criteria`
    their ratings are not read (decoding 200,000 JSON values costs seconds a scale of points
    never needs)."""
    if criteria:
        return [EvaluationRow(*values) for values in evaluations.values_list(*ROW_FIELDS)]
    fields = [f for f in ROW_FIELDS if f != "criteria"]
    at = ROW_FIELDS.index("criteria")
    rows = ((*values[:at], {}, *values[at:]) for values in evaluations.values_list(*fields))
    return [EvaluationRow(*row) for row in rows]


@dataclass(frozen=True)
class PeriodFacts:
    """What the batches of a period read besides the evaluations, loaded once per proposal
    (a query each, joined on the period, never a list of 200,000 ids): the units' parents and
    names, the disciplines of the year, the units' targets and the quota groups as people read
    them. Reasons name units and groups, never a person (each person's own decision is theirs),
    so the people's names are not read."""

    parents: dict[int, int | None]
    unit_names: dict[int, str]
    disciplines: dict[int, list[EngineDiscipline]]
    targets: dict[int, Targets]
    group_names: dict[str, str]


def period_facts(period: Period, groups: Iterable[str]) -> PeriodFacts:
    """The facts of a period's evaluations (`groups`: their quota groups)."""
    evaluations = Evaluation.objects.filter(period=period)
    units = list(evaluations.values_list("unit_id", "unit__name", "unit__parent_id").distinct())
    parents = {pk: parent for pk, _, parent in units}
    unit_names = {pk: name for pk, name, _ in units}
    disciplines: dict[int, list[EngineDiscipline]] = defaultdict(list)
    rows = Discipline.objects.filter(
        person_id__in=evaluations.values("person_id"), date__year=period.year
    ).order_by("date", "id")
    for pk, person_id, form, date, duty_related, self_remedied in rows.values_list(
        "pk", "person_id", "form", "date", "duty_related", "self_remedied"
    ):
        disciplines[person_id].append(
            EngineDiscipline(f"KL-{pk}", form, date, duty_related, bool(self_remedied))
        )
    targets: dict[int, Targets] = {}
    collectives = evaluations.filter(kind=SubjectKind.COLLECTIVE).values("unit_id")
    sets = TargetSet.objects.filter(unit_id__in=collectives, year=period.year)
    for target_set in sets.prefetch_related("indicators"):
        t = targets_engine_input(target_set)
        if t.assigned:
            targets[target_set.unit_id] = t
    return PeriodFacts(parents, unit_names, dict(disciplines), targets, quota_group_labels(groups))


@dataclass(frozen=True)
class EngineBatch:
    """One rule-set's batch of a period: the engine's subjects (DESIGN §5, built directly
    from the evaluations), the options it runs under and the names of its quota groups."""

    ruleset: str
    subjects: list[Subject]
    options: dict[str, Any]
    group_names: dict[str, str]


def period_subjects(
    facts: PeriodFacts,
    evaluations: Sequence[EngineEvaluation],
    *,
    ruleset_id: str,
    main: str,
    options: Mapping[str, Any],
    state_levels: Mapping[int, str] | None = None,
    party_shares: Mapping[int, Fraction] | None = None,
) -> EngineBatch:
    """The engine batch of the evaluations of a period under one rule-set.

    `state_levels` gives, per person, the State level (công chức, viên chức) that the Party
    rule-sets link their Party-member level to (HD 21); `party_shares` per unit the Party
    members' HTXS share that caps the State HTXS share under NĐ 90 Điều 2 k6. A subject
    without the score or the criteria its rule-set needs is refused in Vietnamese. Reasons
    name people and units by their names, never by the batch's ids (issue 18).
    """
    ruleset = ruleset_get(ruleset_id)
    by_criteria = criteria_labels(ruleset) is not None
    collectives = {ev.unit_id for ev in evaluations if ev.kind == SubjectKind.COLLECTIVE}
    parents, targets, disciplines = facts.parents, facts.targets, facts.disciplines
    subjects: list[Subject] = []
    for ev in evaluations:
        fields: dict[str, Any] = {}
        if by_criteria:
            if not ev.criteria:
                raise ValidationError(
                    f"Bộ quy tắc {ruleset_id} xếp loại theo các nhóm tiêu chí, nhưng phiếu của "
                    f"{ev.subject_name} chỉ có điểm."
                )
            fields["criteria"] = tuple(sorted((str(k), str(v)) for k, v in ev.criteria.items()))
        else:
            if ev.score is None:
                raise ValidationError(
                    f"Bộ quy tắc {ruleset_id} xếp loại theo thang điểm, nhưng phiếu của "
                    f"{ev.subject_name} chưa có điểm năm."
                )
            fields["score"] = Decimal(ev.score)
        if ev.kind == SubjectKind.COLLECTIVE:
            parent = parents.get(ev.unit_id)
            if parent in collectives:
                fields["parent"] = f"U{parent}"
            fields["targets"] = targets.get(ev.unit_id)
            fields["name"] = facts.unit_names.get(ev.unit_id)
        else:
            fields["group"] = ev.group
            if ev.unit_id in collectives:
                fields["unit"] = f"U{ev.unit_id}"
                if ev.is_head:
                    fields["heads"] = f"U{ev.unit_id}"
                    fields["targets"] = targets.get(ev.unit_id)
            fields["disciplines"] = tuple(disciplines.get(ev.person_id or 0, ()))
            if state_levels and ev.person_id is not None and ev.person_id in state_levels:
                fields["state_level"] = LEVEL_BY_NAME[state_levels[ev.person_id]]
        subjects.append(
            Subject(id=ev.engine_id, kind=ev.kind, quota_group=ev.quota_group, **fields)
        )
    batch_options = period_options(ruleset, main, options)
    if party_shares is not None and has_party_shares(ruleset):
        shares = dict(batch_options.get(PARTY_SHARES) or {})
        for ev in evaluations:
            share = party_shares.get(ev.unit_id)
            if ev.kind == SubjectKind.INDIVIDUAL and share is not None:
                shares.setdefault(ev.quota_group, float(share))
        batch_options[PARTY_SHARES] = shares
    return EngineBatch(ruleset_id, subjects, batch_options, facts.group_names)


def state_levels_of(
    evaluations: Iterable[EngineEvaluation], levels: Mapping[int, str] | None = None
) -> dict[int, str]:
    """Per person, the level of their State classification (conclusion, else proposal, or the
    level in `levels` by evaluation id); of several posts the lowest."""
    found: dict[int, list[str]] = defaultdict(list)
    for ev in evaluations:
        if ev.person_id is None or ev.group not in STATE_GROUPS:
            continue
        level = levels.get(ev.pk, "") if levels is not None else ev.level or ev.proposed_level
        if level:
            found[ev.person_id].append(level)
    return {person: worst_level(levels) for person, levels in found.items()}


@dataclass
class Proposal:
    """The engine's decisions on a period's evaluations, computed in memory: per evaluation
    its rule-set and decision, rendered as DESIGN §5's JSON only when asked (a simulation
    reads the levels of 200,000 and the reasons of the few that change)."""

    rulesets: dict[int, str]
    results: dict[int, tuple[Decision, frozenset[str]]]
    batches: list[dict[str, Any]] = field(default_factory=list)

    def level(self, evaluation_id: int) -> str:
        """The proposed level of an evaluation."""
        return self.results[evaluation_id][0].level.name

    def decision(self, evaluation_id: int) -> dict[str, Any]:
        """The decision of an evaluation, as JSON."""
        return decision_json(*self.results[evaluation_id])

    @cached_property
    def decisions(self) -> dict[int, dict[str, Any]]:
        """Every decision as JSON, by evaluation id."""
        return {pk: decision_json(*result) for pk, result in self.results.items()}

    def counts(self) -> Counter[str]:
        """Proposals per level."""
        out: Counter[str] = Counter({level: 0 for level in CONCLUDABLE})
        out.update(d.level.name for d, _ in self.results.values())
        return out


def proposal_compute(
    period: Period,
    evaluations: Sequence[EngineEvaluation],
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
    by_ruleset: dict[str, list[EngineEvaluation]] = defaultdict(list)
    for ev in evaluations:
        by_ruleset[chosen[ev.pk]].append(ev)
    order = batch_order(by_ruleset)
    loaded = {r: ruleset_get(r) for r in order}
    capped = [r for r in order if has_party_shares(loaded[r])]
    user_shares = PARTY_SHARES in opts
    results: dict[int, tuple[Decision, frozenset[str]]] = {}
    batches: list[dict[str, Any]] = []
    year = EnginePeriod("year", period.year)
    facts = period_facts(period, {ev.quota_group for ev in evaluations})
    shares: dict[int, Fraction] | None = None
    while True:
        batches = []
        for ruleset_id in order:
            group = by_ruleset[ruleset_id]
            levels = {pk: d.level.name for pk, (d, _) in results.items()}
            state_levels = (
                state_levels_of(evaluations, levels)
                if reads_state_level(loaded[ruleset_id])
                else None
            )
            batch = period_subjects(
                facts,
                group,
                ruleset_id=ruleset_id,
                main=main,
                options=opts,
                state_levels=state_levels,
                party_shares=shares,
            )
            compiled = compile_ruleset(loaded[ruleset_id], batch.options)
            result = classify(
                batch.subjects, compiled, year, validate=True, group_names=batch.group_names
            )
            by_id = {d.id: d for d in result.decisions}
            for ev in group:
                results[ev.pk] = (by_id[ev.engine_id], result.unconfirmed)
            batches.append({"ruleset": ruleset_id, "by_level": summary_counts(result)})
        if not capped or user_shares:
            break
        found = party_shares_by_unit(
            (ev.unit_id, ev.group, results[ev.pk][0].level.name) for ev in evaluations
        )
        lowered = {
            unit: min(share, shares[unit]) if shares and unit in shares else share
            for unit, share in found.items()
        }
        if lowered == (shares or {}):
            break
        shares = lowered
    return Proposal(chosen, results, batches)


@transaction.atomic
def period_propose(*, actor: Any, period: Period) -> dict[str, int]:
    """Run the engine over the whole period (`proposal_compute`) and store each proposal with
    its trace. The engine orders the work inside a batch (lower collectives, then members,
    heads last) and applies the quotas; ties at a quota boundary come back flagged
    `quota_tie`."""
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
