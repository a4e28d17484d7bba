"""Who may act on the annual cycle, and when: the guard of a locked period, the evaluated
person, the leader over a unit, the organiser, the competent authority, and the appeal window
that a period must outlast before it locks. Shared by the selectors, the services and appeals,
below all of them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from thuocdo.org.models import Role, RoleAssignment, Unit
from thuocdo.org.scope import Scope, scope_for, units_write_q
from thuocdo.reviews.models import (
    Appeal,
    AppealState,
    Evaluation,
    EvaluationGroup,
    EvaluationState,
    Period,
    PeriodState,
    SubjectKind,
)
from thuocdo.work.todo import head_paths


def evaluation_guard(period: Period) -> None:
    """Refuse every change to a locked period: it must be reopened, with a reason, first."""
    if period.state == PeriodState.LOCKED:
        raise ValidationError(f"{period} đã khóa: phải mở lại (có lý do) trước khi sửa.")


def is_own(actor: Any, evaluation: Evaluation) -> bool:
    """The actor is the evaluated person (a collective is nobody's own)."""
    return (
        evaluation.person_id is not None
        and evaluation.person is not None
        and evaluation.person.user_id is not None
        and evaluation.person.user_id == getattr(actor, "pk", None)
    )


def over_collective(scope: Scope, unit: Unit) -> bool:
    """Head or organiser over the unit's subtree, or administrator: who writes a collective's
    report (Mẫu 01). A direct leader leads the unit's staff, not the unit as a collective."""
    return scope.everything or any(unit.path.startswith(p) for p in scope.subtree_paths)


def above_collective(scope: Scope, unit: Unit) -> bool:
    """The level above a collective, who assesses it: the organiser over it, the head of a
    unit above it, or an administrator; never its own head, who wrote its report."""
    return (
        scope.everything
        or any(unit.path.startswith(p) for p in scope.write_paths)
        or any(unit.path.startswith(p) and unit.path != p for p in scope.subtree_paths)
    )


def is_direct_leader(scope: Scope, evaluation: Evaluation) -> bool:
    """The direct leader of an evaluated person: the leader of their unit for its staff, the
    head of their unit for its head's deputies (and for everyone where no leader is assigned,
    which a head over the subtree covers anyway). A unit's leader does not assess its head or
    deputies: the head, or the level above, does (as for the month). An organiser is nobody's
    direct leader (`work.todo.head_paths`: the subtrees a scope heads, not organises)."""
    if evaluation.kind != SubjectKind.INDIVIDUAL:
        return False
    unit = evaluation.unit
    if unit.pk in scope.led_unit_ids and evaluation.group != EvaluationGroup.LEADER:
        return True
    if unit.path not in head_paths(scope):
        return False
    return evaluation.group == EvaluationGroup.LEADER or not unit_has_leader(unit.pk)


def unit_has_leader(unit_id: int) -> bool:
    """A leader (lãnh đạo trực tiếp) is assigned to the unit: its staff are theirs to assess."""
    return RoleAssignment.objects.filter(role=Role.LEADER, unit_id=unit_id).exists()


def direct_evaluations_q(scope: Scope) -> Q:
    """Filter on Evaluation: the people whose assessment waits on this scope as their direct
    leader (`is_direct_leader`, as one filter)."""
    q = Q(unit_id__in=scope.led_unit_ids) & ~Q(group=EvaluationGroup.LEADER)
    headed = head_paths(scope)
    if headed:
        led = RoleAssignment.objects.filter(role=Role.LEADER, unit_id=OuterRef("unit_id"))
        q |= Q(unit__path__in=headed) & (Q(group=EvaluationGroup.LEADER) | ~Q(Exists(led)))
    return Q(kind=SubjectKind.INDIVIDUAL) & q


def can_review(actor: Any, evaluation: Evaluation) -> bool:
    """Who writes the leader's assessment: never the evaluated person; for a person, their
    direct leader, a head or organiser over their unit, or an administrator; for a
    collective, the level above it (`above_collective`)."""
    scope = scope_for(actor)
    if is_own(actor, evaluation):
        return False
    if scope.everything:
        return True
    unit = evaluation.unit
    if evaluation.kind == SubjectKind.COLLECTIVE:
        return above_collective(scope, unit)
    return is_direct_leader(scope, evaluation) or any(
        unit.path.startswith(p) for p in scope.subtree_paths
    )


def can_write_self(actor: Any, evaluation: Evaluation) -> bool:
    """Who writes a self-review as its author: the person; for a collective, its head or the
    organiser over it (Mẫu 01 is the collective's report)."""
    if evaluation.kind == SubjectKind.COLLECTIVE:
        return over_collective(scope_for(actor), evaluation.unit)
    return is_own(actor, evaluation)


def can_enter_on_behalf(actor: Any, evaluation: Evaluation) -> bool:
    """The organiser over the person's unit, or their direct leader, may enter a person's
    self-review on their behalf (nhập hộ); never the person themself, never a collective."""
    if evaluation.kind != SubjectKind.INDIVIDUAL or is_own(actor, evaluation):
        return False
    scope = scope_for(actor)
    unit = evaluation.unit
    return (
        scope.everything
        or any(unit.path.startswith(p) for p in scope.write_paths)
        or is_direct_leader(scope, evaluation)
    )


def can_organise(actor: Any, period: Period) -> bool:
    """The organiser (Ban Tổ chức) writing over the period's unit, or an administrator."""
    scope = scope_for(actor)
    return scope.everything or Unit.objects.filter(units_write_q(scope), pk=period.unit_id).exists()


def can_conclude(actor: Any, evaluation: Evaluation) -> bool:
    """The competent authority of the subject (its managing board), or an administrator."""
    scope = scope_for(actor)
    return scope.everything or (
        evaluation.authority_id is not None and evaluation.authority_id in scope.authority_ids
    )


def can_publish(actor: Any, period: Period) -> bool:
    """The organiser, or an authority competent for one of the period's evaluations."""
    scope = scope_for(actor)
    if can_organise(actor, period):
        return True
    return Evaluation.objects.filter(period=period, authority_id__in=scope.authority_ids).exists()


# -- the appeal window ------------------------------------------------------------------------

OPEN_STATES = (AppealState.FILED, AppealState.REEXAMINED)


def appeal_window_end(period: Period) -> datetime.datetime | None:
    """When the appeal window of a published period closes (None before publication)."""
    if period.published_at is None:
        return None
    return period.published_at + datetime.timedelta(days=period.appeal_days)


def window_text(end: datetime.datetime) -> str:
    return timezone.localtime(end).strftime("%H:%M %d/%m/%Y")


def lock_check(period: Period) -> None:
    """A period locks only after its appeal window, with every appeal decided."""
    pending = Appeal.objects.filter(evaluation__period=period, state__in=OPEN_STATES).count()
    if pending:
        raise ValidationError(f"Còn {pending} kiến nghị chưa giải quyết; chưa thể khóa kỳ.")
    end = appeal_window_end(period)
    if end is not None and timezone.now() < end:
        raise ValidationError(f"Còn trong thời hạn kiến nghị đến {window_text(end)}.")


def lock_refusal(period: Period) -> str | None:
    """Why the period may not lock yet (`lock_check`'s words), or None when it may: the board
    shows the button only when it would work, and otherwise says what it waits for."""
    try:
        lock_check(period)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def appeal_open(actor: Any, evaluation: Evaluation) -> bool:
    """The person may appeal now: their published result, inside the window, with no appeal
    of theirs still open."""
    period = evaluation.period
    end = appeal_window_end(period)
    return (
        is_own(actor, evaluation)
        and evaluation.state == EvaluationState.PUBLISHED
        and period.state == PeriodState.PUBLISHED
        and end is not None
        and timezone.now() <= end
        and not evaluation.appeals.filter(state__in=OPEN_STATES).exists()
    )
