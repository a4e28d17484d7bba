"""What a restore must not bring back or leave behind: the jobs' files that hold secrets (the
one-time passwords) never reach a backup, and a page a running web process kept before the
restore is never served after it (the data stamp's restore generation)."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.ops.city import (
    city_build,
    expected_after_restore,
    media_bytes,
    restore_event_pop,
    scrub_open_vote,
    table_rows,
)
from tests.ops.test_backup import _backup_text
from thuocdo.accounts.jobs import passwords_store
from thuocdo.accounts.services import Credential
from thuocdo.jobs.files import job_file_store
from thuocdo.jobs.models import Job, JobFile
from thuocdo.ops.backup import backup_create
from thuocdo.ops.manifest import Manifest
from thuocdo.ops.restore import backup_restore
from thuocdo.org.scope import today
from thuocdo.web.changes import data_stamp, restore_generation
from thuocdo.work import services as work

pytestmark = pytest.mark.django_db(transaction=True)

MONTH = reverse("work:month-detail")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(tmp_path / "media")


def _job_files(world: Any) -> tuple[JobFile, JobFile]:
    """An import's one-time passwords (sealed, once) and a simulation's workbook (plain)."""
    job = Job.objects.create(kind="accounts.import", label="Nhập tài khoản",
                             created_by=world.users["root"])  # fmt: skip
    password = "Mk-" + "9" * 12
    credential = Credential(username="binhbv", password=password, full_name="Bùi Văn Bình",
                            unit_name="Phường 1", person_code="CB-B")  # fmt: skip
    sealed = passwords_store(job, [credential])
    plain = job_file_store(
        job=job,
        purpose="reviews.simulation",
        label="Mô phỏng",
        content=b"PK simulation workbook",
        download_name="mo-phong.xlsx",
    )
    return sealed, plain


def test_a_backup_leaves_out_the_one_time_passwords_and_restores_the_rest(world, media, tmp_path):
    city = city_build(world)
    sealed, plain = _job_files(world)
    sealed_bytes = (media / sealed.name).read_bytes()
    before, files = table_rows(), media_bytes(media)
    assert sealed.name in files and plain.name in files and len(files) == 5

    folder = backup_create(output=tmp_path / "backups")

    manifest = Manifest.read(folder)
    assert manifest.secret_files_left_out == 1
    assert sorted(manifest.media_files()) == sorted(set(files) - {sealed.name})
    assert not (folder / "media" / sealed.name).exists()
    assert sealed_bytes not in _backup_text(folder)
    assert manifest.tables[JobFile._meta.db_table] == 0  # its rows go with the jobs

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    backup_restore(folder)

    assert media_bytes(media) == {k: v for k, v in files.items() if k != sealed.name}
    expected = expected_after_restore(before)
    scrub_open_vote(expected, city["open"])
    restored = table_rows()
    event = restore_event_pop(restored)
    assert restored == expected
    assert '"secret_files_left_out": 1' in str(event).replace("'", '"')


def _task(world: Any, title: str) -> None:
    at = today()
    work.task_register(actor=world.users["alice"], person=world.alice, year=at.year,
                       month=at.month, title=title, quantity=Decimal(1),
                       due_date=datetime.date(at.year, at.month, 1))  # fmt: skip


def _month_page(world: Any) -> tuple[str, str]:
    """Alice logs in again (a restore logs everyone out; a login is a write) and opens «Tháng
    của tôi» as a running web process serves it; with the stamp it was served under."""
    client = Client()
    client.force_login(world.users["alice"])
    stamp = data_stamp()
    response = client.get(MONTH)
    assert response.status_code == 200
    return response.content.decode(), stamp


def test_a_page_kept_before_a_restore_is_never_served_after_it(world, media, tmp_path):
    _task(world, "Việc thứ nhất")
    older = backup_create(output=tmp_path / "b0")
    _task(world, "Việc trước sao lưu")
    newer = backup_create(output=tmp_path / "b1")
    backup_restore(older, force=True)
    _task(world, "Việc sau khôi phục")  # the same writes as "Việc trước sao lưu" made
    kept, kept_under = _month_page(world)
    assert "Việc sau khôi phục" in kept and "Việc trước sao lưu" not in kept
    assert _month_page(world)[0].count("Việc sau khôi phục") == kept.count("Việc sau khôi phục")

    generation = restore_generation()
    backup_restore(newer, force=True)  # older than the data the page was kept from

    page, stamp = _month_page(world)
    assert "Việc trước sao lưu" in page and "Việc sau khôi phục" not in page
    # The writes since each backup were the same: only the restore generation tells the two
    # states apart, and it moved past every value used before.
    assert stamp.rsplit(".", 1)[0] == kept_under.rsplit(".", 1)[0]
    assert stamp != kept_under
    assert restore_generation() > generation > 0
