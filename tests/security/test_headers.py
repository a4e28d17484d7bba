"""Finding 7: no CSP, no HSTS, no SSL redirect, and personnel pages, exports and the API sent
without `Cache-Control: no-store`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import thuocdo

TEMPLATES = sorted(
    p for p in Path(thuocdo.__file__).parent.rglob("*.html") if "templates" in p.parts
)


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_every_page_carries_a_policy_without_inline_script(world):
    response = _client(world, "olga").get("/can-bo/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_template_has_an_inline_script_or_event_handler(template):
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag, f"inline script in {template}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {template}"
    assert "javascript:" not in text


def test_swagger_ui_loads_its_start_up_script_from_a_url(world):
    page = _client(world, "olga").get("/api/schema/ui/").content.decode()
    assert not re.search(r"<script>(?!\s*</script>)", page)
    assert "<script src=" in page


def test_https_turns_on_the_redirect_hsts_and_secure_cookies(world, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    plain = Client().get("/dang-nhap/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = Client().get("/dang-nhap/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_the_https_flags_come_from_the_environment():
    import os
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='thuocdo.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("THUOCDO_")}
    for flag in ("THUOCDO_SECURE_COOKIES", "THUOCDO_HTTPS"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, flag: "true"},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.split()
        assert out == ["True", "True", "True", "True"], flag
    off = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert off == ["False", "False", "False", "False"]


def test_personnel_pages_exports_and_the_api_are_never_stored(world):
    client = _client(world, "olga")
    urls = [
        reverse("org:person-detail", args=[world.carol.pk]),
        reverse("careers:dossier-detail", args=[world.carol.pk]),
        reverse("careers:dossier-pdf", args=[world.carol.pk]),
        reverse("org:import-template", args=["people"]),
        reverse("api:person-detail", args=[world.carol.pk]),
        reverse("api:person-list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
