"""Reminders and in-app notifications: tasks due soon or overdue, in the app and by e-mail
(`thuocdo remind`), and marking a notification read."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction

from thuocdo.work import selectors
from thuocdo.work.models import Notification, Task


def _d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _reminder_text(task: Task, at: datetime.date) -> str:
    days = (task.due_date - at).days
    if days < 0:
        return f"Nhiệm vụ «{task.title}» đã quá hạn {-days} ngày (hạn {_d(task.due_date)})."
    if days == 0:
        return f"Nhiệm vụ «{task.title}» đến hạn hôm nay ({_d(task.due_date)})."
    return f"Nhiệm vụ «{task.title}» còn {days} ngày đến hạn ({_d(task.due_date)})."


@transaction.atomic
def reminders_send(*, days: int, at: datetime.date, link: str = "/thang-cua-toi/") -> int:
    """Notify people in-app (and by e-mail when they have one) of tasks due soon or overdue.

    At most one reminder per task and day, so running the command twice sends nothing new.
    Returns the number of notifications created.
    """
    soon, overdue = selectors.tasks_due(within_days=days, at=at)
    # Only people with an active login are reminded: the others' tasks are not even read.
    soon, overdue = (q.filter(plan__person__user__is_active=True) for q in (soon, overdue))
    by_user: dict[int, list[str]] = {}
    users: dict[int, Any] = {}
    for task in [*overdue, *soon]:
        user = task.plan.person.user
        if user is None or not user.is_active:
            continue
        text = _reminder_text(task, at)
        key = f"task-{task.pk}-{at.isoformat()}"
        _, created = Notification.objects.get_or_create(
            user=user, key=key, defaults={"text": text[:500], "link": link}
        )
        if created:
            by_user.setdefault(user.pk, []).append(text)
            users[user.pk] = user
    for user_id, lines in by_user.items():
        email = users[user_id].email
        if email:
            send_mail(
                subject=f"Thước Đo: {len(lines)} nhiệm vụ cần chú ý",
                message="\n".join([*lines, "", f"Xem chi tiết tại mục «Tháng của tôi» ({link})."]),
                from_email=None,
                recipient_list=[email],
                fail_silently=False,
            )
    return sum(len(lines) for lines in by_user.values())


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications as read."""
    if notification.user_id != actor.pk:
        raise PermissionDenied("Không phải thông báo của bạn.")
    # Reading a notice changes no record anyone is evaluated on, so it is not audited.
    notification.read = True
    notification.save(update_fields=["read"])
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor as read; returns how many were unread."""
    # Not audited: reading a notice changes no record anyone is evaluated on.
    return Notification.objects.filter(user_id=actor.pk, read=False).update(read=True)
