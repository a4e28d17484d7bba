"""Finding 6: no second factor. With THUOCDO_REQUIRE_2FA, organisers, authorities and
administrators enrol a TOTP app and type its code after the password; others do not."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from thuocdo.audit.models import AuditEvent


@pytest.fixture
def two_factor(settings):
    settings.REQUIRE_2FA = True


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def _login(username: str) -> Client:
    client = Client()
    response = client.post("/dang-nhap/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_organiser_enrols_then_types_a_code_at_each_login(world, two_factor):
    client = _login("olga")
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"] == "/xac-thuc/dang-ky/?next=%2Fcan-bo%2F"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Đăng ký xác thực hai lớp" in text and "<svg" in text
    device = TOTPDevice.objects.get(user=world.users["olga"], confirmed=False)

    refused = client.post(response["Location"], {"otp_token": "000000"})
    assert "Mã không đúng" in refused.content.decode()
    # A wrong code holds the device back for a second (django-otp's throttle): time passes.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    done = client.post(response["Location"], {"otp_token": _code(device), "next": "/can-bo/"})
    assert done.status_code == 302 and done["Location"] == "/can-bo/"
    assert client.get("/can-bo/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrol").count() == 1

    # The next login asks for a code; the enrolment page is no longer offered.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a new 30-second step
    again = _login("olga")
    assert again.get("/can-bo/")["Location"].startswith("/xac-thuc/?next=")
    assert again.get("/xac-thuc/dang-ky/")["Location"] == "/xac-thuc/"
    assert again.get("/quan-tri/").status_code == 302
    assert again.post("/xac-thuc/", {"otp_token": _code(device)}).status_code == 302
    assert again.get("/can-bo/").status_code == 200


def test_the_api_asks_for_the_code(world, two_factor):
    client = _login("root")
    response = client.get("/api/people/")
    assert response.status_code == 403
    assert "xác thực hai lớp" in response.json()["errors"][0]

    device = TOTPDevice.objects.create(user=world.users["root"], name="app", confirmed=True)
    api = APIClient()
    url = reverse("api:token")
    no_code = api.post(url, {"username": "root", "password": PASSWORD})
    assert no_code.status_code == 400 and "otp" in no_code.json()["errors"][0]
    with_code = api.post(url, {"username": "root", "password": PASSWORD, "otp": _code(device)})
    assert with_code.status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token " + with_code.json()["token"])
    assert api.get("/api/people/").status_code == 200


@pytest.mark.parametrize("username", ["alice", "lena", "hana"])
def test_people_leaders_and_heads_log_in_with_a_password(world, two_factor, username):
    assert _login(username).get("/can-bo/").status_code == 200


@pytest.mark.parametrize("username", ["olga", "tam", "root"])
def test_the_roles_that_need_it(world, two_factor, username):
    assert _login(username).get("/can-bo/").status_code == 302


def test_without_the_setting_the_demo_logs_in_with_a_password(world, settings):
    settings.REQUIRE_2FA = False
    assert _login("olga").get("/can-bo/").status_code == 200
