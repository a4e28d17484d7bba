"""`thuocdo serve`: gunicorn with WhiteNoise, and a connection budget it refuses to exceed."""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from thuocdo.serve import budget

THUOCDO = str(Path(sys.executable).with_name("thuocdo"))


@pytest.mark.parametrize(
    ("workers", "threads", "cap", "refused"),
    [(2, 4, 20, False), (5, 4, 20, False), (6, 4, 20, True), (0, 4, 20, True)],
)
def test_the_budget_is_workers_times_threads(workers, threads, cap, refused):
    assert (budget(workers, threads, cap) is not None) == refused


def test_serve_refuses_to_start_over_the_cap():
    env = os.environ | {"THUOCDO_WEB_WORKERS": "6", "THUOCDO_WEB_THREADS": "4",
                        "THUOCDO_DEMO": "true", "THUOCDO_DB_MAX_CONNECTIONS": "20"}  # fmt: skip
    result = subprocess.run([THUOCDO, "serve", "127.0.0.1:1"], env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert "6 tiến trình × 4 luồng = 24 kết nối" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


def _others() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_pages_static_files_and_keeps_to_its_pool(tmp_path):
    """2 processes × 2 threads under 40 concurrent requests: every answer 200, the vendored
    htmx served by WhiteNoise, and on PostgreSQL at most 4 connections held."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"THUOCDO_WEB_WORKERS": "2", "THUOCDO_WEB_THREADS": "2", "THUOCDO_DEMO": "true"}
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    else:
        env["THUOCDO_SQLITE_PATH"] = str(tmp_path / "serve.sqlite3")
        subprocess.run([THUOCDO, "migrate", "-v0"], env=env, check=True, timeout=300)
    base = f"http://127.0.0.1:{_free_port()}"
    server = subprocess.Popen([THUOCDO, "serve", base.removeprefix("http://")], env=env)
    try:
        for _ in range(100):
            try:
                status, body = _get(base + "/suc-khoe/")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200
        health = json.loads(body)
        assert health["status"] == "ok"
        assert health["database_pool"] == (2 if connection.vendor == "postgresql" else None)
        status, body = _get(base + "/static/vendor/htmx-2.0.11/htmx.min.js")
        assert status == 200
        assert b"htmx" in body[:2000]
        with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
            answers = list(pool.map(lambda _: _get(base + "/dang-nhap/")[0], range(40)))
        assert answers == [200] * 40
        if connection.vendor == "postgresql":
            assert _others() <= 4
    finally:
        server.terminate()
        server.wait(timeout=30)
