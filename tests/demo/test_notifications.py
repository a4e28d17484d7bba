"""The demo's reminders: the logins with work due find unread notices, sent once a day."""

from __future__ import annotations

from tests.demo.test_work import PEOPLE, SEED, TODAY
from thuocdo.demo.notifications import demo_notifications_build
from thuocdo.demo.registry import demo_build
from thuocdo.demo.work import demo_work_build
from thuocdo.work.models import Notification


def test_logins_with_tasks_due_are_reminded_once(db: None) -> None:
    demo_build(people=PEOPLE, seed=SEED)
    demo_work_build(seed=SEED, today=TODAY)
    sent = demo_notifications_build(today=TODAY)["Thông báo nhắc việc"]
    canhan = Notification.objects.filter(user__username="canhan", read=False)
    assert sent == Notification.objects.count() > 0
    assert canhan.exists() and {n.link for n in canhan} == {"/thang-cua-toi/"}
    assert demo_notifications_build(today=TODAY) == {"Thông báo nhắc việc": 0}
