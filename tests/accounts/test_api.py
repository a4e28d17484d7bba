"""The accounts API: the same reach and services as the page."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.jobs.follow import run_queued
from thuocdo.org.models import RoleAssignment, User

from .conftest import workbook


def test_list_and_detail_are_scoped(client, world) -> None:
    client.force_login(world.users["olga"])
    body = client.get(reverse("accounts:api-account-list"), {"q": "hai"}).json()
    assert [a["username"] for a in body["results"]] == ["hana"]
    assert body["results"][0]["roles"] == [
        {
            "id": body["results"][0]["roles"][0]["id"],
            "role": "head",
            "unit": "Q1",
            "authority": None,
        }
    ]
    tam = world.users["tam"]
    assert client.get(reverse("accounts:api-account-detail", args=[tam.pk])).status_code == 404
    client.force_login(world.users["alice"])
    assert client.get(reverse("accounts:api-account-list")).status_code == 403


def test_import_runs_as_a_job_then_gives_the_problems_or_the_passwords_once(client, world):
    client.force_login(world.users["olga"])
    url = reverse("accounts:api-account-import")
    bad = client.post(url, {"file": workbook([["anhtv", "CB-B", "", "", ""]])})
    assert bad.status_code == 202
    run_queued()
    failed = client.get(bad.json()["result"]).json()
    assert failed["state"] == "failed" and "Tệp bị từ chối: 1 lỗi" in failed["error"]
    [problem] = failed["problems"]
    assert (problem["sheet"], problem["row"], problem["letter"]) == ("Tài khoản", 3, "B")
    assert failed["passwords"] is None and not User.objects.filter(username="anhtv").exists()
    good = client.post(url, {"file": workbook([["anhtv", "CB-C", "", "", ""]])})
    assert good.status_code == 202
    run_queued()
    done = client.get(good.json()["result"]).json()
    assert done["state"] == "done" and done["report"][0].startswith("Tài khoản: 1 tạo mới")
    passwords = client.get(done["passwords"])
    assert passwords.status_code == 200 and "no-store" in passwords["Cache-Control"]
    sheet = load_workbook(io.BytesIO(passwords.content))["Tài khoản mới"]
    [row] = list(sheet.iter_rows(min_row=3, values_only=True))
    assert User.objects.get(username="anhtv").check_password(str(row[5]))
    assert client.get(done["passwords"]).status_code == 410
    assert client.get(good.json()["result"]).json()["passwords"] is None


def test_an_import_job_is_only_followed_by_who_started_it(client, world) -> None:
    client.force_login(world.users["olga"])
    started = client.post(
        reverse("accounts:api-account-import"),
        {"file": workbook([["anhtv", "CB-C", "", "", ""]])},
    ).json()
    run_queued()
    client.force_login(world.users["root"])  # sees every job, not someone else's passwords
    assert client.get(started["result"]).status_code == 404
    passwords = reverse("accounts:api-account-import-passwords", args=[started["job"]])
    assert client.get(passwords).status_code == 404
    client.force_login(world.users["olga"])
    assert client.get(passwords).status_code == 200


def test_create_reset_and_grant(client, world) -> None:
    client.force_login(world.users["olga"])
    created = client.post(
        reverse("accounts:api-accounts-create"), {"unit": "Q1"}, content_type="application/json"
    )
    assert created.status_code == 201 and len(created.json()["created"]) == 1
    out = client.post(
        reverse("accounts:api-accounts-create"), {"unit": "Q2"}, content_type="application/json"
    )
    assert out.status_code == 404
    alice = world.users["alice"]
    reset = client.post(reverse("accounts:api-account-password-reset", args=[alice.pk]))
    assert User.objects.get(pk=alice.pk).check_password(reset.json()["password"])
    url = reverse("accounts:api-role-grant", args=[alice.pk])
    grant = client.post(url, {"role": "leader", "unit": "P1"}, content_type="application/json")
    assert grant.status_code == 201
    again = client.post(url, {"role": "leader", "unit": "P1"}, content_type="application/json")
    assert again.status_code == 200
    above = client.post(
        url, {"role": "authority", "authority": "BTV-TU"}, content_type="application/json"
    )
    assert above.status_code == 403
    assert RoleAssignment.objects.filter(user=alice).count() == 1


def test_password_change_applies_the_policy(client, world) -> None:
    client.force_login(world.users["alice"])
    url = reverse("accounts:api-password-change")
    weak = client.post(
        url,
        {"old_password": "Mat-khau-thu-2026", "new_password": "alice123"},
        content_type="application/json",
    )
    assert weak.status_code == 400
    ok = client.post(
        url,
        {"old_password": "Mat-khau-thu-2026", "new_password": "Hoa-sen-tren-ho-2026"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert User.objects.get(username="alice").check_password("Hoa-sen-tren-ho-2026")


def test_accounts_of_no_person_are_listed_apart(client, world) -> None:
    client.force_login(world.users["root"])
    body = client.get(reverse("accounts:api-unlinked-list")).json()
    assert [a["username"] for a in body["results"]] == ["nobody", "olga", "root", "tam"]
    client.force_login(world.users["olga"])  # her own, through her role over Q1
    body = client.get(reverse("accounts:api-unlinked-list")).json()
    assert [a["username"] for a in body["results"]] == ["olga"]
