"""Reports are scoped by thuocdo.org.scope: an outsider's request for another district's
report answers 404 on the page, the exports and the API, exactly like a missing unit."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.reports.conftest import import_as, workbook_bytes
from thuocdo.reports.common.permissions import (
    access_report_unit,
    may_import_history,
    may_see_reports,
    report_root_units,
)

PAGES = ["reports:distribution", "reports:distribution-xlsx", "reports:distribution-pdf"]


@pytest.fixture
def history(world):
    rows = [
        ["CB-B", "", "P2", 2021, "Đảng viên", "HTXS"],
        ["CB-A", "", "P1", 2021, "Đảng viên", "HTT"],
    ]
    import_as(world, "root", workbook_bytes(rows))
    return world


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("code", ["Q2", "P2", "TP", "NO-SUCH-UNIT"])
def test_an_organiser_of_a_sibling_district_gets_404_on_pages_and_exports(history, name, code):
    response = _client("olga").get(reverse(name), {"unit": code, "year": "2021"})
    assert response.status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xlsx", "pdf"])
@pytest.mark.parametrize("code", ["Q2", "NO-SUCH-UNIT"])
def test_an_outsider_gets_the_same_404_from_the_api(history, fmt, code):
    client = APIClient()
    client.force_authenticate(history.users["olga"])
    response = client.get(
        "/api/reports/distribution", {"unit": code, "year": "2021", "format": fmt}
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy đơn vị."}


@pytest.mark.parametrize("name", PAGES)
def test_the_organiser_opens_their_own_district(history, name):
    assert _client("olga").get(reverse(name), {"unit": "Q1", "year": "2021"}).status_code == 200


def test_access_follows_the_scope(world):
    assert access_report_unit(world.users["hana"], "P1") == world.p1
    assert access_report_unit(world.users["root"], "Q2") == world.q2
    for username in ("hana", "olga", "lena", "tam", "alice", "nobody"):
        with pytest.raises(Http404):
            access_report_unit(world.users[username], "Q2")


def test_who_sees_and_who_imports(world):
    users = world.users
    assert [may_see_reports(users[n]) for n in ("root", "olga", "hana", "lena", "alice")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert [may_import_history(users[n]) for n in ("root", "olga", "hana")] == [True, True, False]
    assert report_root_units(users["olga"]) == [world.q1]
    assert report_root_units(users["root"]) == [world.city]
    assert report_root_units(users["lena"]) == []


def test_a_login_without_reports_gets_404_on_the_page(world):
    assert _client("lena").get(reverse("reports:distribution")).status_code == 404
