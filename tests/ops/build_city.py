"""Build the test city on a SQLite database of its own and back it up (the SQLite side of the
SQLite → PostgreSQL move test).

    THUOCDO_SQLITE_PATH=... THUOCDO_MEDIA_ROOT=... python tests/ops/build_city.py OUT
writes OUT/rows.json (every table's rows), OUT/media.json and a backup folder under OUT/backups.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.conftest import world_build  # noqa: E402
from tests.ops.city import city_build, media_bytes, table_rows  # noqa: E402
from thuocdo.ops.backup import backup_create  # noqa: E402


def main() -> None:
    """Migrate, build, snapshot, back up."""
    out = Path(sys.argv[1])
    assert connection.vendor == "sqlite", connection.vendor
    call_command("migrate", verbosity=0)
    built = city_build(world_build())
    (out / "rows.json").write_text(json.dumps(table_rows(), ensure_ascii=False))
    media = {k: v.hex() for k, v in media_bytes(Path(os.environ["THUOCDO_MEDIA_ROOT"])).items()}
    (out / "media.json").write_text(json.dumps(media))
    (out / "built.json").write_text(json.dumps(built))
    print(backup_create(output=out / "backups"))


if __name__ == "__main__":
    main()
