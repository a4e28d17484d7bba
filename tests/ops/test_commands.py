"""`thuocdo backup` and `thuocdo restore` on the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from thuocdo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_prints_a_line_per_step_and_the_folder(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b"), stdout=out, stderr=err)
    (folder,) = (tmp_path / "b").iterdir()
    assert out.getvalue().strip() == f"Đã sao lưu vào {folder}"
    steps = [line for line in err.getvalue().splitlines() if line.startswith("[")]
    assert steps[0].startswith("[1] ")
    assert len(steps) >= 4
    # Audited, by nobody in particular: the server's account ran it.
    event = AuditEvent.objects.get(action="ops.backup")
    assert (event.actor_id, event.object_repr) == (None, folder.name)


def test_restore_refuses_a_database_with_data_in_vietnamese(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup", "--output", str(tmp_path / "b"), stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    (folder,) = (tmp_path / "b").iterdir()
    with pytest.raises(CommandError, match="Cơ sở dữ liệu đích đã có dữ liệu") as raised:
        call_command("restore", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 2


def test_restore_names_a_folder_that_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match="Không phải thư mục sao lưu"):
        call_command("restore", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
