"""Reads of careers: the facts the rules need (levels, votes, targets, training), the review
cases of a scope, a person's dossier and a planning pool with its structure."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from thuocdo.ballots.models import CampaignState, ConsequenceFlag
from thuocdo.careers import rules
from thuocdo.careers.models import (
    CaseDecision,
    PlanningPool,
    PoolCandidate,
    Rotation,
    TitleStandard,
    Training,
)
from thuocdo.careers.permissions import cases_people_q
from thuocdo.org.models import Gender, Person, Post, Unit
from thuocdo.org.scope import today
from thuocdo.reports.models import HistoricalResult
from thuocdo.reviews.models import Evaluation as EvaluationModel
from thuocdo.reviews.models import EvaluationGroup, MonthlyScore, PeriodKind, PeriodState
from thuocdo.targets.models import TargetSet
from thuocdo.targets.selectors import TargetsSummary, summaries_of

PUBLISHED = (PeriodState.PUBLISHED, PeriodState.LOCKED)
GROUP_LABELS: dict[str, str] = dict(EvaluationGroup.choices)
SYSTEM, HISTORY = "Hệ thống", "Hồ sơ các năm trước"


@dataclass(frozen=True)
class YearRow:
    """One line of a person's yearly results."""

    year: int
    group: str
    level: str
    score: Any
    origin: str

    @property
    def group_label(self) -> str:
        """The group in Vietnamese."""
        return GROUP_LABELS.get(self.group, self.group)

    @property
    def level_label(self) -> str:
        """The level in full words."""
        return rules.LEVEL_WORDS.get(self.level, self.level)


def year_rows(person_ids: Iterable[int]) -> dict[int, list[YearRow]]:
    """Concluded yearly levels per person: published evaluations, then imported history for
    the (year, group) the system does not hold."""
    ids = list(person_ids)
    out: dict[int, list[YearRow]] = defaultdict(list)
    seen: set[tuple[int, int, str]] = set()
    evaluations = (
        EvaluationModel.objects.filter(
            person_id__in=ids,
            period__kind=PeriodKind.YEAR,
            period__state__in=PUBLISHED,
        )
        .exclude(level="")
        .values_list("person_id", "period__year", "group", "level", "score")
        .order_by("period__year", "group", "id")
    )
    for pid, year, group, level, score in evaluations:
        if (pid, year, group) in seen:
            continue
        seen.add((pid, year, group))
        out[pid].append(YearRow(year, group, level, score, SYSTEM))
    codes = dict(Person.objects.filter(pk__in=ids).values_list("code", "pk"))
    history = HistoricalResult.objects.filter(
        Q(person_id__in=ids) | Q(subject_code__in=list(codes))
    ).values_list("person_id", "subject_code", "year", "group", "level", "score")
    for pid, code, year, group, level, score in history.order_by("year", "group"):
        owner = pid if pid in ids else codes.get(code)
        if owner is None or (owner, year, group) in seen or group == EvaluationGroup.COLLECTIVE:
            continue
        seen.add((owner, year, group))
        out[owner].append(YearRow(year, group, level, score, HISTORY))
    for rows in out.values():
        rows.sort(key=lambda r: (-r.year, r.group))
    return out


def year_levels(rows: Sequence[YearRow]) -> list[rules.YearLevel]:
    """Yearly rows as the rules read them."""
    return [rules.YearLevel(r.year, r.level, r.group_label, r.origin, r.group) for r in rows]


def worst_by_year(rows: Sequence[YearRow]) -> dict[int, str]:
    """The worst classified level of each year, across groups (what eligibility reads)."""
    worst: dict[int, str] = {}
    for r in rows:
        if r.level not in rules.LEVEL_ORDER:
            continue
        if r.year not in worst or rules.LEVEL_ORDER[r.level] < rules.LEVEL_ORDER[worst[r.year]]:
            worst[r.year] = r.level
    return worst


def vote_facts(person_ids: Iterable[int]) -> dict[int, list[rules.VoteFact]]:
    """Consequences of published confidence votes per person."""
    out: dict[int, list[rules.VoteFact]] = defaultdict(list)
    flags = ConsequenceFlag.objects.filter(
        person_id__in=list(person_ids), campaign__state=CampaignState.PUBLISHED
    ).select_related("campaign")
    for f in flags.order_by("campaign__meeting_date", "id"):
        out[f.person_id].append(
            rules.VoteFact(
                date=f.campaign.meeting_date,
                campaign=f.campaign.title,
                consequence=f.get_consequence_display(),
                rule=f.rule,
                source=f.source,
                reason=f.reason,
            )
        )
    return out


def headed_sets(
    person_ids: Iterable[int], year: int | None = None
) -> dict[int, list[tuple[TargetSet, TargetsSummary]]]:
    """Target sets assigned to each person as head (of one year, if given), with their
    summaries."""
    out: dict[int, list[tuple[TargetSet, TargetsSummary]]] = defaultdict(list)
    sets = TargetSet.objects.filter(head_person_id__in=list(person_ids)).select_related("unit")
    if year is not None:
        sets = sets.filter(year=year)
    for ts, summary in summaries_of(sets.order_by("-year", "unit__path")):
        assert ts.head_person_id is not None
        out[ts.head_person_id].append((ts, summary))
    return out


def target_facts(sets: Sequence[tuple[TargetSet, TargetsSummary]]) -> list[rules.TargetFact]:
    """Target sets as the rules read them."""
    return [rules.TargetFact(ts.unit.name, ts.year, s.met, s.assigned) for ts, s in sets]


@dataclass(frozen=True)
class Case:
    """A flag on a person, with the authority's decision if one was recorded."""

    person: Person
    flag: rules.Flag
    decision: CaseDecision | None


def people_flags(people: Sequence[Person], year: int) -> dict[int, list[rules.Flag]]:
    """Every flag of each person for a year."""
    ids = [p.pk for p in people]
    # Only the year's targets can flag it (rules.head_targets_under): the others are not read.
    levels, votes, sets = year_rows(ids), vote_facts(ids), headed_sets(ids, year)
    return {
        pid: found
        for pid in ids
        if (
            found := rules.person_flags(
                year=year,
                levels=year_levels(levels.get(pid, [])),
                votes=votes.get(pid, []),
                targets=target_facts(sets.get(pid, [])),
            )
        )
    }


def _suspects_q(year: int) -> Q:
    """Filter on Person for those who may carry a flag of the year (KHT in it, a published vote
    in it, a target set of it as head), so that the rules read a few people, not a city."""
    failed = HistoricalResult.objects.filter(year=year, level="KHT")
    return (
        Q(
            pk__in=EvaluationModel.objects.filter(
                level="KHT",
                period__kind=PeriodKind.YEAR,
                period__year=year,
                period__state__in=PUBLISHED,
            ).values("person_id")
        )
        | Q(pk__in=failed.filter(person__isnull=False).values("person_id"))
        | Q(code__in=failed.values("subject_code"))
        | Q(
            pk__in=ConsequenceFlag.objects.filter(
                campaign__state=CampaignState.PUBLISHED, campaign__meeting_date__year=year
            ).values("person_id")
        )
        | Q(
            pk__in=TargetSet.objects.filter(year=year, head_person__isnull=False).values(
                "head_person_id"
            )
        )
    )


def case_list(*, actor: Any, year: int, unit: Unit | None = None) -> list[Case]:
    """The review cases of a year for the people in the actor's scope (optionally in a unit's
    subtree), sorted the Vietnamese way; each with its decision if recorded."""
    people = Person.objects.filter(cases_people_q(actor))
    if unit is not None:
        posts = Post.objects.active(today()).filter(unit__path__startswith=unit.path)
        people = people.filter(pk__in=posts.values("person_id"))
    listed = list(people.filter(_suspects_q(year)).order_by("sort_key", "id"))
    flags = people_flags(listed, year)
    decisions = {
        (d.person_id, d.rule): d
        for d in CaseDecision.objects.filter(year=year, person_id__in=list(flags))
    }
    return [
        Case(person=p, flag=f, decision=decisions.get((p.pk, f.rule)))
        for p in listed
        for f in flags.get(p.pk, [])
    ]


# -- The dossier ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dossier:
    """Everything the "hồ sơ đánh giá" of one person shows."""

    person: Person
    year: int
    years: list[YearRow]
    months: list[MonthlyScore]
    targets: list[tuple[TargetSet, TargetsSummary]]
    votes: list[ConsequenceFlag]
    trainings: list[Training]
    gaps: list[tuple[str, list[str]]]
    rotations: list[Rotation]
    flags: list[rules.Flag]
    pools: list[PoolCandidate]
    decisions: dict[str, CaseDecision]


def training_pairs(trainings: Iterable[Training]) -> list[tuple[str, str]]:
    """(subject, level) pairs of a person's records."""
    return [(t.subject, t.level) for t in trainings]


def person_gaps(person: Person, trainings: Sequence[Training]) -> list[tuple[str, list[str]]]:
    """For each title the person holds now with a standard: the standards not met."""
    titles = {p.title for p in person.posts.all() if p.end_date is None or p.end_date >= today()}
    standards = TitleStandard.objects.filter(title__in=titles).order_by("title")
    held = training_pairs(trainings)
    return [(s.title, rules.training_gaps(held, s.standards())) for s in standards]


def dossier_build(person: Person, *, year: int | None = None) -> Dossier:
    """Gather a person's dossier; flags for `year` (the latest classified year by default)."""
    loaded = Person.objects.prefetch_related(
        Prefetch("posts", queryset=Post.objects.select_related("unit", "managed_by")),
        "disciplines",
        "rewards",
    ).get(pk=person.pk)
    years = year_rows([loaded.pk]).get(loaded.pk, [])
    year = year or (years[0].year if years else today().year)
    months = list(
        MonthlyScore.objects.filter(person=loaded, period__kind=PeriodKind.MONTH)
        .select_related("period", "unit")
        .order_by("-period__year", "-period__number")[:12]
    )
    months.reverse()
    trainings = list(Training.objects.filter(person=loaded).order_by("-end_date", "id"))
    sets = headed_sets([loaded.pk]).get(loaded.pk, [])
    votes = list(
        ConsequenceFlag.objects.filter(person=loaded, campaign__state=CampaignState.PUBLISHED)
        .select_related("campaign")
        .order_by("-campaign__meeting_date")
    )
    flags = people_flags([loaded], year).get(loaded.pk, [])
    return Dossier(
        person=loaded,
        year=year,
        years=years,
        months=months,
        targets=sets,
        votes=votes,
        trainings=trainings,
        gaps=person_gaps(loaded, trainings),
        rotations=list(
            Rotation.objects.filter(person=loaded)
            .select_related("from_post__unit", "to_post__unit")
            .order_by("-start_date")
        ),
        flags=flags,
        pools=list(PoolCandidate.objects.filter(person=loaded).select_related("pool__unit")),
        decisions={
            d.rule: d
            for d in CaseDecision.objects.filter(person=loaded, year=year).select_related(
                "decided_by"
            )
        },
    )


# -- Planning pools ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolRow:
    """One candidate of a pool: facts, eligibility and training gaps."""

    entry: PoolCandidate
    age: int
    levels: dict[int, str]
    cells: list[str]  # the level of each year the pool shows, "" when none
    eligibility: rules.Eligibility
    gaps: list[str]
    votes: list[rules.VoteFact]


@dataclass(frozen=True)
class PoolView:
    """A pool with its candidates and structure."""

    pool: PlanningPool
    conditions: list[rules.Rule]
    years: list[int]
    rows: list[PoolRow]
    structure: rules.Structure
    on: datetime.date

    @property
    def eligible_count(self) -> int:
        """How many candidates meet every rule."""
        return sum(1 for r in self.rows if r.eligibility.eligible)


def pool_rules(pool: PlanningPool) -> list[rules.Rule]:
    """The pool's rules, or the shipped defaults when it has none."""
    return rules.rules_parse(pool.rules or list(rules.DEFAULT_RULES))


def pool_view(pool: PlanningPool) -> PoolView:
    """Evaluate a pool: each candidate's eligibility (rule and year) and the structure, with
    ages counted on the first day of the term and results up to the year before it."""
    on = datetime.date(pool.term_start, 1, 1)
    last_year = pool.term_start - 1
    entries = list(pool.candidates.select_related("person").order_by("person__sort_key"))
    ids = [e.person_id for e in entries]
    levels, votes = year_rows(ids), vote_facts(ids)
    trainings: dict[int, list[Training]] = defaultdict(list)
    for t in Training.objects.filter(person_id__in=ids):
        trainings[t.person_id].append(t)
    standard = TitleStandard.objects.filter(title=pool.title).first()
    required = standard.standards() if standard else []
    parsed = pool_rules(pool)
    span = max((r.years for r in parsed if r.rule == rules.RULE_MIN_LEVEL), default=3)
    years = list(range(last_year - span + 1, last_year + 1))
    facts, rows = [], []
    for e in entries:
        person = e.person
        gaps = rules.training_gaps(training_pairs(trainings[person.pk]), required)
        worst = worst_by_year(levels.get(person.pk, []))
        fact = rules.CandidateFacts(
            key=person.pk,
            name=person.full_name,
            birth_date=person.birth_date,
            female=person.gender == Gender.FEMALE,
            minority=(person.ethnicity or rules.MINORITY_BASE) != rules.MINORITY_BASE,
            levels=worst,
            low_confidence_years=tuple(sorted({v.date.year for v in votes.get(person.pk, [])})),
            training_gaps=tuple(gaps),
        )
        facts.append(fact)
        rows.append(
            PoolRow(
                entry=e,
                age=rules.age_on(person.birth_date, on),
                levels=worst,
                cells=[worst.get(y, "") for y in years],
                eligibility=rules.eligibility(fact, parsed, last_year=last_year, on=on),
                gaps=gaps,
                votes=votes.get(person.pk, []),
            )
        )
    return PoolView(
        pool=pool,
        conditions=parsed,
        years=years,
        rows=rows,
        structure=rules.structure(facts, posts=pool.posts, on=on, targets=pool.structure_targets()),
        on=on,
    )
