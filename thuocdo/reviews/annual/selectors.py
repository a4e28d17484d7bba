"""Reads of the annual cycle, through the actor's scope: evaluations, the organiser's funnel,
quota gauges and tie cases, the authority's conclusions, the published results."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from thuocdo.org.models import Post
from thuocdo.org.scope import Scope, scope_for, today
from thuocdo.reviews.annual.groups import quota_group_labels
from thuocdo.reviews.annual.levels import legal_order, party_shares_by_unit
from thuocdo.reviews.annual.permissions import can_conclude
from thuocdo.reviews.annual.tracks import has_party_shares, period_options
from thuocdo.reviews.models import (
    EVALUATION_STEPS,
    Evaluation,
    EvaluationGroup,
    EvaluationState,
    Period,
    SubjectKind,
)
from thuocdo.rules import compile_ruleset, load_ruleset, quota_limit


def evaluation_scope_q(scope: Scope) -> Q:
    """Filter on Evaluation for what a scope may see: the scope.py rules read on the
    evaluation's own unit and authority, which were fixed when the period was opened."""
    if scope.everything:
        return Q()
    q = reduce(
        or_,
        (Q(unit__path__startswith=p) for p in scope.subtree_paths),
        Q(unit_id__in=scope.led_unit_ids),
    )
    q |= Q(authority_id__in=scope.authority_ids)
    if scope.person_id:
        q |= Q(person_id=scope.person_id)
    return q


def evaluation_list(*, actor: Any, period: Period) -> QuerySet[Evaluation]:
    """Evaluations of the period the actor may see, collectives first, by unit then name."""
    return (
        Evaluation.objects.filter(evaluation_scope_q(scope_for(actor)), period=period)
        .select_related("person", "unit", "post", "authority", "concluded_by")
        .order_by("unit__path", "-kind", "-is_head", "person__sort_key", "id")
    )


def access_evaluation(actor: Any, evaluation_id: int | str) -> Evaluation:
    """One evaluation if the actor may see it; 404 exactly as if it did not exist."""
    try:
        return (
            Evaluation.objects.filter(evaluation_scope_q(scope_for(actor)))
            .select_related("period__unit", "person", "unit", "post", "authority", "concluded_by")
            .get(pk=int(evaluation_id))
        )
    except (Evaluation.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy phiếu đánh giá.") from None


@dataclass
class UnitFunnel:
    """How many evaluations of one unit are at each step."""

    unit_id: int
    name: str
    path: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All evaluations of the unit."""
        return sum(self.counts.values())

    @property
    def row(self) -> list[int]:
        """Counts in the order of the steps, for the table."""
        return [self.counts.get(step, 0) for step in EVALUATION_STEPS]

    @property
    def cells(self) -> list[tuple[str, int]]:
        """Each step's label with its count: a phone shows the table as cards, which name
        every number."""
        return [(str(s.label), self.counts.get(s.value, 0)) for s in EvaluationState]


@dataclass(frozen=True)
class Funnel:
    """The organiser's board of a year period: the funnel per unit and who is late."""

    steps: list[tuple[str, str]]
    totals: list[int]
    units: list[UnitFunnel]
    late: list[Evaluation]
    late_count: int

    @property
    def total_cells(self) -> list[tuple[str, int]]:
        """The totals with their steps' labels, like `UnitFunnel.cells`."""
        return [(str(label), n) for (_, label), n in zip(self.steps, self.totals, strict=True)]


def period_funnel(*, actor: Any, period: Period, limit: int = 200) -> Funnel:
    """Counts per step per unit (one GROUP BY), and the late evaluations: not self-assessed
    after the self-assessment deadline, or not reviewed after the review deadline."""
    visible = Evaluation.objects.filter(evaluation_scope_q(scope_for(actor)), period=period)
    by_unit: dict[int, UnitFunnel] = {}
    rows = visible.values("unit_id", "unit__name", "unit__path", "state").annotate(n=Count("id"))
    for row in rows.order_by("unit__path"):
        uf = by_unit.setdefault(
            row["unit_id"], UnitFunnel(row["unit_id"], row["unit__name"], row["unit__path"])
        )
        uf.counts[row["state"]] = row["n"]
    units = sorted(by_unit.values(), key=lambda u: u.path)[:limit]
    totals = Counter[str]()
    for uf in by_unit.values():
        totals.update(uf.counts)
    now = today()
    late_q = Q(pk__in=[])
    if period.self_due and now > period.self_due:
        late_q |= Q(state=EvaluationState.PENDING)
    if period.review_due and now > period.review_due:
        late_q |= Q(state__in=[EvaluationState.PENDING, EvaluationState.SELF_ASSESSED])
    late = visible.filter(late_q).select_related("person", "unit").order_by("unit__path", "id")
    return Funnel(
        steps=[(s.value, s.label) for s in EvaluationState],
        totals=[totals.get(step, 0) for step in EVALUATION_STEPS],
        units=units,
        late=list(late[:limit]),
        late_count=late.count(),
    )


@dataclass(frozen=True)
class QuotaGauge:
    """One quota group: HTXS now, and the limit the quota allows on those counts."""

    group: str
    members: int
    excellent: int
    limit: int
    ties: list[Evaluation]
    label: str = ""

    @property
    def over(self) -> bool:
        """More HTXS than the limit (only possible before the engine's proposal)."""
        return self.excellent > self.limit


def _level_now(ev: Evaluation) -> str:
    return ev.level or ev.proposed_level or ev.leader_level or ev.self_level


def quota_gauges(period: Period, evaluations: list[Evaluation]) -> list[QuotaGauge]:
    """Per quota group of the evaluations shown: HTXS x / limit y, and the tie cases; each
    group under the quota of the rule-set that classifies it."""
    groups: dict[tuple[str, str], list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        groups[(ev.ruleset, ev.quota_group)].append(ev)
    gauges = []
    shares: dict[int, Fraction] | None = None
    for (ruleset_id, name), evs in sorted(groups.items()):
        ruleset = load_ruleset(ruleset_id)
        options = period_options(ruleset, period.ruleset, period.options)
        quota = compile_ruleset(ruleset, options).quota
        evs = [ev for ev in evs if quota is not None and ev.kind in quota.kinds]
        if quota is None or not evs:
            continue
        levels = Counter(_level_now(ev) for ev in evs)
        n_cls = len(evs) - levels["KXL"]
        limits = []
        rate = quota.rate_of(name)
        if rate is not None:
            limits.append(quota_limit(rate, quota.base, levels["HTXS"], levels["HTT"], n_cls))
        if has_party_shares(ruleset):  # NĐ 90 Điều 2 k6: the unit's Party members' HTXS share
            if shares is None:
                shares = _party_shares(period)
            share = shares.get(evs[0].unit_id)
            if share is not None:
                limits.append(share.numerator * n_cls // share.denominator)
        if not limits:
            continue
        ties = [ev for ev in evs if "quota_tie" in ev.flags]
        gauges.append(QuotaGauge(name, len(evs), levels["HTXS"], min(limits), ties))
    labels = quota_group_labels(g.group for g in gauges)
    return [replace(g, label=labels[g.group]) for g in gauges]


def _party_shares(period: Period) -> dict[int, Fraction]:
    """The HTXS share of each unit's Party members, from their current levels."""
    rows = Evaluation.objects.filter(period=period, group=EvaluationGroup.PARTY_MEMBER)
    return party_shares_by_unit(
        (u, g, lv or pv)
        for u, g, lv, pv in rows.values_list("unit_id", "group", "level", "proposed_level")
    )


@dataclass(frozen=True)
class ConclusionGroups:
    """What an authority concludes, in the order the law gives: collectives (lower first),
    then members, heads last."""

    collectives: list[Evaluation]
    members: list[Evaluation]
    heads: list[Evaluation]

    @property
    def waiting(self) -> int:
        """Proposals still waiting for a conclusion."""
        every = [*self.collectives, *self.members, *self.heads]
        return sum(1 for ev in every if ev.state == EvaluationState.PROPOSED)


def conclusion_groups(*, actor: Any, period: Period) -> ConclusionGroups:
    """The evaluations the actor is competent to conclude, grouped in the legal order."""
    scope = scope_for(actor)
    qs = Evaluation.objects.filter(period=period).exclude(state__in=EVALUATION_STEPS[:4])
    if not scope.everything:
        qs = qs.filter(authority_id__in=scope.authority_ids)
    ordered = legal_order(qs.select_related("person", "unit", "concluded_by", "authority"))
    ordered = [ev for ev in ordered if can_conclude(actor, ev)]
    return ConclusionGroups(
        collectives=[ev for ev in ordered if ev.kind == SubjectKind.COLLECTIVE],
        members=[ev for ev in ordered if ev.kind == SubjectKind.INDIVIDUAL and not ev.is_head],
        heads=[ev for ev in ordered if ev.kind == SubjectKind.INDIVIDUAL and ev.is_head],
    )


@dataclass(frozen=True)
class PublishedRow:
    """One published result with its rank among equivalent positions in the unit."""

    evaluation: Evaluation
    rank: int
    peers: int


LEVEL_ORDER = {"HTXS": 0, "HTT": 1, "HTNV": 2, "KHT": 3, "KXL": 4, "": 5}


def published_results(*, actor: Any, period: Period) -> list[PublishedRow]:
    """Published results of the units the actor works in, plus those in the actor's scope;
    people are ranked by score within the same unit and duty group (equivalent positions).
    Only the level, the score and the rank are shown: never any opinion behind them."""
    scope = scope_for(actor)
    own_units = (
        Post.objects.active(today()).filter(person_id=scope.person_id).values("unit_id")
        if scope.person_id
        else Post.objects.none().values("unit_id")
    )
    rows = list(
        Evaluation.objects.filter(period=period, state=EvaluationState.PUBLISHED)
        .filter(evaluation_scope_q(scope) | Q(unit_id__in=own_units))
        .select_related("person", "unit")
        .order_by("unit__path", "-kind", "duty_group", "-score", "person__sort_key", "id")
    )
    ranked: list[PublishedRow] = []
    # Equivalent positions: same unit, same duty group, and the same subject group, so that a
    # person's State and Party-member classifications are never ranked against each other.
    groups: dict[tuple[int, str, str, str], list[Evaluation]] = defaultdict(list)
    for ev in rows:
        groups[(ev.unit_id, ev.kind, ev.group, ev.duty_group)].append(ev)
    for evs in groups.values():
        for ev in evs:
            # Competition ranking: equal scores share a rank ("1, 2, 2, 4"); without points
            # (QĐ 124, NĐ 90) the level ranks.
            if ev.score is None:
                better = sum(1 for o in evs if LEVEL_ORDER[o.level] < LEVEL_ORDER[ev.level])
            else:
                better = sum(1 for o in evs if (o.score or Decimal(0)) > ev.score)
            ranked.append(PublishedRow(ev, better + 1, len(evs)))
    order = {ev.pk: i for i, ev in enumerate(rows)}
    return sorted(ranked, key=lambda r: order[r.evaluation.pk])
