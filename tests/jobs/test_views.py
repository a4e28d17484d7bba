"""The job's page and fragment: its starter and the administrator follow it, others get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuocdo.jobs.models import JobState
from thuocdo.jobs.runner import job_execute
from thuocdo.jobs.services import job_start


@pytest.fixture
def job(world):
    return job_start(kind="tests.count", actor=world.users["lena"], params={"fail": True})


def test_the_starter_sees_the_page(client, world, job):
    client.force_login(world.users["lena"])
    response = client.get(reverse("jobs:job-detail", args=[job.pk]))
    assert response.status_code == 200
    assert "Đếm thử" in response.content.decode()
    assert 'hx-trigger="every 1s"' in response.content.decode()  # queued: it polls


def test_htmx_gets_only_the_fragment_which_stops_polling_when_done(client, world, job):
    job_execute(job)
    client.force_login(world.users["lena"])
    response = client.get(reverse("jobs:job-detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith("<article")
    assert "hx-trigger" not in body.split("<form")[0]
    assert "Dòng 3, cột “Mã”: mã đơn vị trùng." in body
    assert "Chạy lại" in body


def test_the_administrator_sees_every_job(client, world, job):
    client.force_login(world.users["root"])
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 200
    assert "Đếm thử" in client.get(reverse("jobs:job-list")).content.decode()


@pytest.mark.parametrize("who", ["alice", "hana", "nobody"])
def test_others_get_404(client, world, job, who):
    client.force_login(world.users[who])
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:job-retry", args=[job.pk])).status_code == 404
    assert "Đếm thử" not in client.get(reverse("jobs:job-list")).content.decode()


def test_the_organiser_of_the_jobs_unit_follows_it(client, world):
    job = job_start(kind="tests.count", actor=world.users["lena"], unit=world.p1)
    client.force_login(world.users["olga"])  # organiser of Q1, above P1
    assert client.get(reverse("jobs:job-detail", args=[job.pk])).status_code == 200


def test_retry_queues_a_failed_job_again(client, world, job):
    job_execute(job)
    client.force_login(world.users["lena"])
    response = client.post(reverse("jobs:job-retry", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_a_followed_job_goes_on_to_its_result_once_done(client, world):
    job = job_start(kind="tests.count", actor=world.users["lena"], params={"url": "/ho-so/"})
    client.force_login(world.users["lena"])
    followed = reverse("jobs:job-detail", args=[job.pk]) + "?theo=1"
    page = client.get(followed).content.decode()  # still queued: it polls, keeping `theo`
    assert f'hx-get="{followed}"' in page
    job_execute(job)
    response = client.get(followed)
    assert (response.status_code, response.url) == (302, "/ho-so/")
    assert "Đã đếm 3." in [str(m) for m in response.wsgi_request._messages]
    polled = client.get(followed, HTTP_HX_REQUEST="true")
    assert (polled.status_code, polled["HX-Redirect"]) == (204, "/ho-so/")
    # Opened from the list (not followed), the finished job's page stays, linking to it.
    page = client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    assert '<a href="/ho-so/">Về trang kết quả</a>' in page


def test_a_followed_job_never_leaves_the_site(client, world):
    job = job_start(kind="tests.count", actor=None, params={"url": "//example.com/"})
    job_execute(job)
    client.force_login(world.users["root"])
    response = client.get(reverse("jobs:job-detail", args=[job.pk]) + "?theo=1")
    assert response.status_code == 200 and "example.com" not in response.content.decode()
