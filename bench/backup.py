"""Backup and restore of the 200.000-person city on PostgreSQL.

Builds the demo city with a month of work (as bench/monthly.py does: 3 verified tasks per
person) and some evidence files in the configured database if it is empty, times
`thuocdo backup`, then restores into a second database made for the purpose (and dropped
afterwards) and times that, checking every table's count.

    DATABASE_URL=postgres://thuocdo:thuocdo@127.0.0.1:5432/thuocdo_ops \\
        THUOCDO_MEDIA_ROOT=/tmp/bench-media .venv/bin/python bench/backup.py [--people N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thuocdo.settings")

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from monthly import work_record  # noqa: E402 - bench/ is the script's folder

from thuocdo.demo.registry import demo_build, demo_is_empty  # noqa: E402
from thuocdo.jobs.progress import Progress  # noqa: E402
from thuocdo.ops.backup import backup_create  # noqa: E402
from thuocdo.ops.restore import backup_restore  # noqa: E402


def _admin(dbname: str) -> psycopg.Connection[tuple[object, ...]]:
    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None,
        host=db["HOST"] or None, port=db["PORT"] or None, autocommit=True,
    )  # fmt: skip


def _size(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    """Build if empty, back up, restore into a fresh database, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=1000, help="evidence files (20 kB each)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Cần PostgreSQL (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    if demo_is_empty():
        t0 = time.perf_counter()
        demo_build(people=args.people, seed=2026)
        count = work_record(2026)
        folder = media / "work" / "evidence" / "2026" / "10"
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(args.files):
            (folder / f"minh-chung-{n:05d}.pdf").write_bytes(os.urandom(20_000))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"city: {args.people:,} people, {count:,} tasks, {args.files:,} files "
              f"built in {time.perf_counter() - t0:.0f} s")  # fmt: skip
    output = Path(tempfile.mkdtemp(prefix="thuocdo-bench-"))
    try:
        t0 = time.perf_counter()
        progress = Progress(console=sys.stderr)
        folder = backup_create(output=output, progress=progress)
        progress.close()
        backup_s = time.perf_counter() - t0
        from thuocdo.ops.manifest import Manifest

        manifest = Manifest.read(folder)
        rows = sum(manifest.tables.values())
        print(f"backup: {rows:,} rows in {len(manifest.tables)} tables, "
              f"{len(manifest.media_files()):,} files, {_size(folder):.0f} MB, "
              f"{backup_s:.1f} s")  # fmt: skip

        target = f"{connection.settings_dict['NAME']}_restore"
        with _admin(target) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
            admin.execute(f'CREATE DATABASE "{target}"')
        original = connection.settings_dict["NAME"]
        restored_media = Path(tempfile.mkdtemp(prefix="thuocdo-bench-media-")) / "media"
        try:
            connections.close_all()
            connection.settings_dict["NAME"] = target
            settings.MEDIA_ROOT = restored_media
            t0 = time.perf_counter()
            progress = Progress(console=sys.stderr)
            backup_restore(folder, progress=progress)
            progress.close()
            restore_s = time.perf_counter() - t0
            print(
                f"restore into an empty database: {restore_s:.1f} s (counts and checksums checked)"
            )
        finally:
            connections.close_all()
            connection.settings_dict["NAME"] = original
            shutil.rmtree(restored_media.parent, ignore_errors=True)
            with _admin(target) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
    finally:
        shutil.rmtree(output, ignore_errors=True)


if __name__ == "__main__":
    main()
