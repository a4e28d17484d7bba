"""Finding 6: API tokens never expired, survived logout and were stored in clear (the admin
listed them). Now: knox tokens, a digest at rest, an expiry, revoked by either logout."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import PASSWORD


def _token(username: str) -> tuple[APIClient, str]:
    api = APIClient()
    response = api.post(reverse("api:token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    api.credentials(HTTP_AUTHORIZATION="Token " + body["token"])
    return api, body["token"]


def test_the_contract_holds_and_the_token_is_kept_only_as_a_digest(world):
    api, token = _token("olga")
    assert api.get(reverse("api:person-detail", args=[world.carol.pk])).status_code == 200
    stored = AuthToken.objects.get(user=world.users["olga"])
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[: len(stored.token_key)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        assert token not in repr(cursor.fetchall())


def test_a_wrong_password_gets_no_token(world):
    response = APIClient().post(reverse("api:token"), {"username": "olga", "password": "x"})
    assert response.status_code == 400
    assert response.json() == {"errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]}


def test_a_token_expires(world):
    api, _ = _token("olga")
    AuthToken.objects.filter(user=world.users["olga"]).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert api.get(reverse("api:person-list")).status_code in (401, 403)


def test_the_api_logout_revokes_the_token_used_and_logoutall_every_token(world):
    first, _ = _token("olga")
    second, _ = _token("olga")
    third, _ = _token("olga")
    assert first.post(reverse("api:token-logout")).status_code == 204
    assert first.get(reverse("api:person-list")).status_code in (401, 403)
    assert second.get(reverse("api:person-list")).status_code == 200
    assert second.post(reverse("api:token-logout-all")).status_code == 204
    assert third.get(reverse("api:person-list")).status_code in (401, 403)


def test_logging_out_of_the_site_revokes_the_users_tokens(world):
    api, _ = _token("olga")
    other, _ = _token("alice")
    client = Client()
    client.post("/dang-nhap/", {"username": "olga", "password": PASSWORD})
    session_key = client.session.session_key
    client.post("/dang-xuat/")
    assert api.get(reverse("api:person-list")).status_code in (401, 403)
    assert other.get(reverse("api:person-list")).status_code == 200
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()


def test_the_admin_lists_tokens_without_their_secret(world):
    _, token = _token("olga")
    client = Client()
    client.force_login(world.users["root"])
    page = client.get("/quan-tri/knox/authtoken/")
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert token[8:] not in page.content.decode()
