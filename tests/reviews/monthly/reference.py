"""The month close as it was before the set-based close (issue 15), kept as the oracle the new
one is compared with: the same people, numbers, levels, flags, trace and explanation.

Copied from thuocdo/reviews/monthly/compute.py at 9872e57 (period_scores_compute and what it
calls); only the storing step is replaced by returning what would have been stored.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from thuocdo.org.models import Post, Unit
from thuocdo.org.scope import today
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, Period
from thuocdo.reviews.monthly.opening import deeper_periods, month_end, period_months
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


def period_scores_compute(
    actor: Any, period: Period, at: datetime.date | None = None
) -> dict[int, Any]:
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
    return {
        pid: (post, comp, decisions[pid], missing[pid], comp.explanation(scale))
        for pid, (post, comp) in rows.items()
    }


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
