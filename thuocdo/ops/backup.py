"""`backup_create`: one folder holding the database (pg_dump's custom format on PostgreSQL,
SQLite's online backup API on SQLite), the media files and a manifest with counts and checksums.

What never travels (thuocdo/ops/manifest.py): sessions, API tokens and the job queue; the
jobs' files that hold secrets (one-time passwords, sealed); the ballots of a vote still open
(the vote travels as a draft). On PostgreSQL the tables are read in
one snapshot (pg_dump --snapshot), so the counts, the dump and the ballot files agree.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.jobs.files import job_file_holds_secrets
from thuocdo.jobs.progress import Progress
from thuocdo.ops import pgtools
from thuocdo.ops.manifest import (
    BALLOT_DIR,
    BALLOT_LABELS,
    MEDIA_DIR,
    PG_FILE,
    SQLITE_FILE,
    BackupError,
    Manifest,
    app_version,
    left_out_tables,
    media_files,
    sha256_file,
    table_models,
    table_of,
)

OPEN = "open"


def backup_create(
    *, output: Path | str | None = None, progress: Progress | None = None, actor: Any = None
) -> Path:
    """Write a backup folder under `output` (THUOCDO_BACKUP_DIR by default) and return it,
    audited (`actor`: who asked; None for the schedule and the command line). The folder
    appears whole or not at all: it is written under a temporary name."""
    progress = progress or Progress()
    root = Path(output or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = root / f"thuocdo-{stamp}"
    number = 1
    while final.exists():
        number += 1
        final = root / f"thuocdo-{stamp}-{number}"
    partial = root / f".{final.name}.partial"
    # Password hashes and second-factor secrets are in it: for the server's account only.
    partial.mkdir(mode=0o700)
    try:
        if connection.vendor == "postgresql":
            manifest = _backup_postgresql(partial, progress)
        elif connection.vendor == "sqlite":
            manifest = _backup_sqlite(partial, progress)
        else:  # pragma: no cover - only the two engines are supported
            raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
        _backup_media(partial, manifest, progress)
        progress.step("Tính mã kiểm tra (SHA-256) của cơ sở dữ liệu")
        for path in sorted(partial.rglob("*")):
            relative = path.relative_to(partial).as_posix()
            if path.is_file() and not relative.startswith(MEDIA_DIR + "/"):
                manifest.files[relative] = sha256_file(path)
        manifest.write(partial)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    audit_record(
        actor=actor,
        action="ops.backup",
        object_type="ops.backup",
        object_repr=final.name,
        after={
            "backup": final.name,
            "folder": str(final),
            "engine": manifest.engine,
            "rows": sum(manifest.tables.values()),
            "files": len(manifest.media_files()),
            "secret_files_left_out": manifest.secret_files_left_out,
        },
    )
    return final


def _columns(label: str) -> list[str]:
    from django.apps import apps

    return [f.column for f in apps.get_model(label)._meta.concrete_fields]


# -- SQLite ------------------------------------------------------------------------------
def _backup_sqlite(directory: Path, progress: Progress) -> Manifest:
    """Copy the live database with SQLite's online backup API, then clean the copy."""
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    target_path = directory / SQLITE_FILE
    target = sqlite3.connect(target_path)
    try:
        progress.step("Sao chép cơ sở dữ liệu SQLite (trang)")

        def pages(status: int, remaining: int, total: int) -> None:
            progress.update(total - remaining, total)

        source.backup(target, pages=4096, progress=pages)
        progress.step(
            "Loại bỏ phiên đăng nhập, mã API, hàng đợi và phiếu của cuộc bỏ phiếu đang mở"
        )
        target.execute("PRAGMA secure_delete = ON")
        campaigns_reset = [row[0] for row in target.execute(_open_campaigns_sql())]
        with target:
            for table in left_out_tables():
                target.execute(f'DELETE FROM "{table}"')  # noqa: S608 - our own table names
            for sql in _ballot_scrub_sql():
                target.execute(sql)
        # VACUUM rebuilds the file from the live rows: deleted rows and freed pages are gone.
        target.execute("VACUUM")
        target.execute("PRAGMA journal_mode = DELETE")
        tables = {
            model._meta.db_table: target.execute(
                f'SELECT COUNT(*) FROM "{model._meta.db_table}"'  # noqa: S608
            ).fetchone()[0]
            for model in table_models()
        }
        migrations: dict[str, list[str]] = {}
        for app, name in target.execute(
            "SELECT app, name FROM django_migrations ORDER BY app, name"
        ):
            migrations.setdefault(app, []).append(name)
    finally:
        target.close()
    return Manifest(
        app_version=app_version(),
        engine="sqlite",
        server_version=sqlite3.sqlite_version,
        created_at=timezone.now().isoformat(),
        migrations=migrations,
        tables=tables,
        left_out=left_out_tables(),
        campaigns_reset=campaigns_reset,
    )


def _open_campaigns_sql() -> str:
    return f"SELECT id FROM \"{table_of('ballots.campaign')}\" WHERE state = '{OPEN}' ORDER BY id"  # noqa: S608


def _ballot_scrub_sql() -> list[str]:
    """The statements that turn open votes into drafts without their ballots (SQLite copy)."""
    campaign, summons, ballot, batch = (table_of(label) for label in BALLOT_LABELS)
    opened = f"SELECT id FROM \"{campaign}\" WHERE state = '{OPEN}'"  # noqa: S608
    return [
        f'DELETE FROM "{ballot}" WHERE campaign_id IN ({opened})',  # noqa: S608
        f'DELETE FROM "{batch}" WHERE campaign_id IN ({opened})',  # noqa: S608
        f'UPDATE "{summons}" SET voted = 0, credential_hash = NULL WHERE campaign_id IN ({opened})',  # noqa: S608
        f"UPDATE \"{campaign}\" SET state = 'draft', paper_issued = 0 WHERE state = '{OPEN}'",  # noqa: S608
    ]


# -- PostgreSQL --------------------------------------------------------------------------
def pg_connect() -> psycopg.Connection[Any]:
    """A connection of our own to the configured PostgreSQL database (not Django's)."""
    params: dict[str, Any] = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    )


def ballot_selects(open_ids: list[int]) -> dict[str, str]:
    """Per ballot table, the SELECT whose rows travel (columns in table order): ballots and
    batches of closed votes only, in the order of their random keys; open votes as drafts."""
    # "x NOT IN (NULL)" is never true: with no open vote, -1 (no campaign has it) stands in.
    ids = ",".join(str(int(i)) for i in open_ids) or "-1"
    campaign, summons, ballot, batch = (table_of(label) for label in BALLOT_LABELS)
    override = {
        campaign: {
            "state": f"CASE WHEN id IN ({ids}) THEN 'draft' ELSE state END",
            "paper_issued": f"CASE WHEN id IN ({ids}) THEN 0 ELSE paper_issued END",
        },
        summons: {
            "voted": f"CASE WHEN campaign_id IN ({ids}) THEN false ELSE voted END",
            "credential_hash": (
                f"CASE WHEN campaign_id IN ({ids}) THEN NULL ELSE credential_hash END"
            ),
        },
    }
    where = {ballot: f"campaign_id NOT IN ({ids})", batch: f"campaign_id NOT IN ({ids})"}
    selects = {}
    for label in BALLOT_LABELS:
        table = table_of(label)
        columns = ", ".join(
            override.get(table, {}).get(column, f'"{column}"') for column in _columns(label)
        )
        condition = f" WHERE {where[table]}" if table in where else ""
        selects[table] = f'SELECT {columns} FROM public."{table}"{condition} ORDER BY id'  # noqa: S608
    return selects


def _backup_postgresql(directory: Path, progress: Progress) -> Manifest:
    """pg_dump in its custom format, the ballot tables through our own COPY, one snapshot."""
    pg_dump = pgtools.tool("pg_dump")
    left_out = left_out_tables()
    ballot_tables = [table_of(label) for label in BALLOT_LABELS]
    models = table_models()
    with pg_connect() as snap:
        snap.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = snap.execute(
            "SELECT pg_export_snapshot(), current_setting('server_version')"
        ).fetchone()
        assert row is not None
        snapshot, version = str(row[0]), str(row[1]).split()[0]
        open_ids = [r[0] for r in snap.execute(_open_campaigns_sql())]
        progress.step("Đếm số dòng từng bảng", total=len(models))
        tables: dict[str, int] = {}
        for model in models:
            table = model._meta.db_table
            if table in left_out:
                tables[table] = 0
            elif table not in ballot_tables:
                counted = snap.execute(f'SELECT COUNT(*) FROM public."{table}"').fetchone()  # noqa: S608
                tables[table] = int(counted[0]) if counted else 0
            progress.advance()
        migrations: dict[str, list[str]] = {}
        for app, name in snap.execute("SELECT app, name FROM django_migrations ORDER BY app, name"):
            migrations.setdefault(app, []).append(name)

        dumped = len(models) - len(left_out) - len(ballot_tables) + 1  # + django_migrations
        progress.step("Sao lưu cơ sở dữ liệu (pg_dump)", total=dumped)
        command = [
            pg_dump,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--verbose",
            f"--snapshot={snapshot}",
            f"--file={directory / PG_FILE}",
        ]
        command += [f"--exclude-table-data=public.{t}" for t in [*left_out, *ballot_tables]]
        _run_tool(command, progress, marker="dumping contents of table")

        progress.step(
            "Sao lưu phiếu tín nhiệm (chỉ các cuộc đã kiểm phiếu)", total=len(ballot_tables)
        )
        (directory / BALLOT_DIR).mkdir()
        for table, select in ballot_selects(open_ids).items():
            count = 0
            with (directory / BALLOT_DIR / f"{table}.copy").open("wb") as handle:
                cursor = snap.cursor()
                with cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
                    for data in copy:
                        handle.write(data)
                        count += bytes(data).count(b"\n")
            tables[table] = count
            progress.advance()
        snap.execute("ROLLBACK")
    return Manifest(
        app_version=app_version(),
        engine="postgresql",
        server_version=version,
        created_at=timezone.now().isoformat(),
        migrations=migrations,
        tables=tables,
        left_out=left_out,
        campaigns_reset=open_ids,
    )


def _run_tool(command: list[str], progress: Progress, *, marker: str) -> None:
    """Run a client tool, advancing progress on each of its verbose lines holding `marker`;
    its error output becomes a BackupError."""
    process = subprocess.Popen(  # noqa: S603 - our arguments, no shell
        command, env=pgtools.libpq_env(), stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    lines: list[str] = []
    for line in process.stderr:
        if marker in line:
            progress.advance()
        else:
            lines.append(line)
    if process.wait() != 0:
        tail = "".join(lines[-15:]).strip()
        raise BackupError(f"{Path(command[0]).name} thất bại (mã {process.returncode}): {tail}")


# -- media -------------------------------------------------------------------------------
def _backup_media(directory: Path, manifest: Manifest, progress: Progress) -> None:
    """Copy the media folder beside the database, recording each file's SHA-256, except the
    jobs' files that hold secrets (one-time passwords): sealed or not, they stay here."""
    root = Path(settings.MEDIA_ROOT)
    files = []
    for relative in media_files(root):
        if job_file_holds_secrets(relative.as_posix()):
            manifest.secret_files_left_out += 1
        else:
            files.append(relative)
    progress.step("Sao chép tệp minh chứng", total=len(files))
    for relative in files:
        target = directory / MEDIA_DIR / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
        manifest.files[f"{MEDIA_DIR}/{relative.as_posix()}"] = sha256_file(target)
        progress.advance()
