"""The demo's in-app notifications: today's due-date reminders, as `thuocdo remind` would
send them each morning, so the logins find unread notices on their home page."""

from __future__ import annotations

import datetime

from thuocdo.work.reminders import reminders_send

REMIND_DAYS = 3


def demo_notifications_build(*, today: datetime.date) -> dict[str, int]:
    """Remind every login of their tasks overdue or due within three days."""
    sent = reminders_send(days=REMIND_DAYS, at=today)
    return {"Thông báo nhắc việc": sent}
