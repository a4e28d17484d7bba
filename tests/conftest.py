"""The cast every test can use: a small city with two sibling districts.

    TP  Thành phố Mẫu
    ├── Q1  Quận Một ── P1  Phường Một (Q1) ── CB1 Chi bộ khu phố 1
    └── Q2  Quận Hai ── P2  Phường Hai (Q2)

alice (công chức, P1) · carol (công chức, P1) · lena (phó chủ tịch P1, leads P1)
hana (chủ tịch Q1, head of Q1, managed by BTV Thành ủy) · bob (công chức, P2, sibling district)
Logins: alice, lena (leader of P1), hana (head of Q1), olga (organiser of Q1),
tam (authority: BTV Thành ủy), root (system administrator), nobody (no role at all).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection

from thuocdo.org import services
from thuocdo.org.models import Authority, Person, Unit, User

PASSWORD = "Mat-khau-thu-2026"


@dataclass
class World:
    city: Unit
    q1: Unit
    q2: Unit
    p1: Unit
    p2: Unit
    cell: Unit
    btv: Authority
    alice: Person
    carol: Person
    lena: Person
    hana: Person
    bob: Person
    users: dict[str, User]


def _person(code: str, name: str, gender: str, year: int, user: User | None = None) -> Person:
    return services.person_create(
        None,
        code=code,
        full_name=name,
        birth_date=datetime.date(year, 3, 15),
        gender=gender,
        category="civil_servant",
        is_party_member=True,
        user=user,
    )


def _post(person: Person, unit: Unit, title: str, **extra: object) -> None:
    services.post_create(
        None, person=person, unit=unit, title=title, start_date=datetime.date(2020, 1, 1), **extra
    )


def _user(name: str, *, admin: bool = False) -> User:
    return services.user_create(
        actor=None, username=name, password=PASSWORD, is_staff=admin, is_superuser=admin
    )


@pytest.fixture
def world(db: None) -> World:
    """Build the cast."""
    return world_build()


def world_build() -> World:
    """The cast, built through the services (also outside pytest: tests/ops/build_city.py)."""
    mk = services.unit_create
    city = mk(actor=None, code="TP", name="Thành phố Mẫu", kind="party")
    q1 = mk(actor=None, code="Q1", name="Quận Một", kind="state", parent=city)
    q2 = mk(actor=None, code="Q2", name="Quận Hai", kind="state", parent=city)
    p1 = mk(actor=None, code="P1", name="Phường Một", kind="state", parent=q1)
    p2 = mk(actor=None, code="P2", name="Phường Hai", kind="state", parent=q2)
    cell = mk(actor=None, code="CB1", name="Chi bộ khu phố 1", kind="party_cell", parent=p1)
    btv = services.authority_create(actor=None, code="BTV-TU", name="BTV Thành ủy", unit=city)

    users = {n: _user(n) for n in ["alice", "lena", "hana", "olga", "tam", "nobody"]}
    users["root"] = _user("root", admin=True)
    alice = _person("CB-A", "Nguyễn Thị Hồng Nhung", "female", 1990, users["alice"])
    carol = _person("CB-C", "Trần Văn Ánh", "male", 1985)
    lena = _person("CB-L", "Lê Thị Lan", "female", 1980, users["lena"])
    hana = _person("CB-H", "Hoàng Văn Hải", "male", 1972, users["hana"])
    bob = _person("CB-B", "Bùi Văn Bình", "male", 1988)
    _post(alice, p1, "Công chức Văn phòng - Thống kê", duty_group="CC-VP")
    _post(carol, p1, "Công chức Tư pháp - Hộ tịch", duty_group="CC-TP")
    _post(lena, p1, "Phó Chủ tịch UBND phường", is_deputy=True)
    _post(hana, q1, "Chủ tịch UBND quận", is_head=True, managed_by=btv)
    _post(bob, p2, "Công chức Văn phòng - Thống kê", duty_group="CC-VP")

    services.role_assign(actor=None, user=users["lena"], role="leader", unit=p1)
    services.role_assign(actor=None, user=users["hana"], role="head", unit=q1)
    services.role_assign(actor=None, user=users["olga"], role="organiser", unit=q1)
    services.role_assign(actor=None, user=users["tam"], role="authority", authority=btv)
    return World(city, q1, q2, p1, p2, cell, btv, alice, carol, lena, hana, bob, users)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """The cast's logins are hashed with PBKDF2 otherwise: seconds per test on two cores."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "thuocdo.accounts.hashers.OneTimePasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    """Uploaded files (evidence, workbooks waiting for their import job) go to the test's own
    folder, never the checkout's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _no_page_kept() -> None:
    """Each test starts with no reused page (thuocdo/web/pagecache.py): a rolled-back
    test's data stamp can come back in the next one."""
    caches["pages"].clear()


@pytest.fixture
def browser_env() -> None:
    """Playwright's sync API runs an event loop in the test thread; Django's async guard
    would refuse the test's own database calls, which are not concurrent here."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """On PostgreSQL, end any session still open on the test database before it is dropped: a
    live server's request thread can outlive the browser that sent the request, and the drop
    would then fail with "being accessed by other users" and leave the database behind."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
