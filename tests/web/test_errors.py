"""Error pages speak Vietnamese, in the site's layout, with the way back; the API in JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import World
from thuocdo.web import errors

ENGLISH = ["Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification"]


def _assert_page(body: str, title: str) -> None:
    assert title in body
    assert "Bạn có thể làm gì" in body
    assert 'href="/"' in body
    for word in ENGLISH:
        assert word not in body


def test_404_is_vietnamese_in_the_layout(client: Client, world: World) -> None:
    client.force_login(world.users["alice"])
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    _assert_page(body, "Không tìm thấy trang")
    assert 'aria-label="Tài khoản alice"' in body  # the site's layout, with its menu


def test_out_of_scope_object_answers_the_same_404(client: Client, world: World) -> None:
    client.force_login(world.users["alice"])
    response = client.get(reverse("org:person-detail", args=[world.bob.pk]))
    assert response.status_code == 404
    _assert_page(response.content.decode(), "Không tìm thấy trang")


def test_403_page(rf: RequestFactory, world: World) -> None:
    request = rf.get("/bi-cam/")
    request.user = world.users["alice"]
    response = errors.permission_denied(request, PermissionError())
    assert response.status_code == 403
    _assert_page(response.content.decode(), "Không có quyền truy cập")


def test_400_page(rf: RequestFactory, world: World) -> None:
    request = rf.get("/sai/")
    request.user = world.users["alice"]
    response = errors.bad_request(request, ValueError())
    assert response.status_code == 400
    _assert_page(response.content.decode(), "Yêu cầu không hợp lệ")


def test_500_page_needs_no_database_nor_request_context(rf: RequestFactory) -> None:
    # No django_db mark: any query would raise.
    response = errors.server_error(rf.get("/loi/"))
    assert response.status_code == 500
    body = response.content.decode()
    _assert_page(body, "Hệ thống gặp lỗi")
    assert "Đăng xuất" not in body


def test_csrf_failure_page(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["alice"])
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    _assert_page(response.content.decode(), "Phiên làm việc đã hết hạn")


def test_api_404_is_json_in_vietnamese(client: Client, world: World) -> None:
    client.force_login(world.users["alice"])
    for path in ["/api/khong-co/", f"/api/people/{world.bob.pk}/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"].startswith("Không tìm thấy")


def test_api_not_signed_in_and_wrong_method(client: Client, world: World) -> None:
    response = client.get("/api/units/")
    assert response.status_code in {401, 403}
    assert "đăng nhập" in response.json()["detail"].lower()
    client.force_login(world.users["alice"])
    response = client.delete("/api/units/")
    assert response.status_code == 405
    assert response.json()["detail"] == "Phương thức này không được phép cho địa chỉ này."


def test_api_500_is_json(rf: RequestFactory) -> None:
    response = errors.server_error(rf.get("/api/units/"))
    assert response.status_code == 500
    assert json.loads(response.content)["detail"] == "Hệ thống gặp lỗi"


@pytest.mark.parametrize("status", [400, 403])
def test_api_other_errors_are_json(rf: RequestFactory, status: int) -> None:
    view = errors.bad_request if status == 400 else errors.permission_denied
    response = view(rf.get("/api/units/"), None)
    assert response.status_code == status
    assert json.loads(response.content)["detail"] == errors.ERRORS[status].title
