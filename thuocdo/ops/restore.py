"""`backup_restore`: put a backup folder back, all or nothing.

Checks first (manifest, version, migrations, every SHA-256, an empty database and media folder
unless forced), then loads the database in one transaction that verifies every table's count
before it commits (PostgreSQL: pg_restore's script and the ballot files through one
`psql --single-transaction`; SQLite: the online backup API from a checked copy; a SQLite backup
into PostgreSQL: thuocdo/ops/transfer.py), then the media files, checked again.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Field

from thuocdo.audit.services import audit_record
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
    known_migrations,
    media_files,
    sha256_file,
    table_models,
    table_of,
    version_tuple,
)
from thuocdo.ops.transfer import transfer_from_sqlite
from thuocdo.web.changes import (
    restore_generation,
    restore_generation_next,
    restore_generation_statements,
    sqlite_base_ensure,
)

# Tables `migrate` fills by itself: rows there do not make a database "not empty".
SETUP_TABLES = {"django_content_type", "auth_permission", "django_migrations"}


def backup_restore(
    directory: Path | str, *, force: bool = False, progress: Progress | None = None
) -> Manifest:
    """Restore a backup folder into the configured database and media folder."""
    progress = progress or Progress()
    directory = Path(directory)
    manifest = Manifest.read(directory)
    backup_check(directory, manifest, progress=progress)
    if not force:
        _check_empty()
    # Running web processes keep pages under the data stamp: the restored data comes with a
    # restore generation no stamp has carried, so none of them is served again.
    generation = restore_generation_next(restore_generation())
    staged = Path(tempfile.mkdtemp(prefix=".restore-", dir=_media_parent()))
    try:
        _stage_media(directory, manifest, staged, progress)
        engine = connection.vendor
        if manifest.engine == "postgresql" and engine == "postgresql":
            _restore_postgresql(directory, manifest, progress, generation)
        elif manifest.engine == "sqlite" and engine == "sqlite":
            _restore_sqlite(directory / SQLITE_FILE, manifest, progress, generation)
        elif manifest.engine == "sqlite":
            transfer_from_sqlite(directory / SQLITE_FILE, progress=progress, generation=generation)
        else:
            raise BackupError(
                "Bản sao lưu PostgreSQL chỉ khôi phục được vào PostgreSQL (cơ sở dữ liệu đang "
                f"dùng: {engine})."
            )
        progress.step("Cập nhật cấu trúc cơ sở dữ liệu (migrate)")
        call_command("migrate", verbosity=0, interactive=False)
        _install_media(staged, manifest, progress)
        # The restored audit trail ends with the restore itself (who: the server's account).
        audit_record(
            actor=None,
            action="ops.restore",
            object_type="ops.backup",
            object_repr=directory.name,
            after={
                "backup": directory.name,
                "created_at": manifest.created_at,
                "app_version": manifest.app_version,
                "engine": manifest.engine,
                "forced": force,
                "rows": sum(manifest.tables.values()),
                "files": len(manifest.media_files()),
                "secret_files_left_out": manifest.secret_files_left_out,
                "stamp_generation": restore_generation(),
            },
        )
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return manifest


def backup_check(directory: Path, manifest: Manifest, *, progress: Progress) -> None:
    """Refuse a backup from a newer version or with migrations this code lacks, or any file
    whose SHA-256 differs from the manifest's."""
    if version_tuple(manifest.app_version) > version_tuple(app_version()):
        raise BackupError(
            f"Bản sao lưu được tạo bởi Thước Đo {manifest.app_version}, mới hơn phiên bản đang "
            f"chạy ({app_version()}): hãy cập nhật phần mềm trước khi khôi phục."
        )
    known = known_migrations()
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "Bản sao lưu có cấu trúc dữ liệu mới hơn phần mềm đang chạy (migration không có ở "
            f"đây: {', '.join(unknown[:5])}): hãy cập nhật phần mềm trước khi khôi phục."
        )
    # Table names from the manifest reach SQL: only this code's own tables are accepted.
    strange = sorted(set(manifest.tables) - {m._meta.db_table for m in table_models()})
    if strange:
        raise BackupError(f"Bản kê nêu bảng không có trong phần mềm: {', '.join(strange[:5])}.")
    progress.step("Kiểm tra mã SHA-256 của từng tệp", total=len(manifest.files))
    for relative, digest in sorted(manifest.files.items()):
        path = directory / relative
        if not path.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp {relative}.")
        if sha256_file(path) != digest:
            raise BackupError(f"Tệp {relative} đã bị thay đổi hoặc hỏng (sai mã SHA-256).")
        progress.advance()


def _check_empty() -> None:
    """Refuse to overwrite a database or a media folder that holds data."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in table_models():
            table = model._meta.db_table
            if table in SETUP_TABLES or table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                raise BackupError(
                    f"Cơ sở dữ liệu đích đã có dữ liệu (bảng {table}). Chỉ khôi phục vào cơ sở "
                    "dữ liệu trống, hoặc dùng --force để thay toàn bộ dữ liệu hiện có."
                )
    root = Path(settings.MEDIA_ROOT)
    if next(media_files(root), None) is not None:
        raise BackupError(
            f"Thư mục tệp minh chứng {root} đã có tệp. Hãy dùng một thư mục trống, hoặc "
            "--force để ghi đè."
        )


# -- media -------------------------------------------------------------------------------
def _media_parent() -> Path:
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    return root.parent


def _stage_media(directory: Path, manifest: Manifest, staged: Path, progress: Progress) -> None:
    """Copy the backup's media beside the media folder (same disk), before the database."""
    names = manifest.media_files()
    progress.step("Chuẩn bị tệp minh chứng", total=len(names))
    for name in names:
        target = staged / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(directory / MEDIA_DIR / name, target)
        progress.advance()


def _install_media(staged: Path, manifest: Manifest, progress: Progress) -> None:
    """Move the staged files into the media folder and check each one's SHA-256 there."""
    root = Path(settings.MEDIA_ROOT)
    names = manifest.media_files()
    progress.step("Đặt tệp minh chứng vào chỗ và kiểm tra", total=len(names))
    for name in names:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged / name, target)
        if sha256_file(target) != manifest.files[f"{MEDIA_DIR}/{name}"]:
            raise BackupError(f"Tệp minh chứng {name} sai mã SHA-256 sau khi khôi phục.")
        progress.advance()


# -- SQLite ------------------------------------------------------------------------------
def _restore_sqlite(source: Path, manifest: Manifest, progress: Progress, generation: int) -> None:
    """Check the counts on a copy of the backup file and give it its restore generation, then
    copy it over the live database in one step of the online backup API (one write transaction
    on the target)."""
    progress.step("Kiểm tra số dòng từng bảng của bản sao lưu")
    live_file = Path(str(connection.settings_dict["NAME"]))
    # Beside the live database (same disk) if it is a file; the backup folder stays as checked.
    near = live_file.parent if live_file.is_file() else None
    workdir = Path(tempfile.mkdtemp(prefix=".restore-", dir=near))
    try:
        copy = workdir / SQLITE_FILE
        shutil.copyfile(source, copy)
        backup = sqlite3.connect(copy)
        try:
            _compare_counts(backup, manifest)
            with backup:
                cursor = backup.cursor()
                sqlite_base_ensure(cursor)
                for statement in restore_generation_statements("sqlite", generation):
                    cursor.execute(statement)
            progress.step("Chép cơ sở dữ liệu SQLite")
            connection.ensure_connection()
            if connection.in_atomic_block:
                raise BackupError("Không khôi phục được trong một giao dịch đang mở.")
            live: sqlite3.Connection = connection.connection
            backup.backup(live)
        finally:
            backup.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _compare_counts(connection.connection, manifest)


def _compare_counts(db: sqlite3.Connection, manifest: Manifest) -> None:
    wrong = []
    for table, expected in manifest.tables.items():
        row = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
        if row[0] != expected:
            wrong.append(f"{table}: {row[0]} dòng, cần {expected}")
    if wrong:
        raise BackupError("Số dòng không khớp với bản kê: " + "; ".join(wrong[:10]) + ".")


# -- PostgreSQL --------------------------------------------------------------------------
DROP_ALL = """DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE 'DROP TABLE IF EXISTS public.' || quote_ident(r.tablename) || ' CASCADE';
  END LOOP;
END $$;
DROP FUNCTION IF EXISTS public.thuocdo_change_note() CASCADE;
"""
# The data stamp's trigger function (thuocdo/web/changes.py) comes back with the dump, or, from
# a backup older than it, with the `migrate` that follows the restore.


def _count_check_sql(manifest: Manifest) -> str:
    """A DO block that aborts the restore's transaction if any table's count is wrong."""
    lines = ["DO $$", "DECLARE n bigint;", "BEGIN"]
    for table, expected in sorted(manifest.tables.items()):
        lines.append(f'  SELECT COUNT(*) INTO n FROM public."{table}";')  # noqa: S608
        lines.append(
            f"  IF n <> {int(expected)} THEN"
            f" RAISE EXCEPTION 'Bảng {table}: % dòng, cần {int(expected)}', n; END IF;"
        )
    lines += ["END $$;", ""]
    return "\n".join(lines)


def _restore_postgresql(
    directory: Path, manifest: Manifest, progress: Progress, generation: int
) -> None:
    """One psql transaction: drop every table, pg_restore's pre-data and data, the ballot
    files, pg_restore's post-data (keys, indexes), the count check, the restore generation."""
    pg_restore, psql = pgtools.tool("pg_restore"), pgtools.tool("psql")
    env = pgtools.libpq_env()
    dump = directory / PG_FILE
    progress.step("Khôi phục cơ sở dữ liệu (pg_restore → psql)", total=len(manifest.tables))
    connection.close()  # our own connection must not hold a lock on a table being replaced
    with tempfile.TemporaryFile() as errors:
        psql_process = subprocess.Popen(  # noqa: S603 - our arguments, no shell
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
        assert psql_process.stdin is not None
        sink = psql_process.stdin
        try:
            sink.write(DROP_ALL.encode())
            for section in ("pre-data", "data"):
                _pipe_section(pg_restore, dump, section, sink, env, progress)
            for label in BALLOT_LABELS:
                table = table_of(label)
                columns = ", ".join(f'"{f.column}"' for f in _fields(label))
                sink.write(f'\nCOPY public."{table}" ({columns}) FROM stdin;\n'.encode())
                with (directory / BALLOT_DIR / f"{table}.copy").open("rb") as handle:
                    shutil.copyfileobj(handle, sink)
                sink.write(b"\\.\n")
                progress.advance()
            _pipe_section(pg_restore, dump, "post-data", sink, env, progress)
            sink.write(_count_check_sql(manifest).encode())
            statements = restore_generation_statements("postgresql", generation)
            sink.write("".join(f"{sql};\n" for sql in statements).encode())
            sink.close()
        except BrokenPipeError:
            pass  # psql stopped on an error: its message follows
        if psql_process.wait() != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip().splitlines()[-5:]
            raise BackupError(
                "Khôi phục thất bại, cơ sở dữ liệu không bị thay đổi: " + " ".join(message)
            )


def _fields(label: str) -> list[Field[Any, Any]]:
    from django.apps import apps

    return list(apps.get_model(label)._meta.concrete_fields)


def _pipe_section(
    pg_restore: str,
    dump: Path,
    section: str,
    sink: object,
    env: dict[str, str],
    progress: Progress,
) -> None:
    """Stream one section of pg_restore's SQL script into psql, counting tables as they go."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - our arguments, no shell
            [pg_restore, "--no-owner", "--no-privileges", f"--section={section}", "-f", "-", dump],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        assert process.stdout is not None
        while chunk := process.stdout.read(1 << 20):
            sink.write(chunk)  # type: ignore[attr-defined]
            if section == "data":
                progress.advance(chunk.count(b"\nCOPY public."))
        if process.wait() != 0:
            errors.seek(0)
            raise BackupError(
                f"pg_restore thất bại: {errors.read().decode(errors='replace').strip()[-500:]}"
            )
