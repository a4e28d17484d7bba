"""Writes of periods and monthly scores; every one atomic and audited."""

from __future__ import annotations

import calendar
import datetime
import math
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thuocdo.audit.services import audit_event_build, audit_record, audit_record_many
from thuocdo.org.models import Post, Unit
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.reviews.annual.services.opening import evaluations_create
from thuocdo.reviews.annual.tracks import period_rulesets_check, ruleset_get
from thuocdo.reviews.models import (
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodKind,
    PeriodState,
)
from thuocdo.reviews.monthly.scoring import MonthComputation, Scale, month_compute, scale_of
from thuocdo.rules import TaskItem, classify_json, load_ruleset, unit_results_component
from thuocdo.rules.fmt import vn_threshold
from thuocdo.rules.levels import LEVEL_BY_NAME
from thuocdo.work.models import Exemption, ExemptionState, MonthLock, Task
from thuocdo.work.selectors import score_item

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")
MONTHLY_CAP_RULE = "monthly-cap"


def period_months(period: Period) -> list[int]:
    """The months of a scored period: a month, or the three months of a quarter (NĐ 335
    lets an agency score by quarter instead of by month)."""
    assert period.number is not None
    if period.kind == PeriodKind.QUARTER:
        return [3 * period.number - 2, 3 * period.number - 1, 3 * period.number]
    return [period.number]


def month_end(period: Period) -> datetime.date:
    """Last day of a monthly period (of the last month of a quarter)."""
    last = period_months(period)[-1]
    return datetime.date(period.year, last, calendar.monthrange(period.year, last)[1])


def period_guard(period: Period) -> None:
    """Refuse changes to a locked month (the period, or a lock on the unit or an ancestor)."""
    if period.state == PeriodState.LOCKED:
        raise ValidationError(f"{period} đã khóa: phải mở lại (có lý do) trước khi sửa.")
    ancestors = [int(seg) for seg in period.unit.path.strip("/").split("/") if seg]
    locked = MonthLock.objects.filter(
        unit_id__in=ancestors, year=period.year, month=period.number or 0
    ).exists()
    if period.kind == PeriodKind.MONTH and locked:
        raise ValidationError(f"Tháng {period.number:02d}/{period.year} đã khóa sổ.")


def _can_manage(actor: Any, unit: Unit) -> bool:
    """Heads and organisers over the unit, or administrators, run and decide its scores."""
    scope = scope_for(actor)
    if scope.everything or Unit.objects.filter(units_write_q(scope), pk=unit.pk).exists():
        return True
    return any(unit.path.startswith(p) for p in scope.subtree_paths)


@transaction.atomic
def period_open(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    year: int,
    number: int | None,
    ruleset: str,
    rulesets: dict[str, str] | None = None,
    options: dict[str, Any] | None = None,
    self_due: datetime.date | None = None,
    review_due: datetime.date | None = None,
) -> Period:
    """Open an evaluation period over a unit subtree under a rule-set (and, for a year, other
    rule-sets for some subject groups); a year period also creates every evaluation of the
    subtree, in bulk."""
    if not _can_manage(actor, unit):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc người đứng đầu được mở kỳ đánh giá.")
    rulesets = {g: r for g, r in (rulesets or {}).items() if r}
    if kind == PeriodKind.YEAR:
        # Every rule-set is checked before anything is written.
        period_rulesets_check(ruleset, rulesets)
        rulesets = {g: r for g, r in rulesets.items() if r != ruleset}
    else:
        # An unknown rule-set, or one that does not score this kind of period, is refused
        # before anything is written.
        rules = ruleset_get(ruleset)
        if kind not in rules.period_kinds:
            raise ValidationError(
                f"Bộ quy tắc {ruleset} không áp dụng cho kỳ {PeriodKind(kind).label.lower()} "
                f"(chỉ: {', '.join(rules.period_kinds)})."
            )
        if rulesets:
            raise ValidationError("Bộ quy tắc theo nhóm đối tượng chỉ dùng cho kỳ năm.")
    period = Period(
        unit=unit,
        kind=kind,
        year=year,
        number=number,
        ruleset=ruleset,
        rulesets=rulesets,
        options=options or {},
        self_due=self_due,
        review_due=review_due,
    )
    period.full_clean()
    period.save()
    audit_record(
        actor=actor,
        action="period.open",
        obj=period,
        after={
            "unit": unit.code,
            "kind": kind,
            "year": year,
            "number": number,
            "ruleset": ruleset,
            "rulesets": rulesets,
            "options": options or {},
        },
    )
    if kind == PeriodKind.YEAR:
        evaluations_create(actor=actor, period=period)
        period.state = PeriodState.SELF_ASSESSMENT
        period.save(update_fields=["state"])
    return period


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    period: Period,
    person_id: int,
    source: str,
    general: Decimal,
    bonus: Decimal = Decimal(0),
    deductions: Decimal = Decimal(0),
    note: str = "",
    organising: Decimal | None = None,
) -> MonthlyAssessment:
    """Record the self-assessment or the leader's scoring of the general criteria."""
    period_guard(period)
    scale = scale_of(period.ruleset)
    if general > scale.general:
        raise ValidationError(
            f"Điểm tiêu chí chung tối đa là {vn_threshold(scale.general)} ({scale.source})."
        )
    if source == AssessmentSource.SELF and bonus:
        raise ValidationError("Điểm thưởng do lãnh đạo chấm, không tự chấm.")
    existing = MonthlyAssessment.objects.filter(
        period=period, person_id=person_id, source=source
    ).first()
    before = _assessment_json(existing) if existing else None
    record = existing or MonthlyAssessment(period=period, person_id=person_id, source=source)
    record.general, record.bonus, record.deductions, record.note = general, bonus, deductions, note
    record.organising = organising if source == AssessmentSource.LEADER else None
    record.by = actor
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=f"assessment.{source}",
        obj=record,
        before=before,
        after=_assessment_json(record),
    )
    return record


def _assessment_json(a: MonthlyAssessment) -> dict[str, Any]:
    return {
        "general": str(a.general),
        "bonus": str(a.bonus),
        "deductions": str(a.deductions),
        "organising": None if a.organising is None else str(a.organising),
        "note": a.note,
    }


def _primary_posts(period: Period, at: datetime.date) -> dict[int, Post]:
    """Each person's post in the subtree that the month is scored in: a head post first."""
    posts = (
        Post.objects.active(at)
        .filter(unit__path__startswith=period.unit.path)
        .select_related("unit", "person")
        .order_by("person_id", "-is_head", "-is_deputy", "start_date", "id")
    )
    primary: dict[int, Post] = {}
    for post in posts:
        primary.setdefault(post.person_id, post)
    return primary


def _items_by_person(
    person_ids: list[int], period: Period, at: datetime.date
) -> dict[int, list[tuple[int, str, TaskItem]]]:
    """The month's tasks of many people in a few queries, as scoring items."""
    items: dict[int, list[tuple[int, str, TaskItem]]] = defaultdict(list)
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
        # Plain rows, not model instances: a city has hundreds of thousands of tasks a month.
        exempt: dict[int, set[str]] = defaultdict(set)
        confirmed = Exemption.objects.filter(task__in=tasks, state=ExemptionState.CONFIRMED)
        for task_id, kind in confirmed.values_list("task_id", "kind"):
            exempt[task_id].add(kind)
        for row in tasks.order_by("due_date", "id").values_list(*fields):
            (
                pk,
                title,
                person_id,
                quantity,
                factor,
                state,
                passed,
                delays,
                failed,
                done_on,
                due,
            ) = row
            item = score_item(
                weight=quantity * (factor if factor is not None else Decimal(1)),
                state=state,
                quality_passed=passed,
                delays=delays,
                failed_reviews=failed,
                completed_on=done_on,
                due_date=due,
                exempt=exempt.get(pk, set()),
                as_at=at,
            )
            items[person_id].append((pk, title, item))
    return items


def _general_of(
    assessments: dict[tuple[int, str], MonthlyAssessment], person_id: int
) -> tuple[Decimal | None, str, Decimal, Decimal]:
    """General points (the leader's if given, else the self-assessment), bonus, deductions."""
    leader = assessments.get((person_id, AssessmentSource.LEADER))
    own = assessments.get((person_id, AssessmentSource.SELF))
    if leader is not None:
        return leader.general, "lãnh đạo trực tiếp chấm", leader.bonus, leader.deductions
    if own is not None:
        return own.general, "tự chấm (lãnh đạo chưa chấm)", Decimal(0), own.deductions
    return None, "chưa chấm", Decimal(0), Decimal(0)


def _classify(
    period: Period, rows: dict[int, tuple[Post, MonthComputation]]
) -> dict[int, dict[str, Any]]:
    """Levels from the engine: bands, and the unit's monthly cap where the rule-set has one."""
    ruleset = load_ruleset(period.ruleset)
    capped = any(rule.id == MONTHLY_CAP_RULE for rule in ruleset.rules)
    subjects = []
    for person_id, (post, comp) in rows.items():
        subject: dict[str, Any] = {
            "id": str(person_id),
            "kind": "individual",
            "score": float(comp.total),
        }
        if capped:
            # Hà Nội 3814: the share of A is counted within each unit.
            subject["quota_group"] = post.unit.code
        subjects.append(subject)
    if not subjects:
        return {}
    result = classify_json(
        {
            "ruleset": period.ruleset,
            "period": {"kind": period.kind, "year": period.year, period.kind: period.number},
            "options": period.options,
            "subjects": subjects,
        }
    )
    return {int(d["id"]): d for d in result["decisions"]}


@transaction.atomic
def month_scores_compute(*, actor: Any, period: Period) -> int:
    """Compute and classify the month of everyone in the period's subtree; returns the count.

    Leaders are scored after their people, because their unit-results component (d) is
    whether anyone they lead is KHT (DESIGN.md §4.2).
    """
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        raise ValidationError("Chỉ tính điểm cho kỳ tháng hoặc kỳ quý.")
    if not _can_manage(actor, period.unit):
        raise PermissionDenied("Chỉ người đứng đầu hoặc Ban Tổ chức được tính điểm tháng.")
    period_guard(period)
    at = month_end(period)
    scale = scale_of(period.ruleset)
    posts = _primary_posts(period, at)
    person_ids = sorted(posts)
    items = _items_by_person(person_ids, period, at)
    assessments = {
        (a.person_id, a.source): a for a in MonthlyAssessment.objects.filter(period=period)
    }
    rows: dict[int, tuple[Post, MonthComputation]] = {}
    leaders = [pid for pid in person_ids if posts[pid].is_head or posts[pid].is_deputy]
    for pid in person_ids:
        rows[pid] = (posts[pid], _compute(scale, items.get(pid, []), assessments, pid))
    decisions = _classify(period, rows)
    for pid in leaders:
        superior = assessments.get((pid, AssessmentSource.LEADER))
        if superior is None or superior.organising is None:
            continue  # without đ the non-leader formula applies, and the explanation says so
        unit_id = posts[pid].unit_id
        levels = [
            LEVEL_BY_NAME[decisions[other]["level"]]
            for other in person_ids
            if other not in leaders and posts[other].unit_id == unit_id
        ]
        if levels:
            d = unit_results_component(levels)
            organising = superior.organising / 100
            rows[pid] = (
                posts[pid],
                _compute(
                    scale,
                    items.get(pid, []),
                    assessments,
                    pid,
                    unit_results=d,
                    organising=organising,
                ),
            )
    if leaders:
        decisions = _classify(period, rows)
    return _scores_store(actor, period, scale, rows, decisions)


def _compute(
    scale: Scale,
    items: list[tuple[int, str, TaskItem]],
    assessments: dict[tuple[int, str], MonthlyAssessment],
    pid: int,
    unit_results: Decimal | None = None,
    organising: Decimal | None = None,
) -> MonthComputation:
    general, source, bonus, deductions = _general_of(assessments, pid)
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


def _scores_store(
    actor: Any,
    period: Period,
    scale: Scale,
    rows: dict[int, tuple[Post, MonthComputation]],
    decisions: dict[int, dict[str, Any]],
) -> int:
    """Upsert the scores in bulk and audit each created or changed one."""
    existing = {s.person_id: s for s in MonthlyScore.objects.filter(period=period)}
    create: list[MonthlyScore] = []
    update: list[MonthlyScore] = []
    events: list[tuple[MonthlyScore, dict[str, Any] | None, dict[str, Any]]] = []
    for pid, (post, comp) in rows.items():
        decision = decisions[pid]
        score = existing.get(pid) or MonthlyScore(period=period, person_id=pid)
        before = _score_json(score) if score.pk else None
        old_detail = (score.explanation, score.trace, score.flags)
        score.unit = post.unit
        score.general, score.bonus, score.deductions = comp.general, comp.bonus, comp.deductions
        score.quantity = comp.results.quantity.quantize(Decimal("0.0001"))
        score.quality = comp.results.quality.quantize(Decimal("0.0001"))
        score.timeliness = comp.results.timeliness.quantize(Decimal("0.0001"))
        score.results, score.total = comp.result_points, comp.total
        score.proposed_level = decision["level"]
        if score.decided_by_id is None:
            score.level = decision["level"]
        score.flags, score.trace = decision["flags"], decision["trace"]
        score.explanation = comp.explanation(scale)
        after = _score_json(score)
        if before == after and old_detail == (score.explanation, score.trace, score.flags):
            continue
        (update if score.pk else create).append(score)
        events.append((score, before, after))
    MonthlyScore.objects.bulk_create(create, batch_size=2000)
    fields = [
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
    MonthlyScore.objects.bulk_update(update, fields, batch_size=2000)
    label = str(period)
    # First scores of a period are recorded as one batch event (who, when, which period, how
    # many, under which rule-set): they follow from the work record, which is itself audited.
    # Every later change of a score is recorded one by one with its before and after.
    if create:
        audit_record(
            actor=actor,
            action="monthly_score.compute_batch",
            obj=period,
            after={"created": len(create), "ruleset": period.ruleset},
        )
    audit_record_many(
        audit_event_build(
            actor=actor,
            action="monthly_score.compute",
            obj=s,
            before=b,
            after=a,
            object_repr=f"{rows[s.person_id][0].person.full_name} — {label}",
        )
        for s, b, a in events
        if b is not None
    )
    return len(rows)


def _score_json(s: MonthlyScore) -> dict[str, Any]:
    # Fixed two decimals: a value read back from the database compares equal to a fresh one.
    return {
        "total": f"{s.total:.2f}",
        "results": f"{s.results:.2f}",
        "general": f"{s.general:.2f}",
        "proposed_level": s.proposed_level,
        "level": s.level,
    }


@transaction.atomic
def month_score_decide(*, actor: Any, score: MonthlyScore, level: str, reason: str) -> None:
    """The head confirms or changes a monthly level; a change needs a reason and may not
    break the score band or the unit's monthly cap."""
    period = score.period
    period_guard(period)
    if not _can_manage(actor, score.unit):
        raise PermissionDenied("Chỉ người đứng đầu đơn vị quyết định mức xếp loại tháng.")
    if level not in LEVELS:
        raise ValidationError(f"Mức «{level}» không hợp lệ.")
    if level != score.proposed_level and not reason.strip():
        raise ValidationError("Thay đổi mức đề xuất phải ghi rõ lý do.")
    if LEVELS.index(level) < LEVELS.index(score.proposed_level):
        _check_raise(period, score, level)
    before = _score_json(score)
    score.level, score.decided_by, score.decision_reason = level, actor, reason.strip()
    score.save(update_fields=["level", "decided_by", "decision_reason"])
    audit_record(
        actor=actor,
        action="monthly_score.decide",
        obj=score,
        before=before,
        after=_score_json(score),
        note=reason,
    )


def _check_raise(period: Period, score: MonthlyScore, level: str) -> None:
    """Refuse a level above what the score band or the unit's cap allows, naming the rule."""
    ruleset = load_ruleset(period.ruleset)
    bands = {k: Decimal(str(v)) for k, v in ruleset.option_defaults().get("bands", {}).items()}
    bands.update({k: Decimal(str(v)) for k, v in period.options.get("bands", {}).items()})
    if level in bands and score.total < bands[level]:
        raise ValidationError(
            f"Không thể xếp {level}: tổng điểm {score.total} dưới ngưỡng {bands[level]} "
            f"(quy tắc score-band, {ruleset.rule('score-band').source})."
        )
    if level == "HTXS" and any(rule.id == MONTHLY_CAP_RULE for rule in ruleset.rules):
        options = {**ruleset.option_defaults(), **period.options}
        outstanding = score.unit.code in options.get("outstanding_groups", [])
        rate = Decimal(str(options["outstanding_cap_rate" if outstanding else "monthly_cap_rate"]))
        peers = MonthlyScore.objects.filter(period=period, unit=score.unit)
        limit = math.floor(rate * peers.exclude(level="KXL").count())
        taken = peers.filter(level="HTXS").exclude(pk=score.pk).count()
        if taken + 1 > limit:
            raise ValidationError(
                f"Không thể xếp loại A: đơn vị đã có {taken}/{limit} người loại A, vượt tỷ lệ "
                f"{rate * 100:.0f}% (quy tắc {MONTHLY_CAP_RULE}, "
                f"{ruleset.rule(MONTHLY_CAP_RULE).source})."
            )
