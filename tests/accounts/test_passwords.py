"""The password policy, the change page for everyone, and the one-time password's first login."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from thuocdo.accounts import services
from thuocdo.audit.models import AuditEvent
from thuocdo.demo.registry import DEMO_PASSWORD
from thuocdo.demo.registry.build import LOGIN_USERNAMES
from thuocdo.org.models import User

NEW = "Hoa-sen-tren-ho-2026"


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [
        ("canhan", "canhan123", "quá ngắn"),
        ("canhan", "canhan12345", "quá giống"),
        ("canhan", "canhan123456", "chứa tên đăng nhập"),
        ("canhan", "1234567890123", "hoàn toàn là số"),
        ("canhan", "password123", "quá phổ biến"),
        ("nhungnth", "NhungNTH-2026!", "chứa tên đăng nhập"),
    ],
)
def test_weak_passwords_are_refused(username: str, password: str, reason: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_password(password, User(username=username))
    assert any(reason in message for message in error.value.messages)


@pytest.mark.parametrize("username", LOGIN_USERNAMES)
def test_the_demo_password_meets_the_policy(username: str) -> None:
    validate_password(DEMO_PASSWORD, User(username=username))


def test_every_user_can_change_their_password(client, world) -> None:
    alice = world.users["alice"]
    client.force_login(alice)
    page = client.get(reverse("web:home")).content.decode()
    assert reverse("accounts:password-change") in page and "Đổi mật khẩu" in page
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "Mat-khau-thu-2026", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    assert AuditEvent.objects.filter(action="user.password_change", actor=alice).count() == 1
    assert client.get(reverse("web:home")).status_code == 200  # still logged in


def test_a_weak_new_password_is_refused_with_the_reason(client, world) -> None:
    client.force_login(world.users["alice"])
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "Mat-khau-thu-2026",
            "new_password1": "alice12345",
            "new_password2": "alice12345",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu không được chứa tên đăng nhập." in response.content.decode()
    assert User.objects.get(username="alice").check_password("Mat-khau-thu-2026")


def _onetime(world, name: str = "alice") -> tuple[User, str]:
    user = world.users[name]
    password = services.account_password_reset(actor=world.users["root"], user=user)
    return User.objects.get(pk=user.pk), password


def test_a_onetime_password_must_be_changed_before_anything_else(client, world) -> None:
    user, password = _onetime(world)
    assert client.login(username="alice", password=password)
    for url in [reverse("web:home"), reverse("org:person-list"), reverse("work:month-detail")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:password-change") + "?next=")
    api = client.get(reverse("api:person-list"))
    assert api.status_code == 403 and "đổi mật khẩu" in api.json()["detail"]
    page = client.get(reverse("accounts:password-change"))
    assert "mật khẩu một lần" in page.content.decode()
    response = client.post(
        reverse("accounts:password-change") + "?next=/can-bo/",
        {"old_password": password, "new_password1": NEW, "new_password2": NEW, "next": "/can-bo/"},
    )
    assert response.status_code == 302 and response["Location"] == "/can-bo/"
    user.refresh_from_db()
    assert not user.must_change_password and user.onetime_password_expires is None
    assert client.get(reverse("web:home")).status_code == 200


def test_the_change_page_does_not_redirect_elsewhere(client, world) -> None:
    _, password = _onetime(world)
    client.login(username="alice", password=password)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": NEW, "new_password2": NEW,
         "next": "https://evil.example/"},
    )  # fmt: skip
    assert response["Location"] == reverse("web:home")


def test_a_token_caller_with_a_onetime_password_is_refused(client, world) -> None:
    from knox.models import AuthToken

    user, _ = _onetime(world)
    _, token = AuthToken.objects.create(user=user)
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(reverse("api:person-list"), **headers).status_code == 403
    response = client.post(
        reverse("accounts:api-password-change"),
        {"old_password": "wrong", "new_password": NEW},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400


def test_an_expired_onetime_password_no_longer_logs_in(client, world) -> None:
    user, password = _onetime(world)
    user.onetime_password_expires = timezone.now() - datetime.timedelta(minutes=1)
    user.save()
    assert not client.login(username="alice", password=password)
    user.onetime_password_expires = timezone.now() + datetime.timedelta(days=1)
    user.save()
    assert client.login(username="alice", password=password)


def test_demo_logins_are_not_asked_to_change_their_password(db) -> None:
    from thuocdo.demo.registry import demo_build

    demo_build(people=100)
    flagged = User.objects.filter(username__in=LOGIN_USERNAMES, must_change_password=True)
    assert User.objects.filter(username__in=LOGIN_USERNAMES).count() == len(LOGIN_USERNAMES)
    assert not flagged.exists()


def test_an_organiser_with_a_onetime_password_enrols_the_second_factor_first(
    client, world, settings
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.REQUIRE_2FA = True
    _, password = _onetime(world, "olga")
    client.post("/dang-nhap/", {"username": "olga", "password": password})
    enrol = client.get("/can-bo/")["Location"]
    assert enrol.startswith("/xac-thuc/dang-ky/")
    assert client.get(reverse("accounts:password-change")).status_code == 302  # not yet
    assert client.get(enrol).status_code == 200  # no loop between the two
    device = TOTPDevice.objects.get(user=world.users["olga"])
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    done = client.post(enrol, {"otp_token": f"{code:0{device.digits}d}"})
    assert done.status_code == 302
    # Signed in with both factors: now the one-time password must go.
    assert client.get("/can-bo/")["Location"].startswith(reverse("accounts:password-change"))
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": password, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert client.get("/can-bo/").status_code == 200
