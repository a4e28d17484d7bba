"""Writes of the opinion sources: collective meetings and their votes, anonymous surveys of
peers and subordinates, requests to related bodies. Every write is atomic and audited; an
anonymous response is audited as "received" only, with no actor and no content."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.opinions.models import (
    LEVELS,
    NO_MAJORITY,
    BodyRequest,
    Meeting,
    MeetingState,
    MeetingVote,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyRole,
    SurveyState,
)
from thuocdo.org.models import Person, Post, RoleAssignment, Unit
from thuocdo.org.scope import scope_for, today
from thuocdo.reviews.annual.levels import FORM_CRITERIA
from thuocdo.reviews.annual.permissions import evaluation_guard
from thuocdo.reviews.models import Evaluation, Period

INVALID_MEETING = "không tính (không đủ số lượng)"
DEFAULT_QUORUM = (2, 3)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LENGTH = 12  # 60 bits: guessing one live code is out of reach
MAX_CODES = 500
MAX_COMMENT = 2000
# One message for every refused code, so that a forged, used or closed code look the same.
CODE_REFUSED = "Mã trả lời không hợp lệ, đã được sử dụng hoặc đợt lấy ý kiến đã kết thúc."
_shuffle = random.SystemRandom().shuffle


# -- who may do what -------------------------------------------------------------------------


def can_organise(actor: Any, unit: Unit) -> bool:
    """Ban Tổ chức over the unit's subtree, or the system administrator."""
    scope = scope_for(actor)
    return scope.everything or any(unit.path.startswith(p) for p in scope.write_paths)


def can_run_meeting(actor: Any, unit: Unit) -> bool:
    """The organiser, or the head of the unit (or of a unit above it)."""
    scope = scope_for(actor)
    return can_organise(actor, unit) or any(unit.path.startswith(p) for p in scope.subtree_paths)


def is_body_member(actor: Any, unit: Unit | None) -> bool:
    """A user who works in (or holds a role over) a related body's unit."""
    if unit is None or not getattr(actor, "is_authenticated", False):
        return False
    if RoleAssignment.objects.filter(user_id=actor.pk, unit=unit).exists():
        return True
    return Post.objects.active(today()).filter(unit=unit, person__user_id=actor.pk).exists()


# -- collective meeting ----------------------------------------------------------------------


def quorum_met(*, present: int, summoned: int, numerator: int, denominator: int) -> bool:
    """At least numerator/denominator of the members summoned are present."""
    return summoned > 0 and present * denominator >= summoned * numerator


def majority(counts: Mapping[str, int], present: int) -> str:
    """The level voted by more than half of those present, else "không đủ đa số"."""
    for level in LEVELS:
        if counts.get(level, 0) * 2 > present:
            return level
    return NO_MAJORITY


def _quorum_of(period: Period, quorum: tuple[int, int] | None) -> tuple[int, int]:
    """The meeting's own rule, else the period's rule-set option "meeting_quorum" ("2/3")."""
    if quorum is not None:
        return quorum
    option = str(period.options.get("meeting_quorum", "")) if period.options else ""
    if "/" in option:
        num, den = option.split("/", 1)
        return int(num), int(den)
    return DEFAULT_QUORUM


def meeting_quorum(period: Period) -> tuple[int, int]:
    """The quorum rule a meeting of the period starts from (the form's default): the period's
    option when it is a fraction up to 1, else 2/3 (the options are free JSON)."""
    try:
        num, den = _quorum_of(period, None)
    except ValueError:
        return DEFAULT_QUORUM
    return (num, den) if 0 < num <= den else DEFAULT_QUORUM


def _meeting_json(meeting: Meeting) -> dict[str, Any]:
    data = snapshot(meeting)
    data["summoned"] = sorted(meeting.summoned.values_list("pk", flat=True))
    data["present"] = sorted(meeting.present.values_list("pk", flat=True))
    return data


@transaction.atomic
def meeting_open(
    *,
    actor: Any,
    period: Period,
    unit: Unit,
    held_on: datetime.date,
    chair: Person,
    secretary: Person,
    summoned: Sequence[Person],
    present: Sequence[Person],
    minutes: str = "",
    quorum: tuple[int, int] | None = None,
) -> Meeting:
    """Record a collective meeting with its attendance; below quorum it is recorded invalid."""
    evaluation_guard(period)
    if not can_run_meeting(actor, unit):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc người đứng đầu ghi nhận họp tập thể.")
    if not unit.path.startswith(period.unit.path):
        raise ValidationError("Đơn vị không thuộc phạm vi của kỳ đánh giá.")
    summoned_ids = {p.pk for p in summoned}
    present_ids = {p.pk for p in present}
    problems = []
    if not summoned_ids:
        problems.append("Phải có ít nhất một thành viên được triệu tập.")
    if not present_ids <= summoned_ids:
        problems.append("Người có mặt phải nằm trong danh sách được triệu tập.")
    if chair.pk not in present_ids or secretary.pk not in present_ids:
        problems.append("Chủ trì và thư ký phải có mặt tại cuộc họp.")
    num, den = _quorum_of(period, quorum)
    if den <= 0 or not 0 < num <= den:
        problems.append("Tỷ lệ tối thiểu phải là một phân số từ 0 đến 1 (ví dụ 2/3).")
    if problems:
        raise ValidationError(problems)
    meeting = Meeting(
        period=period,
        unit=unit,
        held_on=held_on,
        chair=chair,
        secretary=secretary,
        quorum_numerator=num,
        quorum_denominator=den,
        summoned_count=len(summoned_ids),
        present_count=len(present_ids),
        is_valid=quorum_met(
            present=len(present_ids), summoned=len(summoned_ids), numerator=num, denominator=den
        ),
        minutes=minutes,
        opened_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.summoned.set(summoned_ids)
    meeting.present.set(present_ids)
    audit_record(actor=actor, action="meeting.open", obj=meeting, after=_meeting_json(meeting))
    return meeting


@transaction.atomic
def meeting_record_votes(
    *,
    actor: Any,
    meeting: Meeting,
    evaluation: Evaluation,
    proposed_level: str,
    counts: Mapping[str, int],
) -> MeetingVote:
    """Record the level put to the vote for one member and the counts; returns the vote with
    its result (a majority of those present, "không đủ đa số", or not counted below quorum)."""
    evaluation_guard(meeting.period)
    if not can_run_meeting(actor, meeting.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc người đứng đầu ghi kết quả biểu quyết.")
    if meeting.state != MeetingState.OPEN:
        raise ValidationError("Cuộc họp đã kết thúc: không ghi thêm biểu quyết.")
    if evaluation.period_id != meeting.period_id or evaluation.unit_id != meeting.unit_id:
        raise ValidationError("Phiếu đánh giá không thuộc đơn vị và kỳ của cuộc họp.")
    if proposed_level not in LEVELS:
        raise ValidationError(f"Mức «{proposed_level}» không hợp lệ (HTXS, HTT, HTNV, KHT).")
    clean = {level: int(counts.get(level, 0) or 0) for level in LEVELS}
    if any(n < 0 for n in clean.values()):
        raise ValidationError("Số phiếu không được âm.")
    if sum(clean.values()) > meeting.present_count:
        raise ValidationError(
            f"Tổng số phiếu ({sum(clean.values())}) vượt quá số thành viên có mặt "
            f"({meeting.present_count})."
        )
    vote = MeetingVote.objects.filter(meeting=meeting, evaluation=evaluation).first()
    before = snapshot(vote) if vote else None
    vote = vote or MeetingVote(meeting=meeting, evaluation=evaluation)
    vote.proposed_level = proposed_level
    vote.htxs, vote.htt, vote.htnv, vote.kht = (clean[level] for level in LEVELS)
    vote.result = majority(clean, meeting.present_count) if meeting.is_valid else INVALID_MEETING
    vote.full_clean()
    vote.save()
    audit_record(actor=actor, action="meeting.vote", obj=vote, before=before, after=snapshot(vote))
    return vote


@transaction.atomic
def meeting_close(*, actor: Any, meeting: Meeting, minutes: str | None = None) -> Meeting:
    """Close the meeting with its minutes; no vote can be recorded after."""
    evaluation_guard(meeting.period)
    if not can_run_meeting(actor, meeting.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc người đứng đầu kết thúc cuộc họp.")
    if meeting.state == MeetingState.CLOSED:
        raise ValidationError("Cuộc họp đã kết thúc.")
    before = snapshot(meeting)
    if minutes is not None:
        meeting.minutes = minutes
    meeting.state = MeetingState.CLOSED
    meeting.save(update_fields=["minutes", "state"])
    audit_record(
        actor=actor, action="meeting.close", obj=meeting, before=before, after=snapshot(meeting)
    )
    return meeting


# -- anonymous surveys -----------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """Upper case, without spaces or dashes, as typed by hand."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """Keyed hash of a code: a stolen table cannot be matched against guessed codes."""
    key = f"thuocdo.opinions:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass(frozen=True)
class IssuedCodes:
    """Codes in clear, shown once to the organiser to print: only their hashes are stored."""

    survey: Survey
    codes: list[str]


def survey_is_open(survey: Survey, as_at: datetime.date | None = None) -> bool:
    """Open until closed by the organiser or until the day after its deadline."""
    as_at = as_at or today()
    return survey.state == SurveyState.OPEN and (
        survey.closes_on is None or as_at <= survey.closes_on
    )


def _issue(survey: Survey, count: int) -> list[str]:
    if not 1 <= count <= MAX_CODES:
        raise ValidationError(f"Số mã phát ra phải từ 1 đến {MAX_CODES}.")
    codes = [_new_code() for _ in range(count)]
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, code_hash=code_hash(c)) for c in codes]
    )
    return codes


@transaction.atomic
def survey_open(
    *,
    actor: Any,
    evaluation: Evaluation,
    role: str,
    count: int,
    closes_on: datetime.date | None = None,
) -> IssuedCodes:
    """Open an anonymous survey of peers or subordinates and issue one-time codes."""
    evaluation_guard(evaluation.period)
    if not can_organise(actor, evaluation.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức lấy ý kiến ẩn danh.")
    if role not in SurveyRole.values:
        raise ValidationError("Đối tượng lấy ý kiến không hợp lệ.")
    if count < 3:
        raise ValidationError("Cần phát ít nhất 3 mã: dưới 3 ý kiến thì không tổng hợp được.")
    if Survey.objects.filter(evaluation=evaluation, role=role).exists():
        raise ValidationError("Đã mở lấy ý kiến đối tượng này: hãy phát thêm mã nếu cần.")
    if closes_on is not None and closes_on < today():
        raise ValidationError("Hạn trả lời đã qua.")
    survey = Survey(
        evaluation=evaluation, role=role, opened_on=today(), closes_on=closes_on, opened_by=actor
    )
    survey.full_clean()
    survey.save()
    codes = _issue(survey, count)
    audit_record(
        actor=actor,
        action="survey.open",
        obj=survey,
        after={**snapshot(survey), "codes_issued": count},
    )
    return IssuedCodes(survey, codes)


@transaction.atomic
def survey_issue_codes(*, actor: Any, survey: Survey, count: int) -> IssuedCodes:
    """Issue more codes for an open survey (a respondent lost one, or more are invited)."""
    evaluation_guard(survey.evaluation.period)
    if not can_organise(actor, survey.evaluation.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức phát mã trả lời.")
    if not survey_is_open(survey):
        raise ValidationError("Đợt lấy ý kiến đã kết thúc.")
    codes = _issue(survey, count)
    audit_record(actor=actor, action="survey.issue_codes", obj=survey, after={"codes": count})
    return IssuedCodes(survey, codes)


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> Survey:
    """Close the survey: no more answers; its aggregate can now be read (≥ 3 answers)."""
    if not can_organise(actor, survey.evaluation.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức kết thúc lấy ý kiến.")
    if survey.state == SurveyState.CLOSED:
        raise ValidationError("Đợt lấy ý kiến đã kết thúc.")
    survey.state = SurveyState.CLOSED
    survey.save(update_fields=["state"])
    audit_record(actor=actor, action="survey.close", obj=survey, after={"state": survey.state})
    return survey


def invitation_survey(code: str) -> Survey:
    """The open survey a live code belongs to (without using the code); one refusal for all."""
    invitation = (
        SurveyInvitation.objects.filter(code_hash=code_hash(code), used=False)
        .select_related("survey__evaluation__period", "survey__evaluation__person")
        .select_related("survey__evaluation__unit")
        .first()
    )
    if invitation is None or not survey_is_open(invitation.survey):
        raise ValidationError(CODE_REFUSED)
    if invitation.survey.evaluation.period.is_locked:
        raise ValidationError(CODE_REFUSED)
    return invitation.survey


def criteria_of(evaluation: Evaluation) -> dict[str, str]:
    """The criterion groups a respondent rates: those of the evaluation's Party form."""
    return FORM_CRITERIA[evaluation.form_code]


def _clean_answers(evaluation: Evaluation, answers: Mapping[str, Any]) -> dict[str, Any]:
    criteria = criteria_of(evaluation)
    unknown = sorted(set(answers) - set(criteria))
    if unknown:
        raise ValidationError(f"Nhóm tiêu chí không có trong phiếu: {', '.join(unknown)}.")
    clean: dict[str, Any] = {}
    for key, label in criteria.items():
        answer = answers.get(key) or {}
        level = str(answer.get("level", "")) if isinstance(answer, Mapping) else ""
        if level not in LEVELS:
            raise ValidationError(f"Chưa chọn mức cho «{label}».")
        comment = str(answer.get("comment", "") or "").strip()
        if len(comment) > MAX_COMMENT:
            raise ValidationError(f"Ý kiến về «{label}» dài quá {MAX_COMMENT} ký tự.")
        clean[key] = {"level": level, "comment": comment}
    return clean


def response_submit(*, code: str, answers: Mapping[str, Any]) -> None:
    """Use a code once and store the answer anonymously.

    The code's invitation is marked used and the answer is stored with no respondent, code or
    time. The survey's answers are then rewritten in a random order with fresh random keys, so
    neither keys nor physical row order (SQLite rowid, PostgreSQL heap) tell which came last.
    The audit trail says only that an answer was received for the evaluation.
    """
    with transaction.atomic():
        survey = invitation_survey(code)
        # Serialise answers to one survey: the rewrite below must not lose a concurrent one.
        list(Survey.objects.select_for_update().filter(pk=survey.pk).order_by().values("pk"))
        evaluation = survey.evaluation
        clean = _clean_answers(evaluation, answers)
        used = SurveyInvitation.objects.filter(code_hash=code_hash(code), used=False).update(
            used=True
        )
        if used != 1:
            raise ValidationError(CODE_REFUSED)
        current = SurveyResponse.objects.filter(evaluation=evaluation, role=survey.role)
        rows = [*current.values_list("answers", flat=True), clean]
        current.delete()
        _shuffle(rows)
        SurveyResponse.objects.bulk_create(
            [SurveyResponse(evaluation=evaluation, role=survey.role, answers=a) for a in rows]
        )
        audit_record(
            actor=None,
            action="survey.response_received",
            object_type="reviews.evaluation",
            object_id=str(evaluation.pk),
            object_repr=str(evaluation),
            note=f"Đã nhận một ý kiến ẩn danh ({survey.get_role_display().lower()}).",
        )


# -- related bodies --------------------------------------------------------------------------


@transaction.atomic
def body_request_create(
    *,
    actor: Any,
    evaluation: Evaluation,
    due_on: datetime.date,
    body_unit: Unit | None = None,
    body_name: str = "",
    question: str = "",
) -> BodyRequest:
    """Ask a related body (a unit in the system, or one named in words) for its opinion."""
    evaluation_guard(evaluation.period)
    if not can_organise(actor, evaluation.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức xin ý kiến cơ quan liên quan.")
    name = (body_name or "").strip() or (body_unit.name if body_unit else "")
    if not name:
        raise ValidationError("Phải chọn cơ quan hoặc ghi tên cơ quan được xin ý kiến.")
    if due_on < today():
        raise ValidationError("Hạn trả lời đã qua.")
    request = BodyRequest(
        evaluation=evaluation,
        body_unit=body_unit,
        body_name=name,
        question=question,
        due_on=due_on,
        requested_by=actor,
        requested_on=today(),
    )
    request.full_clean()
    request.save()
    audit_record(actor=actor, action="body_request.create", obj=request, after=snapshot(request))
    return request


def can_answer_body_request(actor: Any, request: BodyRequest) -> bool:
    """A user of the body; or the organiser, who records an answer received on paper."""
    return is_body_member(actor, request.body_unit) or can_organise(actor, request.evaluation.unit)


@transaction.atomic
def body_request_answer(
    *, actor: Any, request: BodyRequest, opinion: str, proposed_level: str = ""
) -> BodyRequest:
    """Record the body's opinion (text, and optionally the level it proposes)."""
    evaluation_guard(request.evaluation.period)
    if not can_answer_body_request(actor, request):
        raise PermissionDenied("Chỉ cơ quan được xin ý kiến (hoặc Ban Tổ chức) ghi ý kiến.")
    if not opinion.strip():
        raise ValidationError("Chưa nhập ý kiến.")
    if proposed_level and proposed_level not in LEVELS:
        raise ValidationError(f"Mức «{proposed_level}» không hợp lệ (HTXS, HTT, HTNV, KHT).")
    before = snapshot(request)
    request.opinion, request.proposed_level = opinion.strip(), proposed_level
    request.answered_by, request.answered_on = actor, today()
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="body_request.answer",
        obj=request,
        before=before,
        after=snapshot(request),
    )
    return request
