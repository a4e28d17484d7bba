"""Who may act on the annual cycle, and when: the guard of a locked period, the evaluated
person, the leader over a unit, the organiser, the competent authority, and the appeal window
that a period must outlast before it locks. Shared by the selectors, the services and appeals,
below all of them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from thuocdo.org.models import Unit
from thuocdo.org.scope import Scope, scope_for, units_write_q
from thuocdo.reviews.models import Appeal, AppealState, Evaluation, Period, PeriodState


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


def over_unit(scope: Scope, unit: Unit) -> bool:
    """Leader of the unit, head or organiser over its subtree, or administrator."""
    return (
        scope.everything
        or unit.pk in scope.led_unit_ids
        or any(unit.path.startswith(p) for p in scope.subtree_paths)
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
