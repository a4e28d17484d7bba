"""The organiser's «Tài khoản» page: upload, create for a subtree, list, one account."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.jobs.follow import follow_job
from thuocdo.accounts.jobs import ACCOUNTS_IMPORT, PASSWORDS
from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.models import Job, JobState
from thuocdo.org.models import Person, Role, RoleAssignment, User

from .conftest import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content))["Tài khoản mới"].iter_rows(
        min_row=3, values_only=True
    ))  # fmt: skip


def test_the_page_is_in_the_organisers_menu_only(client, world) -> None:
    client.force_login(world.users["olga"])
    assert reverse("accounts:account-list") in client.get(reverse("web:home")).content.decode()
    page = client.get(reverse("accounts:account-list")).content.decode()
    assert "Tạo tài khoản cho cán bộ chưa có" in page and "Nhập tài khoản và vai trò" in page
    for name in ["alice", "lena", "hana", "tam", "nobody"]:
        client.force_login(world.users[name])
        assert reverse("accounts:account-list") not in client.get("/").content.decode()
        assert client.get(reverse("accounts:account-list")).status_code == 403
        assert client.get(reverse("accounts:account-template")).status_code == 403


def test_the_list_shows_accounts_in_reach_and_searches_without_diacritics(client, world):
    client.force_login(world.users["olga"])
    page = client.get(reverse("accounts:account-list")).content.decode()
    for login in ["alice", "lena", "hana", "olga"]:
        assert f">{login}</a>" in page
    for login in ["tam", "root", "nobody"]:
        assert f">{login}</a>" not in page
    found = client.get(reverse("accounts:account-list"), {"q": "nhung"}, HTTP_HX_REQUEST="true")
    body = found.content.decode()
    assert ">alice</a>" in body and ">lena</a>" not in body and "<h1>" not in body


def test_creating_for_a_subtree_downloads_the_onetime_passwords(client, world) -> None:
    client.force_login(world.users["olga"])
    response = client.post(reverse("accounts:accounts-create"), {"unit": "P1"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "no-store" in response["Cache-Control"]
    [(number, name, code, unit, login, password)] = _rows(response.content)
    assert (number, name, code, unit, login) == (1, "Trần Văn Ánh", "CB-C", "Phường Một", "anhtv")
    assert User.objects.get(username="anhtv").check_password(password)
    # Nothing left to create: the page says so.
    again = client.post(reverse("accounts:accounts-create"), {"unit": "P1"}, follow=True)
    assert "đều đã có tài khoản" in again.content.decode()


def test_a_unit_out_of_reach_reads_like_a_missing_one(client, world) -> None:
    client.force_login(world.users["olga"])
    for code in ["P2", "KHONG-CO", "TP"]:
        response = client.post(reverse("accounts:accounts-create"), {"unit": code})
        assert response.status_code == 400
        assert "Không có đơn vị mang mã này trong phạm vi bạn quản lý." in response.content.decode()
    assert Person.objects.get(code="CB-B").user is None


def test_the_import_lists_problems_or_offers_the_new_passwords_once(client, world) -> None:
    client.force_login(world.users["olga"])
    url = reverse("accounts:account-import")
    bad = workbook([["anhtv", "CB-B", "", "", ""]])
    upload = SimpleUploadedFile("tk.xlsx", bad.getvalue(), content_type=XLSX)
    body = follow_job(client, client.post(url, {"file": upload})).content.decode()
    assert "Tệp bị từ chối: 1 lỗi" in body and "dòng 3, cột B «Mã cán bộ»" in body
    good = workbook([["anhtv", "CB-C", "Lãnh đạo trực tiếp", "P1", ""]])
    upload = SimpleUploadedFile("tk.xlsx", good.getvalue(), content_type=XLSX)
    body = follow_job(client, client.post(url, {"file": upload})).content.decode()
    assert "Tài khoản: 1 tạo mới, 0 cập nhật, 0 không thay đổi." in body
    assert "Tải tệp mật khẩu một lần" in body and "<strong>chỉ một lần</strong>" in body
    job = Job.objects.get(kind=ACCOUNTS_IMPORT, state=JobState.DONE)
    download = client.get(reverse("jobs:job-file", args=[job.pk, PASSWORDS]))
    assert download["Content-Type"] == XLSX and "no-store" in download["Cache-Control"]
    [row] = _rows(download.content)
    assert row[4] == "anhtv" and User.objects.get(username="anhtv").check_password(row[5])
    again = client.get(reverse("jobs:job-file", args=[job.pk, PASSWORDS]))
    assert again.status_code == 410 and "chỉ tải được một lần" in again.content.decode()
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert (
        "đã tải về lúc" in page and reverse("jobs:job-file", args=[job.pk, PASSWORDS]) not in page
    )
    # The same file again: nothing new, no passwords to download.
    upload = SimpleUploadedFile("tk.xlsx", good.getvalue(), content_type=XLSX)
    body = follow_job(client, client.post(url, {"file": upload})).content.decode()
    assert "Tài khoản: 0 tạo mới, 0 cập nhật, 1 không thay đổi." in body
    assert "Tải tệp mật khẩu một lần" not in body


def test_the_template_opens_on_its_instructions_with_an_example_row(client, world) -> None:
    client.force_login(world.users["olga"])
    wb = load_workbook(io.BytesIO(client.get(reverse("accounts:account-template")).content))
    assert wb.sheetnames[:2] == ["Hướng dẫn", "Tài khoản"]
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == wb.sheetnames[:2]
    assert wb["Tài khoản"]["A2"].value == "nhungnth"  # the example row, which the import skips


def test_one_account_page_resets_grants_and_revokes(client, world) -> None:
    olga, alice = world.users["olga"], world.users["alice"]
    client.force_login(olga)
    url = reverse("accounts:account-detail", args=[alice.pk])
    assert "Nguyễn Thị Hồng Nhung" in client.get(url).content.decode()
    page = client.post(reverse("accounts:account-password-reset", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.must_change_password
    password = page.context["onetime_password"]
    assert password in page.content.decode() and alice.check_password(password)
    response = client.post(
        reverse("accounts:role-grant", args=[alice.pk]), {"role": "leader", "target": "P1"}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=alice, role=Role.LEADER)
    refused = client.post(
        reverse("accounts:role-grant", args=[alice.pk]), {"role": "leader", "target": "P2"}
    )
    assert refused.status_code == 400
    client.post(reverse("accounts:role-revoke", args=[alice.pk, assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    client.post(reverse("accounts:account-active", args=[alice.pk]), {"active": "0"})
    assert not User.objects.get(pk=alice.pk).is_active
    events = AuditEvent.objects.filter(actor=olga).exclude(action="auth.login")
    actions = set(events.values_list("action", flat=True))
    assert actions == {"user.password_reset", "role.assign", "role.revoke", "user.deactivate"}


def test_accounts_out_of_reach_answer_404_or_403(client, world) -> None:
    client.force_login(world.users["olga"])
    for name in ["tam", "root", "nobody"]:  # not in her subtree: like a missing account
        user = world.users[name]
        assert client.get(reverse("accounts:account-detail", args=[user.pk])).status_code == 404
        reset = client.post(reverse("accounts:account-password-reset", args=[user.pk]))
        assert reset.status_code == 404
    assert client.get(reverse("accounts:account-detail", args=[99999])).status_code == 404
    # hana, head of Q1, also holds a post managed by the city's board: olga sees her account
    # and may change it; tam the authority member is someone olga may neither see nor change.
    hana = world.users["hana"]
    assert client.get(reverse("accounts:account-detail", args=[hana.pk])).status_code == 200


def test_a_name_that_looks_like_a_formula_stays_text(tmp_path) -> None:
    from thuocdo.accounts.services import Credential
    from thuocdo.accounts.workbooks import credentials_write

    target = tmp_path / "mk.xlsx"
    credentials_write([Credential('=HYPERLINK("x")', "CB1", "+P1", "abc", "-pw")], target)
    row = next(load_workbook(target)["Tài khoản mới"].iter_rows(min_row=3))
    assert row[1].value == '=HYPERLINK("x")'
    assert row[1].data_type == "s"  # text, not a formula ("f")


def test_a_subtree_too_large_for_one_request_points_to_the_command(client, world, settings):
    settings.THUOCDO_ACCOUNTS_PAGE_LIMIT = 0
    client.force_login(world.users["olga"])
    response = client.post(reverse("accounts:accounts-create"), {"unit": "P1"})
    assert response.status_code == 400
    assert "thuocdo accounts create --unit P1" in response.content.decode()
    assert Person.objects.get(code="CB-C").user is None


def test_the_creation_form_starts_with_the_organisers_unit(client, world) -> None:
    client.force_login(world.users["olga"])
    page = client.get(reverse("accounts:account-list"))
    assert page.context["create_form"]["unit"].value() == "Q1"
