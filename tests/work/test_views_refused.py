"""The forms of «Tháng của tôi» and «Đơn vị của tôi» follow Post/Redirect/Get when refused: the
POST answers a redirect to the page, at the row the form sits in, which shows the Vietnamese
reason there and what the user typed, once; reloading it sends nothing again and shows the page
afresh. (A page rendered in answer to the POST would be sent again by a reload.)"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.refused import refused_page
from tests.work.helpers import complete, register
from thuocdo.work import services
from thuocdo.work.models import Exemption, ExemptionState, PlanState, Task, TaskState

MONTH = reverse("work:month-detail")
TEAM = reverse("work:team-detail")


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _refused(client: Client, url: str, data: Mapping[str, object], page: str) -> str:
    """A refused form of the work pages: nothing is written, no task either."""
    return refused_page(client, url, data, page, Task)


def _row(page: str, row_id: str) -> str:
    found = re.search(rf'<(tr|article) id="{row_id}">.*?</\1>', page, re.S)
    assert found is not None, row_id
    return found[0]


def _this_month(world) -> Task:
    at = timezone.localdate()
    return services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=at.year,
        month=at.month,
        title="Báo cáo tuần",
        quantity=Decimal(1),
        due_date=at + datetime.timedelta(days=30),
    )


def _month_url(anchor: str) -> str:
    at = timezone.localdate()
    return f"{MONTH}?thang={at.year}-{at.month:02d}#{anchor}"


def test_a_refused_completion_lands_on_its_row_with_the_reason_and_the_evidence_typed(world):
    task = _this_month(world)
    alice = _client(world, "alice")
    at = timezone.localdate()
    typed = {
        "completed_on": (at + datetime.timedelta(days=2)).isoformat(),
        "quantity_done": "0.5",
        "evidence_note": "Biên bản họp tổ dân phố",
    }
    page = _refused(
        alice,
        reverse("work:task-complete", args=[task.pk]),
        typed,
        _month_url(f"nhiem-vu-{task.pk}"),
    )
    row = _row(page, f"nhiem-vu-{task.pk}")
    assert re.search(r'role="alert"[^>]*>Ngày hoàn thành không được sau hôm nay', row)
    assert page.count("Ngày hoàn thành không được sau hôm nay") == 1
    assert "Biên bản họp tổ dân phố</textarea>" in row and 'value="0.5"' in row
    task.refresh_from_db()
    assert task.state != TaskState.DONE and task.completed_on is None
    again = alice.get(_month_url("")).content.decode()
    assert "không được sau hôm nay" not in again and "Biên bản họp tổ dân phố" not in again
    assert 'role="alert"' not in again


def test_a_refused_progress_keeps_the_number_and_the_note(world):
    task = _this_month(world)
    page = _refused(
        _client(world, "alice"),
        reverse("work:task-progress", args=[task.pk]),
        {"percent": "140", "note": "Đã xong phần khảo sát"},
        _month_url(f"nhiem-vu-{task.pk}"),
    )
    row = _row(page, f"nhiem-vu-{task.pk}")
    assert 'role="alert"' in row and "100" in row
    assert 'value="140"' in row and 'value="Đã xong phần khảo sát"' in row
    assert "<details open><summary>Cập nhật tiến độ" in row


def test_a_refused_registration_keeps_the_text_and_says_why_above_the_form(world, catalogue):
    task = _this_month(world)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    services.plan_approve(actor=world.users["lena"], plan=task.plan)
    at = timezone.localdate()
    alice = _client(world, "alice")
    page = _refused(
        alice,
        reverse("work:task-register"),
        {
            "thang": f"{at.year}-{at.month:02d}",
            "product_type": catalogue.report.pk,
            "title": "Rà soát hồ sơ đất đai khu phố 3",
            "quantity": "2",
            "due_date": at.isoformat(),
        },
        _month_url("dang-ky"),
    )
    form = page[page.index('id="dang-ky"') :]
    assert re.search(r'role="alert">Kế hoạch tháng đã gửi', form)
    assert 'value="Rà soát hồ sơ đất đai khu phố 3"' in form
    # Reloaded: the approved plan offers no registration any more.
    again = alice.get(_month_url("")).content.decode()
    assert "Rà soát hồ sơ" not in again and reverse("work:task-register") not in again
    assert "nhiệm vụ phát sinh do lãnh đạo giao" in again


def test_a_registration_in_a_past_month_is_refused_there(world, catalogue):
    at = timezone.localdate()
    last = at.replace(day=1) - datetime.timedelta(days=1)
    key = f"{last.year}-{last.month:02d}"
    page = _refused(
        _client(world, "alice"),
        reverse("work:task-register"),
        {"thang": key, "product_type": catalogue.report.pk, "title": "Muộn", "quantity": "1",
         "due_date": at.isoformat()},
        f"{MONTH}?thang={key}#dang-ky",
    )  # fmt: skip
    assert "Tháng đã qua không nhận đăng ký nhiệm vụ mới." in page
    assert 'value="Muộn"' in page
    assert not Task.objects.exists()
    again = _client(world, "alice").get(f"{MONTH}?thang={key}").content.decode()
    assert reverse("work:task-register") not in again


def test_a_registration_missing_a_field_shows_the_field_error_after_the_redirect(world):
    page = _refused(
        _client(world, "alice"),
        reverse("work:task-register"),
        {"title": "Thiếu số lượng", "due_date": timezone.localdate().isoformat()},
        _month_url("dang-ky"),
    )
    form = page[page.index('id="dang-ky"') :]
    assert 'value="Thiếu số lượng"' in form and "errorlist" in form


def test_a_refused_plan_return_and_approval_on_the_team_page(world):
    task = _this_month(world)
    services.plan_submit(actor=world.users["alice"], plan=task.plan)
    at = timezone.localdate()
    month = f"{at.year}-{at.month:02d}"
    lena = _client(world, "lena")
    back = f"{TEAM}?thang={month}&can-bo={world.alice.pk}"
    # An empty reason: the form's own refusal, shown in the plan's row.
    page = _refused(
        lena,
        reverse("work:plan-return", args=[task.plan.pk]),
        {"reason": "", "thang": month, "can-bo": world.alice.pk},
        f"{back}#ke-hoach-{task.plan.pk}",
    )
    assert 'role="alert"' in _row(page, f"ke-hoach-{task.plan.pk}")
    # Approved meanwhile (a second tab): the row is gone, the reason shows above the lists.
    services.plan_approve(actor=world.users["lena"], plan=task.plan)
    page = _refused(
        lena,
        reverse("work:plan-return", args=[task.plan.pk]),
        {"reason": "Thiếu nhiệm vụ trọng tâm", "thang": month, "can-bo": world.alice.pk},
        f"{back}#ke-hoach-{task.plan.pk}",
    )
    top = page[: page.index('id="con-lai"')]
    assert re.search(r'role="alert">Chỉ trả lại được kế hoạch đang chờ duyệt', top)
    task.plan.refresh_from_db()
    assert task.plan.state == PlanState.APPROVED
    assert "Chỉ trả lại được" not in lena.get(back).content.decode()


def test_a_refused_exemption_decision_keeps_its_reason_in_its_row(world, catalogue):
    task = complete(world, register(world, catalogue, due=10), on=12)
    exemption = services.exemption_request(
        actor=world.users["alice"], task=task, kind="delay", reason="Bão"
    )
    lena = _client(world, "lena")
    page = _refused(
        lena,
        reverse("work:exemption-decide", args=[exemption.pk]),
        {"confirm": "không rõ", "reason": "Có xác nhận của phường"},
        f"{TEAM}#mien-tru-{exemption.pk}",
    )
    row = _row(page, f"mien-tru-{exemption.pk}")
    assert 'role="alert"' in row and 'value="Có xác nhận của phường"' in row
    exemption.refresh_from_db()
    assert exemption.state == ExemptionState.PENDING
    again = lena.get(TEAM).content.decode()
    assert "Có xác nhận của phường" not in again and 'role="alert"' not in again
    assert Exemption.objects.count() == 1


def test_a_verification_without_htmx_goes_back_to_its_row(world, catalogue):
    task = complete(world, register(world, catalogue, due=20), on=12)
    lena = _client(world, "lena")
    page = _refused(
        lena,
        reverse("work:task-verify", args=[task.pk]),
        {"verdict": "chua_dat", "reason": ""},
        f"{TEAM}#task-{task.pk}",
    )
    assert re.search(r'role="alert"[^>]*>Cần ghi lý do chưa đạt', _row(page, f"task-{task.pk}"))
    page = _refused(
        lena,
        reverse("work:task-verify", args=[task.pk]),
        {"verdict": "khong-co", "reason": "Thiếu chữ ký"},
        f"{TEAM}#task-{task.pk}",
    )
    assert 'value="Thiếu chữ ký"' in _row(page, f"task-{task.pk}")
    task.refresh_from_db()
    assert task.state == TaskState.DONE
