"""The home page: today's work of each role, with counts and links, nothing for what is out of
reach; the notifications with their unread count in the menu, read one by one or all at once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.reviews.annual.cycle import open_year
from thuocdo.org import services as org
from thuocdo.org.scope import today
from thuocdo.reviews.models import EvaluationState, Period
from thuocdo.work import services as work
from thuocdo.work.models import Notification

AT = today()


def _page(world: Any, username: str) -> str:
    client = Client()
    client.force_login(world.users[username])
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _alice_sends_her_plan(world: Any) -> None:
    task = work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=AT.year,
        month=AT.month,
        title="Báo cáo tổng hợp",
        quantity=Decimal(1),
        due_date=AT + datetime.timedelta(days=10),
    )
    work.plan_submit(actor=world.users["alice"], plan=task.plan)


def test_the_person_sees_their_own_month_and_year(world):
    Period.objects.create(
        kind="month", year=AT.year, number=AT.month, unit=world.city, ruleset="nd-335-2025"
    )
    open_year(world)
    page = _page(world, "alice")
    assert "Xin chào, Nguyễn Thị Hồng Nhung" in page
    assert f"Chưa đăng ký nhiệm vụ tháng {AT:%m/%Y}" in page
    assert f"Tự đánh giá tháng {AT:%m/%Y} chưa làm" in page
    assert "Bản tự kiểm điểm năm 2026 (Mẫu 2A) chưa làm" in page
    assert "Không có việc nào đang chờ" not in page


def test_the_leader_sees_the_plan_to_approve_with_its_link(world):
    _alice_sends_her_plan(world)
    page = _page(world, "lena")
    assert f'<a href="/don-vi-cua-toi/#ke-hoach">1 kế hoạch tháng {AT:%m/%Y} chờ duyệt</a>' in page


def test_the_organiser_and_the_authority_see_their_steps_of_the_year(world):
    period = open_year(world)
    period.evaluations.update(state=EvaluationState.REVIEWED)
    assert "7 phiếu đánh giá năm 2026 chờ thẩm định" in _page(world, "olga")
    period.evaluations.update(state=EvaluationState.PROPOSED)
    assert "7 phiếu đánh giá năm 2026 chờ kết luận" in _page(world, "tam")


def test_a_leader_of_the_sibling_district_has_nothing_waiting(world):
    pat = org.user_create(actor=None, username="pat", password=PASSWORD)
    org.role_assign(actor=None, user=pat, role="leader", unit=world.p2)
    world.users["pat"] = pat
    _alice_sends_her_plan(world)
    open_year(world).evaluations.update(state=EvaluationState.SELF_ASSESSED)
    page = _page(world, "pat")
    assert "Không có việc nào đang chờ bạn." in page
    assert "chờ duyệt" not in page


def test_the_home_page_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    open_year(world).evaluations.update(state=EvaluationState.REVIEWED)
    _alice_sends_her_plan(world)
    for username in ("alice", "lena", "hana", "olga", "tam", "root"):
        client = Client()
        client.force_login(world.users[username])
        # Session, user, scope, notifications, and a few counts per app whatever the city.
        with django_assert_max_num_queries(25):
            assert client.get("/").status_code == 200


# -- notifications ----------------------------------------------------------------------------


def _notes(world: Any, username: str, count: int) -> list[Notification]:
    return [
        Notification.objects.create(
            user=world.users[username], text=f"Nhắc việc số {k}", link="/thang-cua-toi/"
        )
        for k in range(count)
    ]


def test_the_menu_shows_the_unread_count_in_one_query(world):
    _notes(world, "alice", 3)
    _notes(world, "lena", 2)
    client = Client()
    client.force_login(world.users["alice"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("org:unit-tree")).content.decode()
    counted = [q for q in queries.captured_queries if "work_notification" in q["sql"]]
    assert len(counted) == 1
    assert '<span class="badge" id="unread-count">3<span class="visually-hidden"> chưa đọc' in page


def test_the_home_page_shows_the_latest_unread_notifications(world):
    notes = _notes(world, "alice", 7)
    Notification.objects.filter(pk=notes[0].pk).update(read=True)
    page = _page(world, "alice")
    assert "Thông báo chưa đọc (6)" in page
    assert "Nhắc việc số 6" in page and "Nhắc việc số 2" in page
    assert "Nhắc việc số 1" not in page  # only the five latest
    assert "Nhắc việc số 0" not in page  # read


def test_a_notification_is_marked_read_and_the_user_stays_where_they_were(world):
    note, other = _notes(world, "alice", 2)
    client = Client()
    client.force_login(world.users["alice"])
    url = reverse("work:notification-read", args=[note.pk])
    response = client.post(url, {"action": "read", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read and not other.read
    # "Xem" opens what the notification is about.
    response = client.post(reverse("work:notification-read", args=[other.pk]), {"action": "open"})
    assert response["Location"] == "/thang-cua-toi/"
    # Another site is never a way back.
    note.read = False
    note.save()
    response = client.post(url, {"action": "read", "next": "https://example.com/"})
    assert response["Location"] == reverse("work:notification-list")


def test_all_notifications_are_marked_read_at_once_and_only_ones_own(world):
    _notes(world, "alice", 4)
    lenas = _notes(world, "lena", 2)
    client = Client()
    client.force_login(world.users["alice"])
    response = client.post(reverse("work:notification-read-all"), {"next": "/"}, follow=True)
    assert "Đã đánh dấu 4 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(user=world.users["alice"], read=False).exists()
    assert Notification.objects.filter(user=world.users["lena"], read=False).count() == 2
    assert client.post(reverse("work:notification-read", args=[lenas[0].pk])).status_code == 404
    assert 'id="unread-count"' not in client.get("/").content.decode()


@pytest.mark.parametrize("url_name", ["work:notification-read-all"])
def test_marking_read_needs_a_post(world, url_name):
    client = Client()
    client.force_login(world.users["alice"])
    assert client.get(reverse(url_name)).status_code == 405
