"""Writes from other systems (e-office, one-stop counters): work items and citizens' ratings
pushed once per external id, through the same services as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Person
from thuocdo.work import selectors
from thuocdo.work.models import CitizenRating, ProductType, Task, TaskSource
from thuocdo.work.permissions import can_push_for
from thuocdo.work.services import month_open_check, snapshot_of, task_complete, task_register


def _require_pusher(actor: Any, person: Person) -> None:
    if not can_push_for(actor, person):
        raise PermissionDenied("Chỉ Ban Tổ chức hoặc tài khoản tích hợp được gửi dữ liệu này.")


@transaction.atomic
def task_push(
    *,
    actor: Any,
    person: Person,
    source_system: str,
    external_id: str,
    title: str,
    quantity: Decimal,
    due_date: datetime.date,
    product_type: ProductType | None = None,
    year: int | None = None,
    month: int | None = None,
    completed_on: datetime.date | None = None,
    quantity_done: Decimal | None = None,
    evidence_number: str = "",
    evidence_note: str = "",
) -> tuple[Task, bool]:
    """Create or complete a task sent by e-office or one-stop systems, once per external id.

    Returns the task and whether it was created. Pushing the same item again changes nothing,
    except a completion that was not known yet.
    """
    _require_pusher(actor, person)
    if not source_system.strip() or not external_id.strip():
        raise ValidationError("Cần mã hệ thống nguồn và mã nhiệm vụ ở hệ thống đó.")
    # Lock the row so that two concurrent pushes of one item cannot both create it.
    task = (
        Task.objects.select_for_update()
        .filter(source_system=source_system, external_id=external_id)
        .select_related("plan__person")
        .first()
    )
    created = task is None
    if task is None:
        try:
            with transaction.atomic():
                task = task_register(
                    actor=actor,
                    person=person,
                    year=year or due_date.year,
                    month=month or due_date.month,
                    title=title,
                    quantity=quantity,
                    due_date=due_date,
                    product_type=product_type,
                    source=TaskSource.EXTERNAL,
                    source_system=source_system,
                    external_id=external_id,
                )
        except IntegrityError:
            # A concurrent push won the race: answer as for a repeat.
            task = Task.objects.get(source_system=source_system, external_id=external_id)
            created = False
    elif task.plan.person_id != person.pk:
        raise ValidationError("Mã nhiệm vụ này đã được gửi cho một cán bộ khác.")
    if completed_on is not None and task.state in selectors.OPEN_STATES:
        task = task_complete(
            actor=actor,
            task=task,
            completed_on=completed_on,
            quantity_done=quantity_done if quantity_done is not None else task.quantity,
            evidence_note=evidence_note or f"Hoàn thành trên hệ thống {source_system}.",
            evidence_number=evidence_number,
        )
    return task, created


@transaction.atomic
def citizen_rating_record(
    *,
    actor: Any,
    person: Person,
    score: int,
    rated_on: datetime.date,
    counter: str = "",
    comment: str = "",
    year: int | None = None,
    month: int | None = None,
    source_system: str = "",
    external_id: str = "",
) -> tuple[CitizenRating, bool]:
    """Attach a citizen's rating to a person's month (once per external id, if given)."""
    _require_pusher(actor, person)
    year, month = year or rated_on.year, month or rated_on.month
    if external_id:
        found = CitizenRating.objects.filter(
            source_system=source_system, external_id=external_id
        ).first()
        if found is not None:
            return found, False
    month_open_check(person, year, month)
    rating = CitizenRating(
        person=person,
        year=year,
        month=month,
        score=score,
        counter=counter,
        rated_on=rated_on,
        comment=comment,
        source_system=source_system,
        external_id=external_id,
    )
    rating.full_clean()
    rating.save()
    audit_record(actor=actor, action="citizen_rating.record", obj=rating, after=snapshot_of(rating))
    return rating, True
