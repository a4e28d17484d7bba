"""Reminders: tasks due soon or overdue, in-app and by e-mail, once per task and day."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core import mail
from django.core.management import call_command

from thuocdo.work import reminders, selectors, services
from thuocdo.work.models import Notification

TODAY = datetime.date(2025, 3, 10)


def _task(world, due: datetime.date, title: str):
    return services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=due.year,
        month=due.month,
        title=title,
        quantity=Decimal(1),
        due_date=due,
    )


def test_the_selector_splits_tasks_due_soon_from_overdue(world):
    soon = _task(world, TODAY + datetime.timedelta(days=2), "Sắp đến hạn")
    late = _task(world, TODAY - datetime.timedelta(days=1), "Quá hạn")
    _task(world, TODAY + datetime.timedelta(days=9), "Còn xa")
    due, overdue = selectors.tasks_due(within_days=3, at=TODAY)
    assert (list(due), list(overdue)) == ([soon], [late])


def test_reminders_go_in_app_and_by_mail_once_a_day(world):
    world.users["alice"].email = "alice@example.vn"
    world.users["alice"].save()
    _task(world, TODAY + datetime.timedelta(days=2), "Sắp đến hạn")
    _task(world, TODAY - datetime.timedelta(days=4), "Quá hạn")
    assert reminders.reminders_send(days=3, at=TODAY) == 2
    assert reminders.reminders_send(days=3, at=TODAY) == 0
    texts = sorted(Notification.objects.values_list("text", flat=True))
    assert "quá hạn 4 ngày" in texts[0] and "còn 2 ngày" in texts[1]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.vn"]


def test_people_without_an_email_get_the_in_app_reminder_only(world):
    _task(world, TODAY, "Hôm nay")
    assert reminders.reminders_send(days=3, at=TODAY) == 1
    assert "đến hạn hôm nay" in Notification.objects.get().text
    assert mail.outbox == []


def test_the_remind_command_runs(world, capsys):
    call_command("remind", "--days", "3")
    assert "lời nhắc" in capsys.readouterr().out


def test_a_verified_task_needs_no_reminder(world):
    task = _task(world, TODAY - datetime.timedelta(days=1), "Đã xong")
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=TODAY,
        quantity_done=Decimal(1),
        evidence_note="Xong",
    )
    assert reminders.reminders_send(days=3, at=TODAY) == 0
