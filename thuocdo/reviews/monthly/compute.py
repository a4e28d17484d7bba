"""Computing the monthly scores of a period from the work record and the assessments: everyone
at once (`period_scores_compute`), or one person the moment their month changes
(`person_score_refresh`, on every save of a self-score, a leader's score, a verification or an
exemption), so that what the user saved is what the board shows.

A month that is not over is provisional ("tạm tính"): its scores are stored with what is still
missing and without a level, which would come from missing data.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from thuocdo.audit.services import audit_event_build, audit_record, audit_record_many
from thuocdo.org.models import Post, Unit
from thuocdo.org.scope import today
from thuocdo.reviews.models import (
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodState,
)
from thuocdo.reviews.monthly.opening import (
    deeper_periods,
    month_end,
    month_is_running,
    period_months,
    period_of_person,
)
from thuocdo.reviews.monthly.scoring import MonthComputation, Scale, month_compute, scale_of
from thuocdo.rules import TaskItem, classify_json, load_ruleset, unit_results_component
from thuocdo.rules.levels import LEVEL_BY_NAME
from thuocdo.work.models import Exemption, ExemptionState, Task, TaskState
from thuocdo.work.selectors import score_item

MONTHLY_CAP_RULE = "monthly-cap"
Items = list[tuple[int, str, TaskItem]]
Assessments = dict[tuple[int, str], MonthlyAssessment]


def as_at(period: Period, at: datetime.date) -> datetime.date:
    """The day unfinished tasks are judged late on: the month's last day, or today while the
    month runs (as "Tháng của tôi" shows it)."""
    return min(month_end(period), at)


def primary_posts(
    period: Period,
    person_ids: list[int] | QuerySet[Post, int] | None = None,
    deeper: list[Period] | None = None,
) -> dict[int, Post]:
    """Each person's post in the subtree that the month is scored in: a head post first.
    People of a deeper period of the same month (a ward that opened its own) are left to it."""
    posts = Post.objects.active(month_end(period)).filter(unit__path__startswith=period.unit.path)
    for inner in deeper_periods(period) if deeper is None else deeper:
        posts = posts.exclude(unit__path__startswith=inner.unit.path)
    if person_ids is not None:
        posts = posts.filter(person_id__in=person_ids)
    primary: dict[int, Post] = {}
    ordered = posts.select_related("unit", "person").order_by(
        "person_id", "-is_head", "-is_deputy", "start_date", "id"
    )
    for post in ordered:
        primary.setdefault(post.person_id, post)
    return primary


@dataclass
class WorkRecord:
    """The month's tasks of many people as scoring items, and how many are not finished or
    wait for verification."""

    items: dict[int, Items] = field(default_factory=lambda: defaultdict(list))
    states: dict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def work_record(person_ids: list[int], period: Period, at: datetime.date) -> WorkRecord:
    """The month's tasks of many people in a few queries (plain rows: a city has hundreds of
    thousands of tasks a month)."""
    record = WorkRecord()
    judged = as_at(period, at)
    fields = (
        "id",
        "title",
        "plan__person_id",
        "quantity",
        "product_type__conversion_factor",
        "state",
        "quality_passed",
        "delays",
        "failed_reviews",
        "completed_on",
        "due_date",
    )
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        tasks = Task.objects.filter(
            plan__person_id__in=chunk,
            plan__year=period.year,
            plan__month__in=period_months(period),
        )
        exempt: dict[int, set[str]] = defaultdict(set)
        confirmed = Exemption.objects.filter(task__in=tasks, state=ExemptionState.CONFIRMED)
        for task_id, kind in confirmed.values_list("task_id", "kind"):
            exempt[task_id].add(kind)
        for row in tasks.order_by("due_date", "id").values_list(*fields):
            pk, title, person_id, quantity, factor, state, passed, delays, failed, done, due = row
            item = score_item(
                weight=quantity * (factor if factor is not None else Decimal(1)),
                state=state,
                quality_passed=passed,
                delays=delays,
                failed_reviews=failed,
                completed_on=done,
                due_date=due,
                exempt=exempt.get(pk, set()),
                as_at=judged,
            )
            record.items[person_id].append((pk, title, item))
            record.states[person_id][state] += 1
    return record


def missing_of(record: WorkRecord, assessments: Assessments, pid: int) -> list[str]:
    """What the month of one person still lacks, in words."""
    missing = []
    states = record.states.get(pid, Counter())
    if not states:
        missing.append("chưa có nhiệm vụ nào trong tháng")
    unfinished = states[TaskState.PLANNED] + states[TaskState.IN_PROGRESS]
    if unfinished:
        missing.append(f"{unfinished} nhiệm vụ chưa hoàn thành")
    if states[TaskState.DONE]:
        missing.append(f"{states[TaskState.DONE]} nhiệm vụ chờ lãnh đạo xác nhận")
    if (pid, AssessmentSource.SELF) not in assessments:
        missing.append("chưa tự đánh giá")
    if (pid, AssessmentSource.LEADER) not in assessments:
        missing.append("lãnh đạo trực tiếp chưa chấm điểm")
    return missing


def general_of(
    assessments: Assessments, person_id: int
) -> tuple[Decimal | None, str, Decimal, Decimal]:
    """General points (the leader's if given, else the self-assessment), bonus, deductions."""
    leader = assessments.get((person_id, AssessmentSource.LEADER))
    own = assessments.get((person_id, AssessmentSource.SELF))
    if leader is not None:
        return leader.general, "lãnh đạo trực tiếp chấm", leader.bonus, leader.deductions
    if own is not None:
        return own.general, "tự chấm (lãnh đạo chưa chấm)", Decimal(0), own.deductions
    return None, "chưa chấm", Decimal(0), Decimal(0)


def compute_one(
    scale: Scale,
    items: Items,
    assessments: Assessments,
    pid: int,
    unit_results: Decimal | None = None,
    organising: Decimal | None = None,
) -> MonthComputation:
    """One person's month from their items and assessments."""
    general, source, bonus, deductions = general_of(assessments, pid)
    return month_compute(
        scale=scale,
        items=items,
        general=general,
        general_source=source,
        bonus=bonus,
        deductions=deductions,
        unit_results=unit_results,
        organising=organising,
    )


def is_capped(period: Period) -> bool:
    """Whether the rule-set caps the share of the top level within each unit (Hà Nội 3814)."""
    return any(rule.id == MONTHLY_CAP_RULE for rule in load_ruleset(period.ruleset).rules)


def classify(
    period: Period, totals: dict[int, tuple[str, Decimal]], capped: bool | None = None
) -> dict[int, dict[str, Any]]:
    """Levels from the engine for people given as id → (unit code, total): bands, and the
    unit's monthly cap where the rule-set has one."""
    capped = is_capped(period) if capped is None else capped
    subjects = []
    for person_id, (unit_code, total) in totals.items():
        subject: dict[str, Any] = {
            "id": str(person_id),
            "kind": "individual",
            "score": float(total),
        }
        if capped:
            # Hà Nội 3814: the share of A is counted within each unit.
            subject["quota_group"] = unit_code
        subjects.append(subject)
    if not subjects:
        return {}
    # Reasons name the unit whose share is counted by its name, not its code (issue 18).
    codes = {unit_code for unit_code, _ in totals.values()} if capped else set()
    names = dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))
    result = classify_json(
        {
            "ruleset": period.ruleset,
            "period": {"kind": period.kind, "year": period.year, period.kind: period.number},
            "options": period.options,
            "subjects": subjects,
            "group_names": names,
        }
    )
    return {int(d["id"]): d for d in result["decisions"]}


Rows = dict[int, tuple[Post, MonthComputation]]


def _totals(rows: Rows) -> dict[int, tuple[str, Decimal]]:
    return {pid: (post.unit.code, comp.total) for pid, (post, comp) in rows.items()}


def assessments_of(period: Period, person_ids: list[int] | None = None) -> Assessments:
    """The period's assessments (of some people) by person and source."""
    found = MonthlyAssessment.objects.filter(period=period)
    if person_ids is not None:
        found = found.filter(person_id__in=person_ids)
    return {(a.person_id, a.source): a for a in found}


def period_scores_compute(actor: Any, period: Period, at: datetime.date | None = None) -> int:
    """Compute and classify the month of everyone in the period; returns the count.

    Leaders are scored after their people, because their unit-results component (d) is
    whether anyone they lead is KHT (DESIGN.md §4.2).
    """
    at = at or today()
    scale = scale_of(period.ruleset)
    posts = primary_posts(period)
    person_ids = sorted(posts)
    record = work_record(person_ids, period, at)
    assessments = assessments_of(period)
    rows: Rows = {
        pid: (posts[pid], compute_one(scale, record.items.get(pid, []), assessments, pid))
        for pid in person_ids
    }
    decisions = classify(period, _totals(rows))
    leaders = {pid for pid in person_ids if posts[pid].is_head or posts[pid].is_deputy}
    # The levels of each unit's people who lead no one there, grouped once: scanning everyone
    # for every leader was quadratic (hours for a city whose superiors enter đ).
    levels_by_unit: dict[int, list[Any]] = defaultdict(list)
    for pid in person_ids:
        if pid not in leaders:
            levels_by_unit[posts[pid].unit_id].append(LEVEL_BY_NAME[decisions[pid]["level"]])
    changed = False
    for pid in sorted(leaders):
        superior = assessments.get((pid, AssessmentSource.LEADER))
        if superior is None or superior.organising is None:
            continue  # without đ the non-leader formula applies, and the explanation says so
        levels = levels_by_unit.get(posts[pid].unit_id)
        if levels:
            rows[pid] = (posts[pid], _leader_row(scale, record, assessments, pid, levels))
            changed = True
    if changed:  # only a leader's new total can change the levels (a unit cap counts them)
        decisions = classify(period, _totals(rows))
    missing = {pid: missing_of(record, assessments, pid) for pid in person_ids}
    return scores_store(actor, period, scale, rows, decisions, missing, at=at)


def _leader_row(
    scale: Scale,
    record: WorkRecord,
    assessments: Assessments,
    pid: int,
    levels: list[Any],
) -> MonthComputation:
    superior = assessments[(pid, AssessmentSource.LEADER)]
    assert superior.organising is not None
    return compute_one(
        scale,
        record.items.get(pid, []),
        assessments,
        pid,
        unit_results=unit_results_component(levels),
        organising=superior.organising / 100,
    )


def person_score_refresh(*, actor: Any, period: Period, person_id: int) -> int:
    """Recompute one person's month right after a change, and the month of the heads and
    deputies of their unit whose result part (d) counts the unit's levels; returns how many
    scores were stored.

    Where the unit matters (a cap on the top level per unit under Hà Nội 3814, or a head's d)
    the person is classified among the stored totals of their unit, as the whole computation
    would; otherwise alone. Either way only a few rows are read: a save stays fast in a city.
    """
    if period.state == PeriodState.LOCKED:
        return 0
    deeper = deeper_periods(period)
    posts = primary_posts(period, [person_id], deeper)
    if person_id not in posts:
        return 0
    post = posts[person_id]
    scale = scale_of(period.ruleset)
    at = today()
    heads = Post.objects.active(month_end(period)).filter(
        Q(is_head=True) | Q(is_deputy=True), unit_id=post.unit_id
    )
    leader_posts = {
        pid: p
        for pid, p in primary_posts(
            period, heads.values_list("person_id", flat=True), deeper
        ).items()
        if p.unit_id == post.unit_id
    }
    assessments = assessments_of(period, sorted({person_id} | set(leader_posts)))
    organised = {
        pid
        for pid in leader_posts
        if (superior := assessments.get((pid, AssessmentSource.LEADER))) is not None
        and superior.organising is not None
    }
    targets = {person_id} | (organised if person_id not in leader_posts else set())
    target_posts = {pid: leader_posts.get(pid, post) for pid in targets}
    record = work_record(sorted(targets), period, at)
    rows: Rows = {
        pid: (target_posts[pid], compute_one(scale, record.items.get(pid, []), assessments, pid))
        for pid in targets
    }
    with_d = organised & targets
    totals = _totals(rows)
    capped = is_capped(period)
    if capped or with_d:
        stored = MonthlyScore.objects.filter(period=period, unit_id=post.unit_id)
        totals = {
            pid: (post.unit.code, total) for pid, total in stored.values_list("person_id", "total")
        } | totals
    decisions = classify(period, totals, capped)
    for pid in with_d:
        levels = [
            LEVEL_BY_NAME[decisions[other]["level"]]
            for other in totals
            if other not in leader_posts
        ]
        if levels:
            rows[pid] = (target_posts[pid], _leader_row(scale, record, assessments, pid, levels))
            totals[pid] = (post.unit.code, rows[pid][1].total)
    if with_d:
        decisions = classify(period, totals, capped)
    missing = {pid: missing_of(record, assessments, pid) for pid in rows}
    chosen = {pid: decisions[pid] for pid in rows}
    return scores_store(actor, period, scale, rows, chosen, missing, at=at, partial=True)


FIELDS = [
    "unit",
    "general",
    "bonus",
    "deductions",
    "quantity",
    "quality",
    "timeliness",
    "results",
    "total",
    "proposed_level",
    "level",
    "flags",
    "trace",
    "explanation",
]


def scores_store(
    actor: Any,
    period: Period,
    scale: Scale,
    rows: Rows,
    decisions: dict[int, dict[str, Any]],
    missing: dict[int, list[str]],
    *,
    at: datetime.date,
    partial: bool = False,
) -> int:
    """Upsert the scores in bulk and audit each created or changed one. While the month runs,
    no level is stored: the scores are provisional, with what is still missing."""
    running = month_is_running(period, at)
    existing_q = MonthlyScore.objects.filter(period=period)
    if partial:
        existing_q = existing_q.filter(person_id__in=list(rows))
    existing = {s.person_id: s for s in existing_q}
    create: list[MonthlyScore] = []
    update: list[MonthlyScore] = []
    events: list[tuple[MonthlyScore, dict[str, Any] | None, dict[str, Any]]] = []
    for pid, (post, comp) in rows.items():
        decision = decisions[pid]
        score = existing.get(pid) or MonthlyScore(period=period, person_id=pid)
        before = score_json(score) if score.pk else None
        old_detail = (score.explanation, score.trace, score.flags)
        score.unit = post.unit
        score.general, score.bonus, score.deductions = comp.general, comp.bonus, comp.deductions
        score.quantity = comp.results.quantity.quantize(Decimal("0.0001"))
        score.quality = comp.results.quality.quantize(Decimal("0.0001"))
        score.timeliness = comp.results.timeliness.quantize(Decimal("0.0001"))
        score.results, score.total = comp.result_points, comp.total
        score.proposed_level = "" if running else decision["level"]
        if score.decided_by_id is None or running:
            score.level = score.proposed_level
        score.flags, score.trace = decision["flags"], decision["trace"]
        score.explanation = comp.explanation(scale) | {
            "provisional": running,
            "missing": missing.get(pid, []),
        }
        after = score_json(score)
        if before == after and old_detail == (score.explanation, score.trace, score.flags):
            continue
        (update if score.pk else create).append(score)
        events.append((score, before, after))
    MonthlyScore.objects.bulk_create(create, batch_size=2000)
    if partial:
        # One person (and a head): plain updates are cheaper than a bulk CASE statement.
        for score in update:
            score.save(update_fields=FIELDS)
    else:
        MonthlyScore.objects.bulk_update(update, FIELDS, batch_size=2000)
    label = str(period)
    # First scores of a whole period are recorded as one batch event (who, when, which period,
    # how many, under which rule-set): they follow from the work record, which is itself
    # audited. Every later change of a score, and every score of one person, is recorded one
    # by one with its before and after.
    if create and not partial:
        audit_record(
            actor=actor,
            action="monthly_score.compute_batch",
            obj=period,
            after={"created": len(create), "ruleset": period.ruleset},
        )
    audit_record_many(
        audit_event_build(
            actor=actor,
            action="monthly_score.refresh" if partial else "monthly_score.compute",
            obj=s,
            before=b,
            after=a,
            object_repr=f"{rows[s.person_id][0].person.full_name} — {label}",
        )
        for s, b, a in events
        if b is not None or partial
    )
    return len(rows)


def score_json(s: MonthlyScore) -> dict[str, Any]:
    """The audited part of a score. Fixed two decimals: a value read back from the database
    compares equal to a fresh one."""
    return {
        "total": f"{s.total:.2f}",
        "results": f"{s.results:.2f}",
        "general": f"{s.general:.2f}",
        "proposed_level": s.proposed_level,
        "level": s.level,
    }


def score_is_provisional(score: MonthlyScore) -> bool:
    """A score computed while its month ran, not yet given a level."""
    return bool(score.explanation.get("provisional")) or not score.level


def on_month_changed(
    sender: Any, *, actor: Any, person_id: int, year: int, month: int, **kwargs: Any
) -> None:
    """thuocdo.work.signals.month_changed: the person's score follows their work at once."""
    period = period_of_person(person_id, year, month)
    if period is not None:
        person_score_refresh(actor=actor, period=period, person_id=person_id)
