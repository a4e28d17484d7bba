"""The targets pages: list, dashboard, uploads, actuals, council, export."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.jobs.follow import follow_job, run_queued
from tests.targets.conftest import workbook_bytes
from tests.targets.test_imports import ACTUALS
from thuocdo.targets.models import IndicatorActual, TargetSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("chi-tieu.xlsx", content, content_type=XLSX)


def test_the_organiser_uploads_the_18_indicators_and_the_head_reads_the_dashboard(
    client, world, q1_set
):
    client.force_login(world.users["olga"])
    url = reverse("targets:set-import", args=[q1_set.pk])
    response = client.post(url, {"file": _upload(workbook_bytes(actuals=ACTUALS))})
    body = follow_job(client, response).content.decode()
    assert "Đã nhập xong" in body and "Chỉ tiêu: 18 tạo mới" in body
    assert reverse("targets:set-detail", args=[q1_set.pk]) in body  # "Xem bảng chỉ tiêu"
    client.force_login(world.users["hana"])
    response = client.get(reverse("targets:set-detail", args=[q1_set.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2.100 / 2.000 = 105%" in body
    assert "năm 2026" in body  # a year is not a quantity: no thousands separator
    assert "Chỉ tiêu chính không đạt" in body and "6,3 / 7 = 90%" in body
    assert "Đạt 2/18 = 11,1% chỉ tiêu" in body
    assert "Không hoàn thành nhiệm vụ:" in body and "Quy định 366-QĐ/TW" in body
    assert "Xây dựng Đảng, hệ thống chính trị" in body and "Cải cách hành chính" in body


def test_a_bad_upload_lists_every_problem_and_writes_nothing(client, world, q1_set):
    client.force_login(world.users["olga"])
    rows: list[list[Any]] = [
        ["1", "Khác", "Chỉ tiêu", "", "abc", "", "", ""],
        ["2", "Khác", "", "", 5, "", "", ""],
    ]
    url = reverse("targets:set-import", args=[q1_set.pk])
    body = follow_job(client, client.post(url, {"file": _upload(workbook_bytes(rows))}))
    body = body.content.decode()
    assert "Tệp bị từ chối: 2 lỗi" in body
    assert "dòng 2, cột E «Chỉ tiêu giao»" in body and "dòng 3, cột C «Tên chỉ tiêu»" in body
    assert not q1_set.indicators.exists()


def test_the_organiser_creates_a_set_by_uploading_for_a_unit_and_year(client, world):
    client.force_login(world.users["olga"])
    data = {"unit": world.p1.code, "year": 2026, "file": _upload(workbook_bytes())}
    response = follow_job(client, client.post(reverse("targets:set-import-new"), data))
    assert "Đã nhập xong" in response.content.decode()
    assert TargetSet.objects.get(unit=world.p1, year=2026).indicators.count() == 18


def test_a_unit_outside_the_organisers_subtree_is_not_offered(client, world):
    client.force_login(world.users["olga"])
    data = {"unit": world.p2.code, "year": 2026, "file": _upload(workbook_bytes())}
    response = client.post(reverse("targets:set-import-new"), data)
    assert "Đã nhập xong" not in response.content.decode()
    assert f"không có đơn vị mã «{world.p2.code}» trong phạm vi" in response.content.decode()
    assert not TargetSet.objects.exists()


def test_the_head_records_an_actual_in_vietnamese_number_format(client, world, q1_set):
    client.force_login(world.users["olga"])
    follow_job(
        client,
        client.post(
            reverse("targets:set-import", args=[q1_set.pk]), {"file": _upload(workbook_bytes())}
        ),
    )
    indicator = q1_set.indicators.get(code="1")
    client.force_login(world.users["hana"])
    data = {
        "indicator": indicator.pk,
        "period": "12/2026",
        "value": "2.100",
        "evidence_note": "Báo cáo số 45-BC/HU",
        "document_number": "45-BC/HU",
    }
    response = client.post(reverse("targets:actual-create", args=[q1_set.pk]), data)
    assert response.status_code == 302
    actual = IndicatorActual.objects.get(indicator=indicator)
    assert actual.value == Decimal(2100) and actual.recorded_by == world.users["hana"]
    dashboard = client.get(reverse("targets:set-detail", args=[q1_set.pk])).content.decode()
    assert "2.100 / 2.000 = 105%" in dashboard


def test_the_list_shows_the_sets_with_their_summary(client, world, q1_set):
    client.force_login(world.users["hana"])
    body = client.get(reverse("targets:set-list")).content.decode()
    assert "Quận Một" in body and "0/0" in body


def test_the_list_says_what_to_do_when_empty(client, world):
    client.force_login(world.users["olga"])
    body = client.get(reverse("targets:set-list")).content.decode()
    assert "Chưa có bộ chỉ tiêu nào" in body and "giao chỉ tiêu từ tệp Excel" in body


def test_the_dashboard_exports_to_excel_with_real_numbers(client, world, q1_set):
    client.force_login(world.users["olga"])
    client.post(
        reverse("targets:set-import", args=[q1_set.pk]),
        {"file": _upload(workbook_bytes(actuals=ACTUALS))},
    )
    run_queued()
    response = client.get(reverse("targets:set-export", args=[q1_set.pk]))
    assert response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content))["Chỉ tiêu"]
    first = ws[5]
    assert first[1].value == "1" and first[4].value == 2000 and first[5].value == 2100
    assert first[6].value == 1.05 and first[6].number_format == "0.0%"


def test_the_template_downloads(client, world):
    client.force_login(world.users["olga"])
    response = client.get(reverse("targets:template-download"))
    assert "Hướng dẫn" in load_workbook(io.BytesIO(response.content)).sheetnames


def test_the_organiser_assigns_closes_and_reopens_with_a_reason(client, world, q1_set):
    client.force_login(world.users["olga"])
    client.post(
        reverse("targets:set-import", args=[q1_set.pk]), {"file": _upload(workbook_bytes())}
    )
    run_queued()  # the import's job, as the worker would
    url = reverse("targets:set-transition", args=[q1_set.pk])
    client.post(url, {"action": "assign", "decision_number": "125-QĐ/TU"})
    client.post(url, {"action": "close"})
    q1_set.refresh_from_db()
    assert q1_set.state == "closed"
    response = client.post(url, {"action": "reopen", "reason": ""}, follow=True)
    assert "lý do" in response.content.decode()
    client.post(url, {"action": "reopen", "reason": "Điều chỉnh số liệu"})
    q1_set.refresh_from_db()
    assert q1_set.state == "assigned"


def test_the_authority_records_the_councils_assessment(client, world, q1_set):
    client.force_login(world.users["olga"])
    client.post(
        reverse("targets:set-import", args=[q1_set.pk]), {"file": _upload(workbook_bytes())}
    )
    run_queued()  # the import's job, as the worker would
    client.post(reverse("targets:set-transition", args=[q1_set.pk]), {"action": "assign"})
    client.force_login(world.users["tam"])
    data = {
        "council_name": "Hội đồng Tư vấn đánh giá cán bộ bằng sản phẩm",
        "meeting_date": "10/01/2027",
        "members_total": 9,
        "members_present": 8,
        "proposed_level": "HTT",
        "assessment": "Hoàn thành tốt các chỉ tiêu chính.",
    }
    response = client.post(reverse("targets:council-record", args=[q1_set.pk]), data)
    assert response.status_code == 302
    body = client.get(reverse("targets:set-detail", args=[q1_set.pk])).content.decode()
    assert "Hoàn thành tốt các chỉ tiêu chính." in body and "8/9 thành viên" in body
