"""The pages: register, report and verify through the web, the catalogue, notifications."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.work.test_catalogue import GOOD
from thuocdo.work import services
from thuocdo.work.models import Notification, Task, TaskState


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_alice_registers_progresses_and_completes_a_task_through_the_pages(world, catalogue):
    client = _client(world, "alice")
    at = timezone.localdate()
    response = client.post(
        reverse("work:task-register"),
        {
            "product_type": catalogue.report.pk,
            "title": "Báo cáo thống kê",
            "quantity": "2",
            "due_date": at.isoformat(),
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    client.post(reverse("work:task-progress", args=[task.pk]), {"percent": 50})
    client.post(
        reverse("work:task-complete", args=[task.pk]),
        {
            "completed_on": at.isoformat(),
            "quantity_done": "2",
            "evidence_file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"),
        },
    )
    task.refresh_from_db()
    assert (task.state, task.progress) == (TaskState.DONE, 100)
    assert str(task.evidence_file.name).endswith(".pdf")
    page = client.get(reverse("work:month-detail")).content.decode()
    assert "Báo cáo thống kê" in page and "chờ xác nhận" in page
    evidence = client.get(reverse("work:task-evidence", args=[task.pk]))
    assert evidence.status_code == 200
    assert evidence.getvalue() == b"%PDF-1.4"
    client.force_login(world.users["nobody"])
    assert client.get(reverse("work:task-evidence", args=[task.pk])).status_code == 404


def test_a_refusal_is_shown_as_a_message_in_vietnamese(world, catalogue):
    client = _client(world, "alice")
    at = timezone.localdate()
    task = services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=at.year,
        month=at.month,
        title="Không minh chứng",
        quantity=Decimal(1),
        due_date=at,
    )
    response = client.post(
        reverse("work:task-complete", args=[task.pk]),
        {"completed_on": at.isoformat(), "quantity_done": "1"},
        follow=True,
    )
    assert "Cần ít nhất một minh chứng" in response.content.decode()


def test_failing_a_review_without_a_reason_is_refused_in_the_row(world, catalogue):
    at = timezone.localdate()
    task = services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=at.year,
        month=at.month,
        title="Cần lý do",
        quantity=Decimal(1),
        due_date=at,
    )
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=at,
        quantity_done=Decimal(1),
        evidence_note="x",
    )
    response = _client(world, "lena").post(
        reverse("work:task-verify", args=[task.pk]),
        {"verdict": "chua_dat"},
        headers={"HX-Request": "true"},
    )
    assert "Cần ghi lý do chưa đạt" in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment, not the page


def test_the_catalogue_page_imports_and_exports(world):
    client = _client(world, "olga")
    GOOD.seek(0)
    upload = SimpleUploadedFile("danh-muc.xlsx", GOOD.read())
    page = client.post(reverse("work:catalogue-import"), {"file": upload}).content.decode()
    assert "Đã nhập" in page
    position = world.p1.job_positions.get()
    response = client.get(reverse("work:catalogue-export", args=[position.pk]))
    assert response.status_code == 200 and io.BytesIO(response.content).read(2) == b"PK"


def test_only_organisers_open_the_catalogue_import(world):
    assert _client(world, "alice").get(reverse("work:catalogue-import")).status_code == 403


def test_notifications_are_listed_and_marked_read(world):
    note = Notification.objects.create(user=world.users["alice"], text="Nhắc việc", link="/")
    client = _client(world, "alice")
    assert "Nhắc việc" in client.get(reverse("work:notification-list")).content.decode()
    client.post(reverse("work:notification-read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read
    assert (
        _client(world, "lena").post(reverse("work:notification-read", args=[note.pk])).status_code
        == 404
    )


def test_the_menu_offers_my_month_and_my_team_by_role(world):
    alice = _client(world, "alice").get(reverse("web:home")).content.decode()
    lena = _client(world, "lena").get(reverse("web:home")).content.decode()
    assert "Tháng của tôi" in alice and "Đơn vị của tôi" not in alice
    assert "Đơn vị của tôi" in lena


def test_dates_are_shown_the_vietnamese_way(world, catalogue):
    at = timezone.localdate()
    services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=at.year,
        month=at.month,
        title="Ngày",
        quantity=Decimal(1),
        due_date=at + datetime.timedelta(days=1),
    )
    page = _client(world, "alice").get(reverse("work:month-detail")).content.decode()
    assert (at + datetime.timedelta(days=1)).strftime("%d/%m/%Y") in page


def test_the_team_page_counts_everything_waiting_but_lists_a_bounded_page(client, world):
    from thuocdo.work import selectors

    queue = selectors.leader_queue(actor=world.users["olga"])
    rows, page = selectors.team_month(
        actor=world.users["olga"], year=2026, month=11, at=datetime.date(2026, 11, 23)
    )
    assert queue.total == 0
    assert page.paginator.per_page == selectors.TEAM_PAGE
    assert {row["person"].full_name for row in rows} >= {"Nguyễn Thị Hồng Nhung"}
    client.force_login(world.users["olga"])
    assert client.get(reverse("work:team-detail") + "?trang=99").status_code == 200


def test_the_catalogue_page_offers_its_template(world):
    client = _client(world, "olga")
    assert (
        reverse("work:catalogue-template")
        in client.get(reverse("work:catalogue-import")).content.decode()
    )
    response = client.get(reverse("work:catalogue-template"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:3] == [
        "Hướng dẫn", "Vị trí việc làm", "Sản phẩm",
    ]  # fmt: skip
    assert _client(world, "alice").get(reverse("work:catalogue-template")).status_code == 403
