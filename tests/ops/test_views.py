"""The health check and the administrator's backup page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thuocdo.audit.models import AuditEvent
from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.runner import job_execute
from thuocdo.ops.jobs import BACKUP_KIND, backup_due, backup_folders, backup_schedule


@pytest.mark.parametrize("url", ["/suc-khoe/", "/healthz"])
def test_health_answers_with_the_database(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.fixture
def backups(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "backups"


@pytest.mark.parametrize("who", ["alice", "olga", "hana"])
def test_only_the_administrator_opens_the_backup_page(client, world, backups, who):
    client.force_login(world.users[who])
    assert client.get(reverse("ops:backup")).status_code == 404
    assert client.post(reverse("ops:backup")).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True, databases=["default", "jobs"])
def test_backing_up_from_the_page_runs_as_a_job_with_progress(client, world, backups):
    client.force_login(world.users["root"])
    response = client.post(reverse("ops:backup"))
    assert response.status_code == 302
    job = Job.objects.get(kind=BACKUP_KIND)
    assert "Đang chờ" in client.get(reverse("ops:backup")).content.decode()

    job = job_execute(job)

    assert job.state == JobState.DONE
    (folder,) = backup_folders(backups)
    assert job.result is not None
    assert job.result["path"] == str(folder)
    page = client.get(reverse("ops:backup")).content.decode()
    assert folder.name in page
    assert "Hoàn thành" in page
    # On a phone each backup is a card whose values say what they are.
    event = AuditEvent.objects.get(action="ops.backup")
    assert (event.actor_id, event.object_repr) == (world.users["root"].pk, folder.name)
    assert (event.after or {})["rows"] > 0
    assert '<table class="cards">' in page
    assert f'<td data-label="Bản sao lưu">{folder.name}</td>' in page
    assert "Hướng dẫn vận hành" in page


@pytest.mark.parametrize(
    ("at", "now", "due"),
    [
        ("02:00", "2026-12-06T01:59:00+07:00", None),
        ("02:00", "2026-12-06T02:00:00+07:00", "ops.backup:2026-12-06"),
        ("02:00", "2026-12-05T19:30:00+00:00", "ops.backup:2026-12-06"),  # 02:30 in Hà Nội
        ("", "2026-12-06T12:00:00+07:00", None),
    ],
)
def test_the_daily_backup_is_due_from_its_time_in_local_time(settings, at, now, due):
    import datetime

    settings.BACKUP_AT = at
    assert backup_due(datetime.datetime.fromisoformat(now)) == due


def test_the_schedule_starts_one_backup_a_day_however_often_it_runs(world, backups, settings):
    import datetime

    settings.BACKUP_AT = "02:00"
    settings.BACKUP_KEEP = 2
    now = datetime.datetime.fromisoformat("2026-12-06T03:00:00+07:00")
    backup_schedule(now)
    backup_schedule(now + datetime.timedelta(hours=1))
    (job,) = Job.objects.filter(kind=BACKUP_KIND)
    assert job.params == {"output": str(backups), "keep": 2}
    backup_schedule(now + datetime.timedelta(days=1))
    assert Job.objects.filter(kind=BACKUP_KIND).count() == 2


def test_retention_keeps_the_newest(tmp_path):
    from thuocdo.ops.jobs import backup_prune

    for name in ["thuocdo-20261201-020000", "thuocdo-20261202-020000", "thuocdo-20261203-020000"]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    (tmp_path / "notes").mkdir()  # not a backup: left alone
    removed = backup_prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["thuocdo-20261201-020000"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes", "thuocdo-20261202-020000", "thuocdo-20261203-020000",
    ]  # fmt: skip
