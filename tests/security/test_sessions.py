"""Finding 6: sessions lasted two weeks with no idle timeout. Now an idle and an absolute
timeout, and the secret key the application refuses to serve with."""

from __future__ import annotations

import os
import subprocess
import sys

from django.test import Client

from tests.conftest import PASSWORD
from thuocdo.audit.models import AuditEvent
from thuocdo.security.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT


def _logged_in(username: str = "alice") -> Client:
    client = Client()
    assert (
        client.post("/dang-nhap/", {"username": username, "password": PASSWORD}).status_code == 302
    )
    assert client.get("/can-bo/").status_code == 200
    return client


def _age(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_an_idle_session_is_closed(world, settings):
    client = _logged_in()
    _age(client, SESSION_SEEN_AT, settings.SESSION_IDLE_SECONDS + 5)
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")
    assert client.get("/can-bo/").status_code == 302
    assert AuditEvent.objects.filter(
        action="auth.logout", note__contains="session_timeout"
    ).exists()


def test_a_session_in_use_still_ends_after_the_absolute_timeout(world, settings):
    client = _logged_in()
    _age(client, SESSION_SEEN_AT, settings.SESSION_IDLE_SECONDS - 60)
    assert client.get("/can-bo/").status_code == 200  # idle for less than the limit: kept
    _age(client, SESSION_LOGIN_AT, settings.SESSION_MAX_SECONDS + 5)
    assert client.get("/can-bo/").status_code == 302


def test_the_session_cookie_does_not_outlive_the_absolute_timeout(settings):
    assert settings.SESSION_COOKIE_AGE <= settings.SESSION_MAX_SECONDS <= 12 * 3600
    assert settings.SESSION_IDLE_SECONDS <= 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THUOCDO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean, timeout=120
    )


def test_the_site_refuses_to_start_with_the_default_secret_key():
    serve = _run("from thuocdo.cli import main; raise SystemExit(main(['serve', '127.0.0.1:1']))")
    assert serve.returncode == 2
    assert "THUOCDO_SECRET_KEY" in serve.stderr
    wsgi = _run("import thuocdo.wsgi")
    assert wsgi.returncode != 0
    assert "ImproperlyConfigured" in wsgi.stderr and "THUOCDO_SECRET_KEY" in wsgi.stderr


def test_the_site_starts_with_a_real_key_or_in_the_demo():
    assert _run("import thuocdo.wsgi", THUOCDO_SECRET_KEY="x" * 50).returncode == 0
    assert _run("import thuocdo.wsgi", THUOCDO_DEMO="true").returncode == 0


def test_two_factor_is_on_by_default_with_a_real_key_and_off_in_the_demo():
    show = (
        "from django.conf import settings as s; import django; django.setup(); print(s.REQUIRE_2FA)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "thuocdo.settings"}
    assert _run(show, THUOCDO_SECRET_KEY="x" * 50, **env).stdout.strip() == "True"
    assert _run(show, THUOCDO_DEMO="true", **env).stdout.strip() == "False"
    assert (
        _run(show, THUOCDO_SECRET_KEY="x" * 50, THUOCDO_REQUIRE_2FA="false", **env).stdout.strip()
        == "False"
    )
