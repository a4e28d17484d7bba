"""The reused pages «Tháng của tôi» and «Đơn vị của tôi» (thuocdo/web/pagecache.py): reused
while nothing changed, rendered again after every kind of write (through a service, around
them, a deletion), never shown to another user, with each request's own form token.

These tests commit their writes (`transaction=True`), as a production request does: a page is
kept only when it was read outside a transaction."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thuocdo.accounts.services import role_revoke
from thuocdo.org import services as org
from thuocdo.org.models import RoleAssignment
from thuocdo.org.scope import today
from thuocdo.work import locking, services
from thuocdo.work.models import Task

AT = today()
MONTH = reverse("work:month-detail")
TEAM = reverse("work:team-detail")

committed = pytest.mark.django_db(transaction=True)


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _register(world, title: str) -> Task:
    return services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=AT.year,
        month=AT.month,
        title=title,
        quantity=Decimal(1),
        due_date=AT,
    )


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(client, path)
    return len(queries.captured_queries)


@committed
def test_a_second_visit_reuses_the_page_and_shows_the_same_page(world):
    _register(world, "Báo cáo quý")
    alice, again = _client(world, "alice"), _client(world, "alice")  # a login is a write
    first = _page(alice, MONTH)
    cold = _queries(again, f"{MONTH}?thang={AT:%Y-%m}")
    warm = _queries(alice, MONTH)
    second = _page(alice, MONTH)
    assert warm < cold - 5
    token = re.compile(r"[A-Za-z0-9]{64}")
    assert token.sub("", first) == token.sub("", second)
    assert "Báo cáo quý" in second


@committed
def test_the_persons_month_shows_each_kind_of_write_at_once(world):
    alice = _client(world, "alice")
    assert "Báo cáo quý" not in _page(alice, MONTH)
    task = _register(world, "Báo cáo quý")  # through a service
    assert "Báo cáo quý" in _page(alice, MONTH)
    services.task_progress_update(actor=world.users["alice"], task=task, percent=40)
    assert 'value="40"' in _page(alice, MONTH)
    Task.objects.filter(pk=task.pk).update(title="Báo cáo năm")  # around the services
    page = _page(alice, MONTH)
    assert "Báo cáo năm" in page and "Báo cáo quý" not in page
    org.person_update(actor=None, person=world.alice, full_name="Nguyễn Thị Hồng Nhung Mới")
    assert "Nguyễn Thị Hồng Nhung Mới" in _page(alice, MONTH)
    # A month is closed once over: last month's page, kept, shows it at once.
    year, month = (AT.year - 1, 12) if AT.month == 1 else (AT.year, AT.month - 1)
    last = f"{MONTH}?thang={year}-{month:02d}"
    assert "đã khóa sổ" not in _page(alice, last)
    locking.month_lock(actor=world.users["root"], unit=world.p1, year=year, month=month)
    assert "đã khóa sổ" in _page(alice, last)
    Task.objects.filter(pk=task.pk).delete()
    assert "Báo cáo năm" not in _page(alice, MONTH)


@committed
def test_the_leaders_page_shows_new_work_and_loses_the_people_of_a_revoked_role(world):
    lena = _client(world, "lena")
    assert "Báo cáo quý" not in _page(lena, TEAM)
    task = _register(world, "Báo cáo quý")
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=AT,
        quantity_done=Decimal(1),
        evidence_note="Biên bản",
    )
    page = _page(lena, TEAM)
    assert "Báo cáo quý" in page and "Nguyễn Thị Hồng Nhung" in page
    role_revoke(
        actor=world.users["root"],
        assignment=RoleAssignment.objects.get(user=world.users["lena"], role="leader"),
    )
    page = _page(lena, TEAM)
    assert "Báo cáo quý" not in page and "Nguyễn Thị Hồng Nhung" not in page


@committed
def test_one_user_never_sees_another_users_page(world):
    hana_user = world.users["hana"]
    alice, hana = _client(world, "alice"), _client(world, "hana")
    _register(world, "Việc riêng của Nhung")
    assert "Việc riêng của Nhung" in _page(alice, MONTH)
    page = _page(hana, MONTH)
    assert "Việc riêng của Nhung" not in page
    assert world.hana.full_name in page and world.alice.full_name not in page
    assert hana_user.person == world.hana


@committed
def test_a_reused_page_carries_the_visitors_own_form_token(world):
    task = _register(world, "Báo cáo quý")
    first, second = _client(world, "alice"), _client(world, "alice")
    _page(first, MONTH)
    page = _page(second, MONTH)  # the page first's visit kept
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None and "csrf-" not in page
    second.handler.enforce_csrf_checks = True
    response = second.post(
        reverse("work:task-progress", args=[task.pk]),
        {"csrfmiddlewaretoken": token.group(1), "percent": "70"},
    )
    assert response.status_code == 302
    assert 'value="70"' in _page(second, MONTH)


def test_inside_a_transaction_nothing_is_kept(world):
    _register(world, "Báo cáo quý")
    alice = _client(world, "alice")
    first = _queries(alice, MONTH)
    assert _queries(alice, MONTH) == first


@committed
def test_the_next_day_renders_the_page_again(world, monkeypatch):
    _register(world, "Báo cáo quý")
    alice = _client(world, "alice")
    cold = _queries(alice, MONTH)
    assert _queries(alice, MONTH) < cold - 5
    monkeypatch.setattr("thuocdo.web.pagecache.today", lambda: AT + datetime.timedelta(days=1))
    assert _queries(alice, MONTH) == cold


@committed
def test_a_message_is_shown_once_on_a_reused_page(world):
    task = _register(world, "Báo cáo quý")
    alice = _client(world, "alice")
    month = f"{MONTH}?thang={AT.year}-{AT.month:02d}"
    _page(alice, month)
    _page(alice, month)  # kept
    response = alice.post(
        reverse("work:task-progress", args=[task.pk]), {"percent": "200", "note": "Gõ lại"}
    )
    assert response["Location"] == f"{month}#nhiem-vu-{task.pk}"  # refused: back to its row
    # The page kept is not reused: it would show neither the reason nor what was typed.
    page = _page(alice, month)
    assert "message-error" in page and 'value="Gõ lại"' in page and 'value="200"' in page
    assert "message-error" not in _page(alice, month)
    alice.post(reverse("work:task-progress", args=[task.pk]), {"percent": "30"})
    page = _page(alice, MONTH)
    assert "Đã cập nhật tiến độ." in page and 'value="30"' in page
    assert "Đã cập nhật tiến độ." not in _page(alice, MONTH)
