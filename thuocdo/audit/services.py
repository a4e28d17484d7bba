"""Recording audit events: the one choke point every service calls after a write."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from thuocdo.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The editable concrete fields of a model instance, as plain JSON values."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def audit_event_build(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Build (not save) an audit event, for bulk writes."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    return AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        note=note,
    )


def audit_record(**kwargs: Any) -> AuditEvent:
    """Record one audit event."""
    event = audit_event_build(**kwargs)
    event.save()
    return event


def audit_record_many(events: Iterable[AuditEvent]) -> None:
    """Record many audit events in one round trip per batch."""
    AuditEvent.objects.bulk_create(list(events), batch_size=2000)
