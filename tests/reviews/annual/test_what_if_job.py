"""Mô phỏng of a large year (more evaluations than WHAT_IF_INLINE_MAX) runs as a background
job: the page starts it and follows it to the stored result, which is exactly what `what_if`
gives, in the page and in its Excel (built by the job, stored, sent as a file); nothing but
the job's own row, its file and its start's audit event is written; nobody but who started it
reads the result."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.http import FileResponse
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.jobs.follow import follow_job, run_queued
from tests.reviews.annual.cycle import open_year
from tests.reviews.annual.test_what_if import _year_of_21
from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.models import Job, JobFile, JobState
from thuocdo.org import services as org
from thuocdo.reviews.annual.simulation import what_if, what_if_json
from thuocdo.reviews.annual.simulation_export import what_if_xlsx
from thuocdo.reviews.annual.simulation_store import WHAT_IF, WHAT_IF_XLSX, what_if_unpack
from thuocdo.reviews.models import Evaluation

SCENARIO = {"ruleset": "qd-366-2025", "options": "quota_rate=0.3"}  # 30% of 21: 3 rise


def _rows() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _result_part(html: str) -> str:
    """The result of a simulation page, without its download link (whose query differs)."""
    part = html[html.index("<h2>Kết quả theo") : html.index("</main>")]
    return "\n".join(line for line in part.splitlines() if "format=xlsx" not in line)


def _cells(content: bytes) -> dict[str, list[list[Any]]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}


@pytest.fixture
def oanh(world: Any) -> Any:
    """A second organiser of Q1: may simulate the same year, not read Olga's result."""
    user = org.user_create(actor=None, username="oanh", password="x-Mat-khau-2026")
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q1)
    return user


def test_a_year_at_the_limit_is_still_simulated_in_the_request(client, world) -> None:
    period, _ = _year_of_21(world)
    count = Evaluation.objects.filter(period=period).count()
    client.force_login(world.users["olga"])
    with override_settings(WHAT_IF_INLINE_MAX=count):
        page = client.get(reverse("reviews:period-what-if", args=[period.pk]), SCENARIO)
    assert page.status_code == 200 and "Người, tập thể thay đổi mức (3)" in page.content.decode()
    assert not Job.objects.exists()


def test_a_large_year_is_simulated_by_a_job_that_writes_nothing_else(client, world) -> None:
    period, _ = _year_of_21(world)
    url = reverse("reviews:period-what-if", args=[period.pk])
    client.force_login(world.users["olga"])
    inline = client.get(url, SCENARIO).content.decode()
    rows, events = _rows(), AuditEvent.objects.count()
    with override_settings(WHAT_IF_INLINE_MAX=5):
        response = client.get(url, SCENARIO)
        job = Job.objects.get()
        assert (job.kind, job.state, job.created_by, job.unit) == (
            WHAT_IF,
            JobState.QUEUED,
            world.users["olga"],
            period.unit,
        )
        assert job.result is None  # nothing is simulated inside the request
        page = follow_job(client, response)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result is not None
    assert (job.step, job.done, job.total) == ("Lưu kết quả mô phỏng", 1, 1)
    # The page the job goes on to shows the stored result as the request would have.
    target = page.redirect_chain[-1][0]
    assert target.startswith(url + "?") and f"ket-qua={job.pk}" in target
    html = page.content.decode()
    assert "Đã mô phỏng: 3 người, tập thể thay đổi mức." in html
    assert _result_part(html) == _result_part(inline)
    # Exactly what `what_if` gives.
    direct = what_if(period, options={**period.options, "quota_rate": 0.3})
    stored = what_if_unpack(period, job.result["what_if"])
    assert what_if_json(stored) == what_if_json(direct)
    # Nothing written but the job and the audit event of its start.
    after = _rows()
    assert {k: after[k] - rows[k] for k in after if after[k] != rows[k]} == {
        "jobs.Job": 1,
        "jobs.JobFile": 1,  # its Excel workbook
        "audit.AuditEvent": 1,
    }
    (event,) = AuditEvent.objects.order_by("pk")[events:]
    assert (event.action, event.object_id) == ("job.start", str(job.pk))


def test_the_excel_of_a_stored_result_is_that_of_the_simulation(client, world) -> None:
    period, _ = _year_of_21(world)
    url = reverse("reviews:period-what-if", args=[period.pk])
    client.force_login(world.users["olga"])
    with override_settings(WHAT_IF_INLINE_MAX=5):
        follow_job(client, client.get(url, SCENARIO))
    job = Job.objects.get()
    stored = JobFile.objects.get(job=job, purpose=WHAT_IF_XLSX)
    assert not stored.sealed and stored.name.startswith("jobs/")
    response = client.get(url, {**SCENARIO, "ket-qua": str(job.pk), "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert isinstance(response, FileResponse)  # the stored workbook, not built again
    content = response.getvalue()
    assert content == Path(settings.MEDIA_ROOT, stored.name).read_bytes()
    direct = what_if(period, options={**period.options, "quota_rate": 0.3})
    assert _cells(content) == _cells(what_if_xlsx(direct))
    assert len(_cells(content)["Người thay đổi mức"]) == 1 + 3
    # The same workbook from the job's page (opened from the list of jobs).
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    link = reverse("jobs:job-file", args=[job.pk, WHAT_IF_XLSX])
    assert link in page and client.get(link).getvalue() == content


def test_a_stored_result_without_its_workbook_is_still_downloaded(client, world) -> None:
    period, _ = _year_of_21(world)
    url = reverse("reviews:period-what-if", args=[period.pk])
    client.force_login(world.users["olga"])
    with override_settings(WHAT_IF_INLINE_MAX=5):
        follow_job(client, client.get(url, SCENARIO))
    job = Job.objects.get()
    JobFile.objects.filter(job=job).delete()  # a job from before workbooks were stored
    response = client.get(url, {**SCENARIO, "ket-qua": str(job.pk), "format": "xlsx"})
    assert response.status_code == 200 and not isinstance(response, FileResponse)
    assert len(_cells(response.content)["Người thay đổi mức"]) == 1 + 3


def test_nobody_else_reads_the_stored_result(client, world, oanh) -> None:
    period, _ = _year_of_21(world)
    url = reverse("reviews:period-what-if", args=[period.pk])
    client.force_login(world.users["olga"])
    with override_settings(WHAT_IF_INLINE_MAX=5):
        follow_job(client, client.get(url, SCENARIO))
    job = Job.objects.get()
    query = {"ket-qua": str(job.pk)}
    assert client.get(url, query).status_code == 200
    assert client.get(url, {"ket-qua": "khong-phai-ma"}).status_code == 404
    other = open_year(world, unit=world.p1)  # the job does not show under another period
    other_url = reverse("reviews:period-what-if", args=[other.pk])
    assert client.get(other_url, query).status_code == 404
    for who in (oanh, world.users["root"]):  # they may simulate the year, not read Olga's run
        client.force_login(who)
        assert client.get(url).status_code == 200
        assert client.get(url, query).status_code == 404
        assert client.get(url, {**query, "format": "xlsx"}).status_code == 404
    file_url = reverse("jobs:job-file", args=[job.pk, WHAT_IF_XLSX])
    client.force_login(oanh)  # organises Q1, so sees the job: not its workbook
    assert client.get(file_url).status_code == 404
    client.force_login(world.users["hana"])  # sees the period, does not organise it
    assert client.get(url, query).status_code == 403
    assert client.get(file_url).status_code == 403


def test_a_scenario_the_engine_refuses_fails_the_job_in_vietnamese(client, world) -> None:
    period, _ = _year_of_21(world)
    client.force_login(world.users["olga"])
    url = reverse("reviews:period-what-if", args=[period.pk])
    with override_settings(WHAT_IF_INLINE_MAX=5):
        page = follow_job(client, client.get(url, {"ruleset": "qd-366-2025", "options": "x=1"}))
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.result is None
    assert "Tùy chọn 'x' không có trong bộ quy tắc qd-366-2025" in job.error
    assert "Thất bại" in page.content.decode()


def test_the_page_lists_some_changes_and_the_excel_all(client, world, monkeypatch) -> None:
    monkeypatch.setattr("thuocdo.reviews.annual.simulation.CHANGES_SHOWN", 2)
    period, people = _year_of_21(world)
    client.force_login(world.users["olga"])
    url = reverse("reviews:period-what-if", args=[period.pk])
    html = client.get(url, SCENARIO).content.decode()
    assert "Người, tập thể thay đổi mức (3)" in html
    assert "… và 1 người, tập thể khác: danh sách đầy đủ trong" in html
    assert people[3].full_name in html and people[5].full_name not in html


def test_the_api_answers_202_for_a_large_year_and_then_the_result(world, oanh) -> None:
    period, _ = _year_of_21(world)
    url = reverse("reviews:api-period-what-if", args=[period.pk])
    api = APIClient()
    api.force_authenticate(world.users["olga"])
    small = api.post(url, {"options": {"quota_rate": 0.3}}, format="json")
    assert small.status_code == 200 and not Job.objects.exists()
    with override_settings(WHAT_IF_INLINE_MAX=5):
        started = api.post(url, {"options": {"quota_rate": 0.3}}, format="json")
    assert started.status_code == 202
    job = Job.objects.get()
    body = started.json()
    assert body["job"] == str(job.pk)
    assert body["url"] == reverse("jobs:job-detail", args=[job.pk])
    assert body["result"] == reverse("reviews:api-period-what-if-job", args=[period.pk, job.pk])
    waiting = api.get(body["result"]).json()
    assert (waiting["state"], waiting["result"]) == ("queued", None)
    (done,) = run_queued()
    assert done.state == JobState.DONE
    answer = api.get(body["result"])
    assert answer.status_code == 200
    assert answer.json() == {
        "state": "done",
        "step": "Lưu kết quả mô phỏng",
        "done": 1,
        "total": 1,
        "error": "",
        "result": small.json(),
    }
    api.force_authenticate(oanh)
    assert api.get(body["result"]).status_code == 404
