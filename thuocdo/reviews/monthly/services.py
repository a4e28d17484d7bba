"""Writes of periods and monthly scores; every one atomic and audited.

The computation itself is in `compute` (everyone of a period, or one person after a change);
who belongs to which month in `opening`.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import scope_for, today, units_write_q
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
from thuocdo.reviews.monthly.access import (
    can_enter_on_behalf,
    can_score,
    posts_in,
    require_in_period,
)
from thuocdo.reviews.monthly.compute import (
    MONTHLY_CAP_RULE,
    period_scores_compute,
    person_score_refresh,
    score_json,
)
from thuocdo.reviews.monthly.opening import month_is_running, overlap_check
from thuocdo.reviews.monthly.scoring import scale_of
from thuocdo.rules import load_ruleset
from thuocdo.rules.fmt import vn_threshold
from thuocdo.work.locking import lock_over, lock_refusal, month_gate
from thuocdo.work.selectors import month_lock_for

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")


def period_guard(period: Period, person_id: int | None = None) -> None:
    """Refuse changes to a locked month: the period itself, a lock on its unit or an ancestor,
    and, for one person's month, a lock over any of the units of their posts in the month.
    The locks are read under the month's gate, so a lock being written is waited for and a
    lock waits for the change (thuocdo.work.locking)."""
    if period.state == PeriodState.LOCKED:
        raise ValidationError(f"{period} đã khóa: phải mở lại (có lý do) trước khi sửa.")
    if period.kind != PeriodKind.MONTH or not period.number:
        return
    month_gate(period.year, period.number)
    lock = lock_over(period.unit, period.year, period.number)
    if lock is None and person_id is not None:
        lock = month_lock_for(person_id, period.year, period.number)
    if lock is not None:
        raise ValidationError(lock_refusal(lock))


def can_manage(actor: Any, unit: Unit) -> bool:
    """Heads and organisers over the unit, or administrators, run and decide its scores."""
    scope = scope_for(actor)
    if scope.everything or Unit.objects.filter(units_write_q(scope), pk=unit.pk).exists():
        return True
    return any(unit.path.startswith(p) for p in scope.subtree_paths)


def is_own_score(actor: Any, score: MonthlyScore) -> bool:
    """Whether the score is the actor's own month (the head's is decided above them)."""
    return scope_for(actor).person_id == score.person_id


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
    subtree, in bulk. A month (quarter) already opened over the unit or an ancestor is the
    month of everyone in it: a second one is refused."""
    if not can_manage(actor, unit):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc người đứng đầu được mở kỳ đánh giá.")
    return period_create(
        actor=actor,
        unit=unit,
        kind=kind,
        year=year,
        number=number,
        ruleset=ruleset,
        rulesets=rulesets,
        options=options,
        self_due=self_due,
        review_due=review_due,
    )


@transaction.atomic
def period_create(
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
    note: str = "",
) -> Period:
    """period_open without the check of who asks: also used by the unit's schedule, which
    opens its months by itself (actor None, the reason in `note`)."""
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
        overlap_check(unit, kind, year, number)
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
        note=note,
    )
    if kind == PeriodKind.YEAR:
        evaluations_create(actor=actor, period=period)
        period.state = PeriodState.SELF_ASSESSMENT
        period.save(update_fields=["state"])
    return period


def _assessment_allowed(
    actor: Any, period: Period, person: Person, source: str, posts: list[Post]
) -> bool:
    """Who writes which assessment; returns whether the self-assessment is entered on the
    person's behalf (nhập hộ)."""
    own = scope_for(actor).person_id == person.pk
    if source == AssessmentSource.SELF:
        if own:
            return False
        if not can_enter_on_behalf(actor, person, period, posts):
            raise PermissionDenied(
                "Chỉ Ban Tổ chức hoặc lãnh đạo trực tiếp được nhập hộ tự đánh giá."
            )
        return True
    if not can_score(actor, person, period, posts):
        raise PermissionDenied("Chỉ lãnh đạo trực tiếp, người đứng đầu hoặc Ban Tổ chức chấm.")
    return False


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
    """Record the self-assessment (by the person, or on their behalf by the organiser or the
    direct leader) or the leader's scoring of the general criteria; the person's monthly score
    follows at once."""
    period_guard(period, person_id)
    person = Person.objects.get(pk=person_id)
    posts = posts_in(person_id, period)
    require_in_period(period, person, posts)
    on_behalf = _assessment_allowed(actor, period, person, source, posts)
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
    # Entered on the person's behalf, it waits for their confirmation; written by the person,
    # it is their own.
    record.on_behalf_by = actor if on_behalf else None
    record.confirmed_at = None
    # The period, the person and the writer were read above: only the values are checked.
    record.full_clean(exclude=["period", "person", "by", "on_behalf_by"], validate_unique=False)
    record.save()
    audit_record(
        actor=actor,
        action=f"assessment.{source}" + (".on_behalf" if on_behalf else ""),
        obj=record,
        object_repr=f"{record.get_source_display()}: {person.full_name} {period}",
        before=before,
        after=_assessment_json(record),
        note=f"Nhập hộ cho {person.full_name}" if on_behalf else "",
    )
    person_score_refresh(actor=actor, period=period, person_id=person_id)
    return record


@transaction.atomic
def assessment_confirm(*, actor: Any, assessment: MonthlyAssessment) -> MonthlyAssessment:
    """The person confirms the self-assessment entered on their behalf."""
    if scope_for(actor).person_id != assessment.person_id:
        raise PermissionDenied("Chỉ chính cán bộ được xác nhận tự đánh giá của mình.")
    period_guard(assessment.period, assessment.person_id)
    if assessment.on_behalf_by_id is None:
        raise ValidationError("Tự đánh giá này do chính bạn nhập, không cần xác nhận.")
    if assessment.confirmed_at is not None:
        raise ValidationError("Bạn đã xác nhận tự đánh giá này.")
    before = _assessment_json(assessment)
    assessment.confirmed_at = timezone.now()
    assessment.save(update_fields=["confirmed_at"])
    audit_record(
        actor=actor,
        action="assessment.self.confirm",
        obj=assessment,
        before=before,
        after=_assessment_json(assessment),
    )
    return assessment


def _assessment_json(a: MonthlyAssessment) -> dict[str, Any]:
    return {
        "general": str(a.general),
        "bonus": str(a.bonus),
        "deductions": str(a.deductions),
        "organising": None if a.organising is None else str(a.organising),
        "note": a.note,
        "on_behalf_by": a.on_behalf_by_id,
        "confirmed_at": a.confirmed_at.isoformat() if a.confirmed_at else None,
    }


@transaction.atomic
def month_scores_compute(*, actor: Any, period: Period, at: datetime.date | None = None) -> int:
    """Compute and classify the month of everyone in the period as it stands on `at` (today);
    returns the count. A month that is not over is computed as provisional, without levels."""
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        raise ValidationError("Chỉ tính điểm cho kỳ tháng hoặc kỳ quý.")
    if not can_manage(actor, period.unit):
        raise PermissionDenied("Chỉ người đứng đầu hoặc Ban Tổ chức được tính điểm tháng.")
    period_guard(period)
    return period_scores_compute(actor, period, at)


@transaction.atomic
def month_scores_finalise(*, period: Period, at: datetime.date) -> int:
    """A month that is over gets its levels (the daily `thuocdo periods open-due`)."""
    period_guard(period)
    return period_scores_compute(None, period, at)


@transaction.atomic
def month_score_decide(*, actor: Any, score: MonthlyScore, level: str, reason: str) -> None:
    """The head confirms or changes a monthly level; a change needs a reason and may not
    break the score band or the unit's monthly cap."""
    period = score.period
    period_guard(period, score.person_id)
    if not can_manage(actor, score.unit):
        raise PermissionDenied("Chỉ người đứng đầu đơn vị quyết định mức xếp loại tháng.")
    if is_own_score(actor, score):
        raise PermissionDenied(
            "Không ai tự quyết định mức xếp loại tháng của chính mình: cấp trên quyết định."
        )
    if month_is_running(period, today()) or not score.proposed_level:
        raise ValidationError(
            "Tháng chưa kết thúc, điểm đang tạm tính: quyết định mức xếp loại sau khi tháng kết "
            "thúc và đã tính điểm tháng."
        )
    if level not in LEVELS:
        raise ValidationError(f"Mức «{level}» không hợp lệ.")
    if level != score.proposed_level and not reason.strip():
        raise ValidationError("Thay đổi mức đề xuất phải ghi rõ lý do.")
    if LEVELS.index(level) < LEVELS.index(score.proposed_level):
        _check_raise(period, score, level)
    before = score_json(score)
    score.level, score.decided_by, score.decision_reason = level, actor, reason.strip()
    score.save(update_fields=["level", "decided_by", "decision_reason"])
    audit_record(
        actor=actor,
        action="monthly_score.decide",
        obj=score,
        before=before,
        after=score_json(score),
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
            f"(quy tắc score-band, {ruleset.rule('score-band').citation})."
        )
    if level == "HTXS" and any(rule.id == MONTHLY_CAP_RULE for rule in ruleset.rules):
        options = {**ruleset.option_defaults(), **period.options}
        if score.unit.code in options.get("outstanding_groups", []):
            # An outstanding unit's 40% is guidance over all its staff, not a refusal (Hà Nội
            # 3814, "không nên vượt quá", DESIGN §4.7.7): the board warns instead.
            return
        rate = Decimal(str(options["monthly_cap_rate"]))
        peers = MonthlyScore.objects.filter(period=period, unit=score.unit)
        limit = math.floor(rate * peers.exclude(level="KXL").count())
        taken = peers.filter(level="HTXS").exclude(pk=score.pk).count()
        if taken + 1 > limit:
            raise ValidationError(
                f"Không thể xếp loại A: đơn vị đã có {taken}/{limit} người loại A, vượt tỷ lệ "
                f"{rate * 100:.0f}% (quy tắc {MONTHLY_CAP_RULE}, "
                f"{ruleset.rule(MONTHLY_CAP_RULE).citation})."
            )
