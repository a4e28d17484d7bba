"""Imports run as background jobs (thuocdo/spreadsheets/background.py): the upload stores the
file and queues a job, writing nothing itself; the worker writes the same as the import did in
the request, as the user who uploaded it (rights checked again); a refused file's problems are
listed on the job's page; a failure midway leaves nothing; the stored file is deleted whatever
the outcome; nobody else sees the job; the command line prints its progress line by line."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.jobs.follow import follow_job, run_queued
from tests.reports.conftest import workbook_bytes as history_bytes
from tests.reviews.test_jobs import refuse_rows  # noqa: F401 (the fixture)
from tests.spreadsheets.sheets import UNIT, workbook_content
from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.models import Job, JobState
from thuocdo.org.models import RoleAssignment, Unit
from thuocdo.reports.models import HistoricalResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = reverse("org:import-upload")


def _units(*rows: list[str]) -> bytes:
    return workbook_content({"Đơn vị": [UNIT, *[list(r) for r in rows]]})


def _post(client, content: bytes, kind: str = "units"):
    upload = SimpleUploadedFile("don-vi.xlsx", content, content_type=XLSX)
    return client.post(UPLOAD, {"kind": kind, "file": upload})


def _stored() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.glob("*")) if folder.exists() else []


def _imports() -> int:
    return AuditEvent.objects.filter(action="import").count()


def test_the_upload_queues_a_job_and_writes_nothing_itself(client, world):
    client.force_login(world.users["olga"])
    before = Unit.objects.count()
    response = _post(client, _units(["P1-A", "Tổ dân phố A", "Chi bộ", "P1"]))
    assert response.status_code == 302 and response.url.endswith("?theo=1")
    job = Job.objects.get()
    assert (job.kind, job.state, job.created_by) == (
        "org.import",
        JobState.QUEUED,
        world.users["olga"],
    )
    assert job.params["file_name"] == "don-vi.xlsx" and job.params["kind"] == "units"
    assert Unit.objects.count() == before and _imports() == 0
    [stored] = _stored()  # kept privately for the worker, under a name of its own
    assert job.params["file"] == f"imports/{stored.name}" and stored.read_bytes()[:2] == b"PK"
    assert client.get(f"/media/imports/{stored.name}").status_code == 404  # never served


def test_the_job_imports_shows_the_report_and_deletes_the_file(client, world):
    client.force_login(world.users["olga"])
    content = _units(
        ["P1-A", "Tổ dân phố A", "Chi bộ", "P1"], ["P1-B", "Tổ dân phố B", "Chi bộ", "P1"]
    )
    page = follow_job(client, _post(client, content)).content.decode()
    assert "Đã nhập xong tệp «don-vi.xlsx»." in page
    assert "Đơn vị: 2 tạo mới, 0 cập nhật, 0 không thay đổi." in page
    assert Unit.objects.get(code="P1-B").path.startswith(world.p1.path)
    event = AuditEvent.objects.get(action="import")
    assert event.actor == world.users["olga"] and (event.after or {})["file"] == "don-vi.xlsx"
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.step == "Ghi vào cơ sở dữ liệu"
    assert _stored() == []


def test_a_refused_workbook_lists_its_problems_on_the_job_page_and_writes_nothing(client, world):
    client.force_login(world.users["olga"])
    before = Unit.objects.count()
    content = _units(["X1", "Thiếu cấp trên", "Chi bộ", "KHONG-CO"], ["X2", "", "Chi bộ", "P1"])
    response = follow_job(client, _post(client, content))
    page = response.content.decode()
    assert "Tệp bị từ chối: 2 lỗi." in page and "Chưa có gì của tệp «don-vi.xlsx»" in page
    assert 'class="job-problems"' in page
    assert "Sửa các lỗi trên trong tệp rồi tải tệp lên lại" in page and "Chạy lại" not in page
    assert "Sheet «Đơn vị», dòng 2, cột D «Mã đơn vị cấp trên»: giá trị «KHONG-CO»" in page
    assert "Sheet «Đơn vị», dòng 3, cột B «Tên đơn vị»" in page
    assert Unit.objects.count() == before and _imports() == 0
    result = Job.objects.get().result or {}
    assert result["problem_count"] == 2 and len(result["problems"]) == 2
    assert _stored() == []


def test_a_failure_midway_leaves_nothing_and_deletes_the_file(
    client,
    world,
    refuse_rows,  # noqa: F811 (the fixture imported above)
):
    client.force_login(world.users["olga"])
    rows = [[f"P1-{n}", f"Tổ dân phố {n}", "Chi bộ", "P1"] for n in range(30)]
    response = _post(client, _units(*rows))
    refuse_rows("org_unit", "NEW.code = 'P1-20'")  # the database refuses a row of the batch
    [job] = run_queued()
    assert job.state == JobState.FAILED and "refused by a constraint" in job.error
    assert not Unit.objects.filter(code__startswith="P1-").exclude(pk=world.p1.pk).exists()
    assert _imports() == 0 and _stored() == []
    page = client.get(response.url).content.decode()
    assert "Chạy lại" in page


def test_the_worker_checks_the_rights_again(client, world):
    client.force_login(world.users["olga"])
    _post(client, _units(["P1-A", "Tổ dân phố A", "Chi bộ", "P1"]))
    RoleAssignment.objects.filter(user=world.users["olga"]).delete()  # no longer an organiser
    [job] = run_queued()
    assert job.state == JobState.FAILED and job.error == "Chỉ Ban Tổ chức được nhập dữ liệu."
    assert not Unit.objects.filter(code="P1-A").exists() and _stored() == []


def test_nobody_else_sees_the_import_job(client, world):
    client.force_login(world.users["olga"])
    response = _post(client, _units(["P1-A", "Tổ dân phố A", "Chi bộ", "P1"]))
    job = Job.objects.get()
    for name in ["alice", "hana"]:
        client.force_login(world.users[name])
        assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
        assert client.get(response.url).status_code == 404


def test_the_history_import_runs_as_a_job_and_links_to_its_report(client, world):
    client.force_login(world.users["olga"])
    content = history_bytes([["CB-A", "", "P1", 2021, "Đảng viên", "HTT", None, None]])
    upload = SimpleUploadedFile("ket-qua.xlsx", content, content_type=XLSX)
    response = client.post(reverse("reports:history-import"), {"file": upload})
    assert Job.objects.get().kind == "reports.history_import"
    assert not HistoricalResult.objects.exists()
    page = follow_job(client, response).content.decode()
    assert "Kết quả xếp loại: 1 tạo mới, 0 cập nhật, 0 không thay đổi." in page
    assert reverse("reports:distribution") in page and "Xem báo cáo phân bố xếp loại" in page
    assert HistoricalResult.objects.get().imported_by == world.users["olga"]
    assert _stored() == []


def test_the_command_line_prints_its_progress_line_by_line(world, tmp_path):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(_units(["P1-A", "Tổ dân phố A", "Chi bộ", "P1"]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "units", str(path), user="olga", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == "[1] Đọc tệp (1)…"
    assert "[2] Kiểm tra dữ liệu…" in lines and "[3] Ghi vào cơ sở dữ liệu…" in lines
    assert sum(line.startswith("    xong: ") for line in lines) == 3
    assert "Đơn vị: 1 tạo mới" in out.getvalue()
    assert Unit.objects.filter(code="P1-A").exists()
