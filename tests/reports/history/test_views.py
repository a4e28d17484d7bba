"""The organiser's page to import past years' results, and its template download."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.jobs.follow import follow_job
from tests.reports.conftest import workbook_bytes
from thuocdo.reports.models import HistoricalResult

URL = reverse("reports:history-import")


def _client(world, username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _upload(content: bytes, name: str = "ket-qua.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_it_shows_the_upload_form_to_an_organiser(world):
    response = _client(world, "olga").get(URL)
    assert response.status_code == 200
    assert "Nhập kết quả xếp loại các năm trước" in response.content.decode()


def test_it_imports_an_uploaded_file(world):
    content = workbook_bytes([["CB-A", "", "P1", 2021, "Đảng viên", "HTT", None, None]])
    client = _client(world, "olga")
    response = follow_job(client, client.post(URL, {"file": _upload(content)}))
    assert response.status_code == 200
    assert "Đã nhập xong tệp «ket-qua.xlsx»." in response.content.decode()
    assert "Kết quả xếp loại: 1 tạo mới, 0 cập nhật, 0 không thay đổi." in response.content.decode()
    assert HistoricalResult.objects.get().imported_by == world.users["olga"]


def test_it_lists_every_problem_and_saves_nothing(world):
    rows = [
        ["CB-A", "", "P1", 2021, "Đảng viên", "HTT", None, None],
        ["CB-B", "", "P2", 2021, "Đảng viên", "Giỏi", None, None],
    ]
    client = _client(world, "olga")
    response = follow_job(client, client.post(URL, {"file": _upload(workbook_bytes(rows))}))
    page = response.content.decode()
    assert "Tệp bị từ chối: 2 lỗi" in page
    assert "dòng 3, cột C «Mã đơn vị»" in page and "dòng 3, cột F «Mức xếp loại»" in page
    assert HistoricalResult.objects.count() == 0


def test_it_refuses_a_file_that_is_not_xlsx(world):
    response = _client(world, "olga").post(URL, {"file": _upload(b"a,b", "ket-qua.csv")})
    assert "Chỉ nhận tệp Excel .xlsx." in response.content.decode()


def test_it_refuses_a_head_who_is_not_an_organiser(world):
    assert _client(world, "hana").get(URL).status_code == 403


def test_it_sends_the_empty_template(world):
    response = _client(world, "olga").get(reverse("reports:history-template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert "Kết quả xếp loại" in wb.sheetnames and "Hướng dẫn" in wb.sheetnames


def test_a_file_with_thousands_of_problems_shows_the_first_500(world):
    rows = [[f"CB-{n}", "", "XX", 2021, "Đảng viên", "HTT"] for n in range(600)]
    client = _client(world, "olga")
    response = follow_job(client, client.post(URL, {"file": _upload(workbook_bytes(rows))}))
    page = response.content.decode()
    assert "Tệp bị từ chối: 600 lỗi." in page
    assert page.count("không tìm thấy đơn vị có mã này") == 500
    assert "Chỉ hiện 500 lỗi đầu tiên trong 600 lỗi" in page
