"""The home page's reads: what waits for the user today, gathered from each app's `todo.py`,
and their latest unread notifications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from thuocdo.ballots import todo as ballots_todo
from thuocdo.careers import todo as careers_todo
from thuocdo.opinions import todo as opinions_todo
from thuocdo.reviews import todo as reviews_todo
from thuocdo.targets import todo as targets_todo
from thuocdo.web.todo import SECTIONS, TodoItem
from thuocdo.work import todo as work_todo
from thuocdo.work.models import Notification
from thuocdo.work.selectors import notification_list

SOURCES: tuple[Callable[[Any], list[TodoItem]], ...] = (
    work_todo.todo_for,
    reviews_todo.todo_for,
    targets_todo.todo_for,
    opinions_todo.todo_for,
    ballots_todo.todo_for,
    careers_todo.todo_for,
)
LATEST_NOTIFICATIONS = 5


@dataclass(frozen=True)
class Today:
    """The home page: the user's waiting work by section, and their unread notifications."""

    sections: list[tuple[str, list[TodoItem]]]
    notifications: list[Notification]
    unread: int

    @property
    def items(self) -> list[TodoItem]:
        """Every waiting item, in the order shown."""
        return [item for _, items in self.sections for item in items]


def todo_list(actor: Any) -> list[TodoItem]:
    """Everything waiting for the actor, with a count above 0."""
    return [item for source in SOURCES for item in source(actor) if item.count > 0]


def _sections(items: list[TodoItem]) -> list[tuple[str, list[TodoItem]]]:
    """Items grouped by section in a fixed order, the urgent ones first in each."""
    order = {name: i for i, name in enumerate(SECTIONS)}
    grouped: dict[str, list[TodoItem]] = {}
    for item in items:
        grouped.setdefault(item.section, []).append(item)
    return [
        (name, sorted(found, key=lambda item: not item.urgent))
        for name, found in sorted(grouped.items(), key=lambda kv: order.get(kv[0], len(order)))
    ]


def today_for(actor: Any) -> Today:
    """What the home page shows this user."""
    unread = notification_list(user=actor, unread_only=True)
    latest = list(unread[:LATEST_NOTIFICATIONS])
    count = len(latest) if len(latest) < LATEST_NOTIFICATIONS else unread.count()
    return Today(sections=_sections(todo_list(actor)), notifications=latest, unread=count)
