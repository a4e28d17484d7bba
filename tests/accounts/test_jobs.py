"""The accounts import as a background job: all or nothing, and its one-time passwords sealed
at rest, for one download by who started it."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.jobs.follow import run_queued
from thuocdo.accounts.jobs import ACCOUNTS_IMPORT, PASSWORDS
from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.files import job_files_expire
from thuocdo.jobs.models import Job, JobFile, JobState
from thuocdo.org.models import RoleAssignment, User
from thuocdo.spreadsheets.background import import_job_start

from .conftest import workbook

ROWS = [["anhtv", "CB-C", "Lãnh đạo trực tiếp", "P1", ""]]


def _imported(world, rows=ROWS) -> Job:
    """Queue the import as olga and work it, as `thuocdo worker` would."""
    job = import_job_start(kind=ACCOUNTS_IMPORT, actor=world.users["olga"], upload=workbook(rows))
    [ended] = run_queued()
    assert ended.pk == job.pk
    return ended


def test_the_job_creates_the_accounts_and_keeps_their_passwords_sealed(world, settings) -> None:
    job = _imported(world)
    assert job.state == JobState.DONE, job.error
    user = User.objects.get(username="anhtv")
    assert RoleAssignment.objects.filter(user=user, role="leader", unit=world.p1).exists()
    assert user.person.code == "CB-C"
    file = JobFile.objects.get(job=job, purpose=PASSWORDS)
    assert file.sealed and file.once and file.key_salt and file.expires_at is not None
    assert job.result is not None
    assert file.expires_at - timezone.now() > datetime.timedelta(hours=23)
    stored = Path(settings.MEDIA_ROOT, file.name).read_bytes()
    assert not stored.startswith(b"PK")  # not a readable workbook (a zip) at rest
    assert b"anhtv" not in stored and b"T\xc3\xa0i kho\xe1\xba\xa3n" not in stored
    assert "chỉ bạn tải được, một lần" in job.result["message"]
    assert not default_storage.listdir("imports")[1]  # the upload is gone


def test_a_failing_job_leaves_nothing(world, settings) -> None:
    # The password file cannot be written (its folder is a file): the accounts the import
    # wrote in the same transaction must go too.
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    Path(settings.MEDIA_ROOT, "jobs").write_bytes(b"")
    job = _imported(world)
    assert job.state == JobState.FAILED and "Lỗi không lường trước" in job.error
    assert not User.objects.filter(username="anhtv").exists()
    assert (
        not RoleAssignment.objects.filter(unit=world.p1, role="leader")
        .exclude(user=world.users["lena"])
        .exists()
    )
    assert not JobFile.objects.exists()
    assert not AuditEvent.objects.filter(action="user.create", object_repr="anhtv").exists()
    assert not default_storage.listdir("imports")[1]


def test_a_refused_workbook_leaves_nothing_and_no_password_file(world) -> None:
    job = _imported(world, [["anhtv", "CB-C", "", "", ""], ["binh", "CB-B", "", "", ""]])
    assert job.state == JobState.FAILED and job.result is not None
    assert job.result["problem_count"] == 1
    assert job.result["details"][0]["letter"] == "B" and job.result["details"][0]["row"] == 4
    assert not User.objects.filter(username__in=["anhtv", "binh"]).exists()
    assert not JobFile.objects.exists()


def test_another_user_cannot_download_the_passwords(client, world) -> None:
    job = _imported(world)
    url = reverse("jobs:job-file", args=[job.pk, PASSWORDS])
    client.force_login(world.users["root"])  # sees every job, yet not these passwords
    assert client.get(url).status_code == 404
    assert (
        "chỉ người khởi chạy công việc tải được"
        in client.get(reverse("jobs:job-detail", args=[job.pk])).content.decode()
    )
    for name in ["hana", "tam", "alice"]:  # the job is not theirs to see at all
        client.force_login(world.users[name])
        assert client.get(url).status_code == 404
    olga = world.users["olga"]
    RoleAssignment.objects.filter(user=olga).delete()  # no longer manages accounts: refused too
    client.force_login(olga)
    assert client.get(url).status_code == 403
    assert JobFile.objects.get(job=job).destroyed_at is None
    assert not AuditEvent.objects.filter(action="job.file_download").exists()


def test_a_second_download_is_refused_and_the_first_is_audited(
    client, world, settings, django_capture_on_commit_callbacks
) -> None:
    job = _imported(world)
    file = JobFile.objects.get(job=job)
    url = reverse("jobs:job-file", args=[job.pk, PASSWORDS])
    client.force_login(world.users["olga"])
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        assert client.get(url).status_code == 200
    assert client.get(url).status_code == 410
    file.refresh_from_db()
    assert file.downloaded_at and file.destroyed_at and file.key_salt is None
    assert not Path(settings.MEDIA_ROOT, file.name).exists()
    [event] = AuditEvent.objects.filter(action="job.file_download")
    assert event.actor == world.users["olga"] and event.object_id == str(job.pk)
    assert event.after is not None and event.after["purpose"] == PASSWORDS


def test_passwords_not_downloaded_are_destroyed_at_their_expiry(
    client, world, settings, django_capture_on_commit_callbacks
) -> None:
    job = _imported(world)
    file = JobFile.objects.get(job=job)
    assert file.expires_at is not None
    later = file.expires_at + datetime.timedelta(seconds=1)
    assert job_files_expire(now=file.expires_at - datetime.timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert job_files_expire(now=later) == 1
    file.refresh_from_db()
    assert file.destroyed_at == later and file.key_salt is None and file.downloaded_at is None
    assert not Path(settings.MEDIA_ROOT, file.name).exists()
    client.force_login(world.users["olga"])
    response = client.get(reverse("jobs:job-file", args=[job.pk, PASSWORDS]))
    assert response.status_code == 410 and "đã hết hạn" in response.content.decode()
