"""The one audit event an import records, read back by the import tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from thuocdo.audit.models import AuditEvent


def import_event() -> dict[str, Any]:
    """The data of the latest import's event (exactly one event per import)."""
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert event.after is not None
    return {**event.after, "actor": event.actor, "note": event.note}


def sha256(path: Path) -> str:
    """A file's SHA-256, to compare with the event's."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changes(action: str) -> list[dict[str, Any]]:
    """The rows the latest import changed under `action`: id, before and after fields."""
    return list(import_event()["updated"].get(action, []))
