"""The self-review (Mẫu 2A, 2B, 2C, 01) and the direct leader's assessment: the score sheet of
the evaluation's rule-set checked, each sheet audited, and the annual score refreshed (the
mean of the months where they exist)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.reviews.annual.levels import FORM_CRITERIA, LEVELS
from thuocdo.reviews.annual.permissions import (
    can_enter_on_behalf,
    can_review,
    can_write_self,
    evaluation_guard,
    is_own,
)
from thuocdo.reviews.annual.services.common import evaluation_hold, period_reach
from thuocdo.reviews.annual.tracks import RATINGS, criteria_labels, ruleset_get
from thuocdo.reviews.models import (
    EVALUATION_STEPS,
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    MonthlyScore,
    PeriodKind,
    PeriodState,
    SubjectKind,
)
from thuocdo.reviews.monthly.scoring import scale_of
from thuocdo.rules import annual_mean


def _step(state: str) -> int:
    return EVALUATION_STEPS.index(state)


def _check_sheet(
    evaluation: Evaluation,
    general: Decimal | None,
    results: Decimal | None,
    criteria: Mapping[str, str] | None,
    level: str,
) -> None:
    """The score sheet of the evaluation's rule-set: points within the parts (30 + 70), or,
    under a rule-set without points, a rating of every criterion group."""
    problems = []
    labels = criteria_labels(ruleset_get(evaluation.ruleset))
    if labels is None:
        scale = scale_of(evaluation.ruleset)
        if general is None or not Decimal(0) <= general <= scale.general:
            problems.append(
                f"Điểm tiêu chí chung phải từ 0 đến {scale.general:f} ({scale.source})."
            )
        if results is None or not Decimal(0) <= results <= scale.results:
            problems.append(
                f"Điểm kết quả thực hiện nhiệm vụ phải từ 0 đến {scale.results:f} ({scale.source})."
            )
        if criteria:
            problems.append(
                f"Bộ quy tắc {evaluation.ruleset} chấm điểm, không đánh giá theo nhóm tiêu chí."
            )
    else:
        given = dict(criteria or {})
        for key, label in labels.items():
            if given.get(key) not in RATINGS:
                problems.append(
                    f"Nhóm tiêu chí «{label}»: chọn một mức ({', '.join(RATINGS.values())})."
                )
        unknown = sorted(set(given) - set(labels))
        if unknown:
            problems.append(f"Nhóm tiêu chí không có trong bộ quy tắc: {', '.join(unknown)}.")
        if general is not None or results is not None:
            problems.append(
                f"Bộ quy tắc {evaluation.ruleset} đánh giá theo nhóm tiêu chí, không chấm điểm."
            )
    if level not in LEVELS:
        problems.append(f"Mức đề xuất «{level}» không hợp lệ (HTXS, HTT, HTNV, KHT).")
    if problems:
        raise ValidationError(problems)


def _assessment_json(a: AnnualAssessment) -> dict[str, Any]:
    return {
        "general": None if a.general is None else str(a.general),
        "results": None if a.results is None else str(a.results),
        "criteria": a.criteria,
        "proposed_level": a.proposed_level,
        "strengths": a.strengths,
        "shortcomings": a.shortcomings,
        "causes": a.causes,
        "remedies": a.remedies,
        "responsibility": a.responsibility,
        "direction": a.direction,
        "note": a.note,
        "on_behalf_by": a.on_behalf_by_id,
        "confirmed_at": a.confirmed_at.isoformat() if a.confirmed_at else None,
    }


def _save_assessment(
    actor: Any,
    evaluation: Evaluation,
    source: str,
    fields: dict[str, Any],
    *,
    existing: AnnualAssessment | None,
    on_behalf: bool = False,
) -> AnnualAssessment:
    before = _assessment_json(existing) if existing else None
    record = existing or AnnualAssessment(evaluation=evaluation, source=source)
    for name, value in fields.items():
        setattr(record, name, value)
    record.by = actor
    if source == AssessmentSource.SELF:
        # Entered on the person's behalf it waits for their confirmation; written by the person
        # (or rewritten by them over an entry on their behalf) it is their own.
        record.on_behalf_by = actor if on_behalf else None
        record.confirmed_at = None
    record.full_clean()
    record.save()
    person = evaluation.person
    audit_record(
        actor=actor,
        action=f"annual_assessment.{source}" + (".on_behalf" if on_behalf else ""),
        obj=record,
        before=before,
        after=_assessment_json(record),
        note=f"Nhập hộ cho {person.full_name}" if on_behalf and person is not None else "",
    )
    return record


def self_review_mode(actor: Any, evaluation: Evaluation) -> str | None:
    """How the actor may write this self-review: "own" (the person, or for a collective its
    head or the organiser), "on_behalf" (nhập hộ by the organiser or the direct leader), or
    None."""
    if can_write_self(actor, evaluation):
        return "own"
    if can_enter_on_behalf(actor, evaluation):
        return "on_behalf"
    return None


def self_review_open(evaluation: Evaluation) -> bool:
    """A self-review can still be written: the period is not locked and the evaluation not yet
    verified."""
    return evaluation.period.state != PeriodState.LOCKED and _step(evaluation.state) <= _step(
        EvaluationState.REVIEWED
    )


def review_open(evaluation: Evaluation) -> bool:
    """The leader's assessment can be written: self-reviewed, not yet verified, not locked."""
    return evaluation.period.state != PeriodState.LOCKED and evaluation.state in (
        EvaluationState.SELF_ASSESSED,
        EvaluationState.REVIEWED,
    )


def _monthly_mean(evaluation: Evaluation) -> Decimal | None:
    """NĐ 335, Điều 19/21: a person's annual score is the mean of the monthly scores of the
    months worked, or of the quarterly scores where the agency scores by quarter."""
    if evaluation.person_id is None:
        return None
    totals: dict[str, list[Decimal]] = defaultdict(list)
    for kind, total in MonthlyScore.objects.filter(
        person_id=evaluation.person_id,
        period__kind__in=[PeriodKind.MONTH, PeriodKind.QUARTER],
        period__year=evaluation.period.year,
    ).values_list("period__kind", "total"):
        totals[kind].append(total)
    chosen = totals.get(PeriodKind.MONTH) or totals.get(PeriodKind.QUARTER)
    return annual_mean(chosen) if chosen else None


def _refresh_score(evaluation: Evaluation) -> None:
    """The annual score: the monthly mean when months exist, else the leader's, else own;
    under a rule-set without points, the criterion ratings: the leader's, else own."""
    if criteria_labels(ruleset_get(evaluation.ruleset)) is not None:
        sheets = {a.source: a for a in evaluation.assessments.all()}
        sheet = sheets.get(AssessmentSource.LEADER) or sheets.get(AssessmentSource.SELF)
        evaluation.criteria = sheet.criteria if sheet else {}
        evaluation.score, evaluation.score_source = None, ""
        return
    mean = _monthly_mean(evaluation)
    if mean is not None:
        evaluation.score = mean
        evaluation.score_source = "trung bình điểm các tháng (quý) trong năm (NĐ 335, Điều 19)"
    elif evaluation.leader_score is not None:
        evaluation.score, evaluation.score_source = evaluation.leader_score, "lãnh đạo chấm"
    else:
        evaluation.score, evaluation.score_source = evaluation.self_score, "tự chấm"


@transaction.atomic
def evaluation_self_assess(
    *,
    actor: Any,
    evaluation: Evaluation,
    proposed_level: str,
    general: Decimal | None = None,
    results: Decimal | None = None,
    criteria: dict[str, str] | None = None,
    strengths: dict[str, str] | None = None,
    shortcomings: str = "",
    causes: str = "",
    remedies: str = "",
    responsibility: str = "",
    direction: str = "",
) -> AnnualAssessment:
    """Write the self-review (Mẫu 2A, 2B, 2C, or 01 for a collective by its head) with its
    score sheet (or criterion ratings under a rule-set without points).

    The person writes their own; the organiser over their unit or their direct leader may
    enter it on their behalf (nhập hộ: a person without an account, or a review written on
    paper), marked as such and waiting for the person's confirmation. An entry on someone's
    behalf never overwrites what the person wrote or confirmed themself."""
    mode = self_review_mode(actor, evaluation)
    if mode is None:
        if evaluation.kind == SubjectKind.COLLECTIVE:
            raise PermissionDenied("Chỉ người đứng đầu hoặc Ban Tổ chức lập báo cáo của tập thể.")
        raise PermissionDenied(
            "Chỉ chính người được đánh giá tự kiểm điểm; Ban Tổ chức hoặc lãnh đạo trực tiếp "
            "được nhập hộ."
        )
    evaluation_hold(evaluation)
    period = evaluation.period
    evaluation_guard(period)
    if _step(evaluation.state) > _step(EvaluationState.REVIEWED):
        raise ValidationError("Đã thẩm định: không sửa bản tự kiểm điểm được nữa.")
    existing = AnnualAssessment.objects.filter(
        evaluation=evaluation, source=AssessmentSource.SELF
    ).first()
    on_behalf = mode == "on_behalf"
    if (
        on_behalf
        and existing is not None
        and (existing.on_behalf_by_id is None or existing.confirmed_at is not None)
    ):
        raise ValidationError(
            f"{evaluation.subject_name} đã tự kiểm điểm (hoặc đã xác nhận bản nhập hộ): "
            "không nhập hộ đè lên được."
        )
    _check_sheet(evaluation, general, results, criteria, proposed_level)
    allowed = FORM_CRITERIA[evaluation.form_code]
    unknown = sorted(set(strengths or {}) - set(allowed))
    if unknown:
        raise ValidationError(f"Nhóm tiêu chí không có trong Mẫu {evaluation.form_code}: {unknown}")
    record = _save_assessment(
        actor,
        evaluation,
        AssessmentSource.SELF,
        {
            "general": general,
            "results": results,
            "criteria": dict(criteria or {}),
            "proposed_level": proposed_level,
            "strengths": {k: v for k, v in (strengths or {}).items() if v},
            "shortcomings": shortcomings,
            "causes": causes,
            "remedies": remedies,
            "responsibility": responsibility if evaluation.form_code == "2B" else "",
            "direction": direction,
        },
        existing=existing,
        on_behalf=on_behalf,
    )
    evaluation.self_score, evaluation.self_level = record.total, proposed_level
    if evaluation.state == EvaluationState.PENDING:
        evaluation.state = EvaluationState.SELF_ASSESSED
    _refresh_score(evaluation)
    evaluation.save(
        update_fields=["self_score", "self_level", "state", "score", "score_source", "criteria"]
    )
    period_reach(period, PeriodState.SELF_ASSESSMENT)
    return record


@transaction.atomic
def evaluation_self_confirm(*, actor: Any, evaluation: Evaluation) -> AnnualAssessment:
    """The person confirms the self-review entered on their behalf: it becomes theirs as it
    stands (to change it, they write it again)."""
    if not is_own(actor, evaluation):
        raise PermissionDenied("Chỉ chính người được đánh giá xác nhận bản tự kiểm điểm của mình.")
    evaluation_hold(evaluation)
    evaluation_guard(evaluation.period)
    record = (
        AnnualAssessment.objects.select_for_update()
        .filter(evaluation=evaluation, source=AssessmentSource.SELF)
        .first()
    )
    if record is None:
        raise ValidationError("Chưa có bản tự kiểm điểm nào để xác nhận.")
    if record.on_behalf_by_id is None:
        raise ValidationError("Bản tự kiểm điểm này do chính anh/chị viết, không cần xác nhận.")
    if record.confirmed_at is not None:
        raise ValidationError("Anh/chị đã xác nhận bản tự kiểm điểm này.")
    before = _assessment_json(record)
    record.confirmed_at = timezone.now()
    record.save(update_fields=["confirmed_at"])
    audit_record(
        actor=actor,
        action="annual_assessment.self.confirm",
        obj=record,
        before=before,
        after=_assessment_json(record),
    )
    return record


@transaction.atomic
def evaluation_review(
    *,
    actor: Any,
    evaluation: Evaluation,
    proposed_level: str,
    general: Decimal | None = None,
    results: Decimal | None = None,
    criteria: dict[str, str] | None = None,
    note: str = "",
) -> AnnualAssessment:
    """The direct leader's (or, for a collective, the level above's) score and proposed level."""
    if not can_review(actor, evaluation):
        raise PermissionDenied("Chỉ lãnh đạo trực tiếp đánh giá người mình phụ trách.")
    evaluation_hold(evaluation)
    period = evaluation.period
    evaluation_guard(period)
    if evaluation.state == EvaluationState.PENDING:
        raise ValidationError("Người được đánh giá chưa tự kiểm điểm.")
    if _step(evaluation.state) > _step(EvaluationState.REVIEWED):
        raise ValidationError("Đã thẩm định: không sửa đánh giá của lãnh đạo được nữa.")
    _check_sheet(evaluation, general, results, criteria, proposed_level)
    record = _save_assessment(
        actor,
        evaluation,
        AssessmentSource.LEADER,
        {
            "general": general,
            "results": results,
            "criteria": dict(criteria or {}),
            "proposed_level": proposed_level,
            "note": note,
        },
        existing=AnnualAssessment.objects.filter(
            evaluation=evaluation, source=AssessmentSource.LEADER
        ).first(),
    )
    evaluation.leader_score, evaluation.leader_level = record.total, proposed_level
    evaluation.state = EvaluationState.REVIEWED
    _refresh_score(evaluation)
    evaluation.save(
        update_fields=[
            "leader_score",
            "leader_level",
            "state",
            "score",
            "score_source",
            "criteria",
        ]
    )
    period_reach(period, PeriodState.REVIEW)
    return record
