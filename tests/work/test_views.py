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

from tests.jobs.follow import follow_job
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
    response = follow_job(client, client.post(reverse("work:catalogue-import"), {"file": upload}))
    assert "Đã nhập xong tệp «danh-muc.xlsx»." in response.content.decode()
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


def _this_month_task(world, title="Báo cáo tuần", *, actor="alice"):
    at = timezone.localdate()
    return services.task_register(
        actor=world.users[actor],
        person=world.alice,
        year=at.year,
        month=at.month,
        title=title,
        quantity=Decimal(1),
        due_date=at + datetime.timedelta(days=30),
    )


def test_beside_each_person_the_leader_finds_what_he_owes_this_month(world, catalogue):
    from thuocdo.reviews.monthly import services as monthly

    at = timezone.localdate()
    period = monthly.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=at.year,
        number=at.month,
        ruleset="nd-335-2025",
    )
    task = _this_month_task(world)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=at,
        quantity_done=Decimal(1),
        evidence_note="Đã gửi",
    )
    lena = _client(world, "lena")
    page = lena.get(reverse("work:team-detail")).content.decode()
    row = page[page.index(f'id="can-bo-{world.alice.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Duyệt kế hoạch" in row and "Xác nhận nhiệm vụ (1)" in row
    scoring = reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    assert scoring in row and "Còn 3 việc" in row
    assert "2</strong> người chưa được chấm điểm tháng" in page  # alice and carol
    lena.post(scoring, {"general": "28", "bonus": "0", "deductions": "0", "note": ""})
    page = lena.get(reverse("work:team-detail")).content.decode()
    row = page[page.index(f'id="can-bo-{world.alice.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Đã chấm 28,00 điểm" in row and "Còn 2 việc" in row
    # "Tháng của tôi" leads alice to her self-assessment of the city's month.
    mine = _client(world, "alice").get(reverse("work:month-detail")).content.decode()
    assert reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk]) in mine
    assert "tạm tính" in mine and "Điểm tháng đến nay:" in mine


def test_an_ended_month_shows_its_score_not_a_score_so_far(world):
    from thuocdo.reviews.monthly import services as monthly

    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    period = monthly.period_open(
        actor=world.users["root"], unit=world.city, kind="month", year=last.year,
        number=last.month, ruleset="nd-335-2025",
    )  # fmt: skip
    monthly.assessment_record(
        actor=world.users["lena"], period=period, person_id=world.alice.pk, source="leader",
        general=Decimal(28),
    )  # fmt: skip
    monthly.month_scores_compute(actor=world.users["root"], period=period)
    month = f"?thang={last.year}-{last.month:02d}"
    mine = _client(world, "alice").get(reverse("work:month-detail") + month).content.decode()
    assert "Điểm tháng:" in mine and "đến nay" not in mine


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


def test_each_list_of_the_queue_pages_on_its_own(client, world):
    """An organiser's queue holds a district: each list shows a page, says how many wait, and
    pages without losing the others' place."""
    from thuocdo.work import selectors
    from thuocdo.work.models import PlanState, Task, TaskState, WorkPlan

    at = timezone.localdate()
    plan = WorkPlan.objects.create(
        person=world.alice, year=at.year, month=at.month, state=PlanState.APPROVED
    )
    extra = selectors.QUEUE_PAGE + 5
    Task.objects.bulk_create(
        Task(
            plan=plan,
            title=f"Việc số {n:02d}",
            quantity=Decimal(1),
            due_date=at,
            state=TaskState.DONE,
            completed_on=at,
            quantity_done=Decimal(1),
        )
        for n in range(extra)
    )
    client.force_login(world.users["olga"])
    first = client.get(reverse("work:team-detail")).content.decode()
    # They are all Alice's, whom Lena leads: none is the organiser's own work.
    assert f"Hoàn thành chờ xác nhận ({extra}; việc của anh/chị: 0)" in first
    assert first.count('id="task-') == selectors.QUEUE_PAGE
    assert 'href="?ht=2#hoan-thanh"' in first
    second = client.get(reverse("work:team-detail") + "?kh=1&ht=2").content.decode()
    assert second.count('id="task-') == 5
    assert "Việc số 24" in second and "Việc số 00" not in second
    assert 'href="?kh=1&amp;ht=1#hoan-thanh"' in second  # back, the other list's page kept


def test_the_team_page_keeps_its_month_and_person_after_a_plan_or_exemption_decision(world):
    task = _this_month_task(world)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    at = timezone.localdate()
    month = f"{at.year}-{at.month:02d}"
    lena = _client(world, "lena")
    page = lena.get(reverse("work:team-detail"), {"thang": month, "can-bo": world.alice.pk})
    text = page.content.decode()
    start = text.index(reverse("work:plan-return", args=[task.plan.pk]))
    form = text[start : text.index("</form>", start)]
    assert f'name="thang" value="{month}"' in form
    assert f'name="can-bo" value="{world.alice.pk}"' in form
    response = lena.post(
        reverse("work:plan-return", args=[task.plan.pk]),
        {"reason": "Thiếu nhiệm vụ trọng tâm", "thang": month, "can-bo": world.alice.pk},
    )
    assert response["Location"] == (
        f"{reverse('work:team-detail')}?thang={month}&can-bo={world.alice.pk}"
    )
