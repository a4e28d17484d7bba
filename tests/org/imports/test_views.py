"""The import page: organisers upload a workbook, see every problem, or the report."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.jobs.follow import follow_job
from thuocdo.org.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(client, kind: str) -> bytes:
    response = client.get(reverse("org:import-template", args=[kind]))
    assert response.status_code == 200
    return bytes(response.content)


def _upload(client, kind: str, content: bytes):
    upload = SimpleUploadedFile("tep.xlsx", content, content_type=XLSX)
    return client.post(reverse("org:import-upload"), {"kind": kind, "file": upload})


def test_it_imports_a_unit_under_the_organisers_subtree(client, world):
    client.force_login(world.users["olga"])
    wb = load_workbook(io.BytesIO(_template(client, "units")))
    wb["Đơn vị"].append(["P1-MOI", "Tổ dân phố mới", "Chi bộ", "P1"])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = follow_job(client, _upload(client, "units", buffer.getvalue()))
    assert response.status_code == 200
    assert "Đã nhập xong tệp «tep.xlsx»." in response.content.decode()
    assert "Đơn vị: 1 tạo mới" in response.content.decode()
    unit = Unit.objects.get(code="P1-MOI")
    assert unit.path.startswith(world.p1.path)


def test_it_lists_every_problem_and_writes_nothing(client, world):
    client.force_login(world.users["olga"])
    wb = load_workbook(io.BytesIO(_template(client, "units")))
    wb["Đơn vị"].append(["X1", "Đơn vị thiếu cấp trên", "Chi bộ", "KHONG-CO"])
    wb["Đơn vị"].append(["X2", "", "Chi bộ", "P1"])
    buffer = io.BytesIO()
    wb.save(buffer)
    before = Unit.objects.count()
    body = follow_job(client, _upload(client, "units", buffer.getvalue())).content.decode()
    assert "Tệp bị từ chối: 2 lỗi" in body
    assert "KHONG-CO" in body and "dòng 3" in body
    assert Unit.objects.count() == before


def test_people_without_a_registry_role_are_refused(client, world):
    for name in ["alice", "lena", "hana", "tam"]:
        client.force_login(world.users[name])
        assert client.get(reverse("org:import-upload")).status_code == 403
        assert client.get(reverse("org:import-template", args=["units"])).status_code == 403
