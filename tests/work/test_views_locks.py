"""The page «Khóa sổ tháng» (thuocdo/work/views_locks.py): the organiser sees the month's locks
and their history, locks a month for a unit picked by code and reopens it with a reason, each
change answered by a redirect; refusals say why and change nothing; nobody else gets in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.work.helpers import MONTH, YEAR
from thuocdo.audit.models import AuditEvent
from thuocdo.org.scope import today
from thuocdo.work import locking
from thuocdo.work.models import MonthLock

LIST = reverse("work:month-lock-list")
CREATE = LIST
KEY = f"{YEAR}-{MONTH:02d}"
LABEL = f"{MONTH:02d}/{YEAR}"


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _reopen_url(lock: MonthLock) -> str:
    return reverse("work:month-lock-reopen", args=[lock.pk])


def _refused(client: Client, data: dict[str, object], key: str) -> str:
    """Close a month and be refused: the browser is sent back to the page of the month, whose
    form shows why with what was typed; a reload of it shows neither, and nothing changed."""
    locks, events = MonthLock.objects.count(), AuditEvent.objects.count()
    response = client.post(CREATE, data)
    page = f"{LIST}?thang={key}"
    assert (response.status_code, response["Location"]) == (302, f"{page}#khoa-so")
    shown: str = client.get(page).content.decode()
    again = client.get(page).content.decode()
    assert 'role="alert"' not in again and "errorlist" not in again
    assert (MonthLock.objects.count(), AuditEvent.objects.count()) == (locks, events)
    return shown


def _lock(world, unit, user: str = "olga", reason: str = "") -> MonthLock:
    return locking.month_lock(
        actor=world.users[user], unit=unit, year=YEAR, month=MONTH, reason=reason
    )


def test_the_organiser_locks_a_month_for_a_unit_typed_by_its_code(world):
    client = _client(world, "olga")
    data = {"unit": "P1", "year": YEAR, "month": MONTH, "reason": "Đã chấm xong"}
    response = client.post(CREATE, data)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?thang={KEY}"
    lock = MonthLock.objects.get()
    assert (lock.unit, lock.reason, lock.locked_by) == (
        world.p1,
        "Đã chấm xong",
        world.users["olga"],
    )
    page = client.get(response["Location"]).content.decode()
    assert f"Đã khóa sổ tháng {LABEL} của Phường Một và các đơn vị trực thuộc." in page
    assert '<td data-label="Đơn vị">Phường Một</td>' in page
    assert '<td data-label="Lý do">Đã chấm xong</td>' in page
    assert "Mở lại tháng</button>" in page


def test_the_page_opens_on_last_month_with_the_unit_asked_for(world):
    at = today()
    year, month = (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)
    page = _client(world, "olga").get(LIST, {"don-vi": "P1"}).content.decode()
    assert f'<h1>Khóa sổ tháng <small class="muted">{month:02d}/{year}</small></h1>' in page
    assert 'name="unit" value="P1"' in page
    assert f"Tháng {month:02d}/{year} chưa khóa sổ đơn vị nào — khóa sổ ở dưới." in page


def test_this_month_offers_no_lock_and_a_forced_one_is_refused(world):
    at = today()
    page = _client(world, "olga").get(LIST, {"thang": f"{at.year}-{at.month:02d}"})
    text = page.content.decode()
    assert "chưa kết thúc: khóa sổ được từ ngày" in text
    assert '<form method="post" action="/khoa-so-thang/">' not in text
    data = {"unit": "P1", "year": at.year, "month": at.month, "reason": "Chấm xong sớm"}
    shown = _refused(_client(world, "olga"), data, f"{at.year}-{at.month:02d}")
    assert f"Tháng {at.month:02d}/{at.year} chưa kết thúc" in shown
    assert "Chấm xong sớm</textarea>" in shown


def test_a_month_locked_above_is_refused_with_the_unit_that_locked_it(world):
    _lock(world, world.q1)
    data = {"unit": "P1", "year": YEAR, "month": MONTH, "reason": "Đã chấm xong"}
    page = _refused(_client(world, "olga"), data, KEY)
    assert page.count(f"Tháng {LABEL} của Phường Một đã khóa sổ (khóa sổ cho Quận Một).") == 1
    assert 'value="P1"' in page and "Đã chấm xong</textarea>" in page
    assert MonthLock.objects.count() == 1


def test_a_unit_out_of_scope_is_refused_like_a_missing_one(world):
    client = _client(world, "olga")
    for code in ("P2", "KHONG-CO"):
        page = _refused(client, {"unit": code, "year": YEAR, "month": MONTH}, KEY)
        assert f"không có đơn vị mã «{code}» trong phạm vi" in page
        assert f'value="{code}"' in page
    assert not MonthLock.objects.exists()


def test_the_organiser_reopens_with_a_reason_shown_in_the_history(world):
    lock = _lock(world, world.p1, reason="Đã chấm xong")
    client = _client(world, "olga")
    response = client.post(_reopen_url(lock), {"reason": "Bổ sung minh chứng của chị Nhung"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?thang={KEY}"
    assert not MonthLock.objects.exists()
    assert AuditEvent.objects.get(action="month.reopen").note == "Bổ sung minh chứng của chị Nhung"
    page = client.get(response["Location"]).content.decode()
    assert f"Đã mở lại tháng {LABEL} của Phường Một" in page
    history = page[page.index('id="history"') :]
    assert history.index("Mở lại tháng") < history.index("Khóa sổ")  # newest first
    assert "Bổ sung minh chứng của chị Nhung" in history and "Đã chấm xong" in history


def test_a_reopening_without_a_reason_changes_nothing(world):
    lock = _lock(world, world.p1)
    client = _client(world, "olga")
    response = client.post(_reopen_url(lock), {"reason": "  "}, follow=True)
    assert "Cần ghi lý do mở lại tháng." in response.content.decode()
    assert MonthLock.objects.filter(pk=lock.pk).exists()
    assert not AuditEvent.objects.filter(action="month.reopen").exists()


def test_a_district_organiser_sees_the_citys_lock_but_may_not_reopen_it(world):
    sibling = _lock(world, world.q2, user="root")
    city = _lock(world, world.city, user="root", reason="Cả thành phố")
    client = _client(world, "olga")
    page = client.get(LIST, {"thang": KEY}).content.decode()
    assert "Thành phố Mẫu" in page and "Cả thành phố" in page
    assert "Do Ban Tổ chức cấp trên khóa sổ" in page
    assert "Quận Hai" not in page
    assert client.post(_reopen_url(city), {"reason": "Sửa"}).status_code == 403
    assert client.post(_reopen_url(sibling), {"reason": "Sửa"}).status_code == 404
    assert MonthLock.objects.count() == 2


@pytest.mark.parametrize("name", ["alice", "lena", "hana", "tam", "nobody"])
def test_nobody_but_an_organiser_gets_in(world, name):
    lock = _lock(world, world.p1)
    client = _client(world, name)
    assert client.get(LIST).status_code == 403
    assert client.post(CREATE, {"unit": "P1", "year": YEAR, "month": 4}).status_code == 403
    assert client.post(_reopen_url(lock), {"reason": "Sửa"}).status_code == 403
    assert MonthLock.objects.count() == 1


def test_a_visitor_is_sent_to_log_in(world):
    assert Client().get(LIST)["Location"].startswith("/dang-nhap/")


def test_the_organiser_finds_the_page_in_the_menu_and_on_the_home_page(world):
    for name, shown in [("olga", True), ("root", True), ("hana", False), ("alice", False)]:
        home = _client(world, name).get("/").content.decode()
        assert (home.count(f'href="{LIST}"') == 2) is shown, name


def test_the_audit_pages_show_each_closing_and_reopening_with_its_reason(world):
    lock = _lock(world, world.p1, reason="Đã chấm xong")
    locking.month_reopen(actor=world.users["olga"], lock=lock, reason="Bổ sung minh chứng")
    page = _client(world, "root").get("/quan-tri/audit/auditevent/").content.decode()
    assert "Đã chấm xong" in page and "Bổ sung minh chứng" in page
    assert "Phường Một 03/2025" in page
