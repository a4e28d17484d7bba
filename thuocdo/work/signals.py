"""What the work record tells the apps that read it, without importing them.

`month_changed` is sent inside the writing transaction whenever a change may move a person's
monthly score (a task registered, reported done, verified, amended; an exemption decided). The
monthly scoring connects to it (thuocdo.reviews) so that the score follows the work at once.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# Arguments: actor, person_id, year, month.
month_changed = Signal()


def month_changed_send(*, actor: Any, person_id: int, year: int, month: int) -> None:
    """Tell the receivers that this person's month changed."""
    month_changed.send(sender="work", actor=actor, person_id=person_id, year=year, month=month)
