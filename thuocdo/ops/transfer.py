"""Moving a SQLite backup into another database (PostgreSQL, when a city leaves the embedded
SQLite): every table read through Django's fields from a copy of the backup brought to the
current migrations, written with COPY (PostgreSQL) or batched INSERTs, in one transaction, with
the counts checked before it commits. Values go through the model fields both ways, so
timestamps keep their microseconds and JSON, decimals and keys come back as they were."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, models, transaction
from django.db.utils import load_backend

from thuocdo.jobs.progress import Progress
from thuocdo.ops.manifest import BackupError, table_models
from thuocdo.web.changes import restore_generation_statements

SOURCE = "thuocdo_transfer"
BATCH = 5000


def transfer_from_sqlite(
    sqlite_file: Path, *, progress: Progress, generation: int | None = None
) -> dict[str, int]:
    """Replace the default database's rows with those of a SQLite backup file; returns the
    count per table. Raises BackupError (nothing changed) if any count differs. With
    `generation`, the data stamp's restore generation is set in the same transaction."""
    workdir = Path(tempfile.mkdtemp(prefix="thuocdo-transfer-"))
    copy = workdir / "source.sqlite3"
    shutil.copyfile(sqlite_file, copy)
    config: dict[str, Any] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(copy),
        "TEST": {"NAME": str(copy)},
    }
    configured: Any = connections.configure_settings(
        {"default": connections.settings["default"], SOURCE: config}
    )
    # A connection made here and not declared in the settings: nothing else (the pages, the
    # test framework's guards) sees this alias.
    source = load_backend(config["ENGINE"]).DatabaseWrapper(configured[SOURCE], SOURCE)
    connections[SOURCE] = source
    try:
        progress.step("Chuẩn bị: cập nhật cấu trúc bản sao lưu và cơ sở dữ liệu đích")
        call_command("migrate", database=SOURCE, verbosity=0, interactive=False)
        call_command("migrate", database="default", verbosity=0, interactive=False)
        return _copy_all(progress, generation)
    finally:
        source.close()
        del connections[SOURCE]
        shutil.rmtree(workdir, ignore_errors=True)


def _copy_all(progress: Progress, generation: int | None) -> dict[str, int]:
    tables = table_models()
    expected = {model._meta.db_table: model._base_manager.using(SOURCE).count() for model in tables}
    progress.step("Chép dữ liệu từng bảng", total=sum(expected.values()))
    with transaction.atomic():
        _empty(tables)
        for model in tables:
            _copy_table(model, progress)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(sql)
        counted = {m._meta.db_table: m._base_manager.count() for m in tables}
        wrong = [f"{t}: {counted[t]} dòng, cần {n}" for t, n in expected.items() if counted[t] != n]
        if wrong:
            raise BackupError("Số dòng sau khi chép không khớp: " + "; ".join(wrong) + ".")
        if generation is not None:
            with connection.cursor() as cursor:
                for sql in restore_generation_statements(connection.vendor, generation):
                    cursor.execute(sql)
    return counted


def _empty(tables: list[type[models.Model]]) -> None:
    """Delete every row of the target's tables (inside the transaction)."""
    names = [connection.ops.quote_name(str(m._meta.db_table)) for m in tables]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        else:
            for name in names:
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - our own table names


def _copy_table(model: type[models.Model], progress: Progress) -> None:
    fields = list(model._meta.concrete_fields)
    attnames = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    rows = (
        model._base_manager.using(SOURCE)
        .order_by("pk")
        .values_list(*attnames)
        .iterator(chunk_size=BATCH)
    )

    def prepared(row: tuple[Any, ...]) -> list[Any]:
        return [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]

    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection.cursor()
        with raw, raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            count = 0
            for row in rows:
                copy.write_row(prepared(row))
                count += 1
                if count % 1000 == 0:
                    progress.advance(1000)
            progress.advance(count % 1000)
        return
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(prepared(row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                progress.update(progress.done + len(batch))
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            progress.update(progress.done + len(batch))
