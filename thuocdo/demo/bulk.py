"""How the demo writes hundreds of thousands of rows: plain tuples in one COPY on PostgreSQL
(one `executemany` on SQLite), ids it assigns itself, and on PostgreSQL foreign keys checked
once over each table at the end instead of row by row.

`bulk_create` spends most of its time preparing each value of each model instance and, on
PostgreSQL, quoting its arrays on the client (Django binds parameters client-side); at 200,000
people (1,4 million tasks, 800,000 results of past years) that is minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

# Rows per `executemany` call on SQLite.
SQLITE_BATCH = 10_000


def rows_insert(
    model: type[models.Model], columns: Sequence[str], values: Iterable[tuple[Any, ...]]
) -> int:
    """Insert rows given as tuples, in the order of `columns` (field names or attnames), the
    values already what the database takes (aware times are adapted here); return how many."""
    meta = model._meta
    by_name = {f.attname: f for f in meta.concrete_fields} | {
        f.name: f for f in meta.concrete_fields
    }
    db_columns = [str(by_name[name].column) for name in columns]
    quote = connection.ops.quote_name
    table, names = quote(meta.db_table), ", ".join(quote(c) for c in db_columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Names come from the model's metadata; the values travel as COPY data. The raw
            # cursor's errors are turned into Django's, as its own cursor does.
            sql = f"COPY {table} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for row in values:
                    copy.write_row(row)
                    count += 1
            return count
        # SQLite takes aware times as naive UTC text.
        adapt = connection.ops.adapt_datetimefield_value
        timed = [
            n
            for n, name in enumerate(columns)
            if by_name[name].get_internal_type() == "DateTimeField"
        ]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the metadata
            table, names, ", ".join(["%s"] * len(columns))
        )
        batch: list[tuple[Any, ...]] = []
        for row in values:
            if timed:
                items = list(row)
                for n in timed:
                    items[n] = adapt(items[n])
                row = tuple(items)
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def objects_insert(objs: Sequence[models.Model]) -> None:
    """Insert unsaved model instances of one model, giving those without an id the next free
    ids in order (as a fresh table's sequence would), and move the table's sequence past them."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    first = next_id(model)
    for n, obj in enumerate(objs):
        if obj.pk is None:
            obj.pk = first + n
    fields = list(meta.concrete_fields)
    for field in fields:
        if isinstance(field, models.ForeignKey):
            # A related object saved after it was assigned: take its id, as bulk_create does.
            for obj in objs:
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    related = field.get_cached_value(obj)
                    if related is not None:
                        setattr(obj, field.attname, related.pk)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                field.pre_save(obj, add=True)
    attnames = [f.attname for f in fields]
    get = attrgetter(*attnames)
    rows_insert(model, attnames, (get(obj) for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    sequences_reset(model)


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of a table (the demo writes its ids itself)."""
    top = model._default_manager.aggregate(top=Max("pk"))["top"]
    return int(top or 0) + 1


def sequences_reset(*models_: type[models.Model]) -> None:
    """Move the id sequences past the ids written (PostgreSQL; SQLite follows by itself)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(sql)


def tables_analyze(*models_: type[models.Model]) -> None:
    """Refresh the query planner's statistics of the tables just filled in bulk, and of those
    only: an ANALYZE of the whole database samples every table again, the millions of rows
    written by earlier phases included (seconds each time at 200,000 people). `thuocdo demo`
    analyzes the whole database once at the end."""
    quote = connection.ops.quote_name
    names = ", ".join(sorted({quote(m._meta.db_table) for m in models_}))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {names}")
            return
        for name in names.split(", "):  # SQLite analyzes one table (or all) at a time
            cursor.execute(f"ANALYZE {name}")


@contextmanager
def foreign_keys_checked_at_end() -> Iterator[None]:
    """On PostgreSQL, inside the caller's transaction, drop the foreign keys of Thước Đo's
    tables for the block and add them back after it.

    Each row inserted under a foreign key queues a check that runs one lookup per row at
    commit (minutes for millions of rows); adding the key back checks the whole table in one
    join. The keys are the same before and after, and if the block fails the rollback restores
    them. SQLite checks nothing until commit either way, so there the block just runs.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = sorted(
        {m._meta.db_table for m in apps.get_models() if m.__module__.startswith("thuocdo.")}
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # A table with checks still queued cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid "
            "WHERE k.contype = 'f' AND c.relname = ANY(%s) "
            "AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname, k.conname",
            [tables],
        )
        keys: list[tuple[str, str, str]] = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, definition in keys:
            # The definition is PostgreSQL's own text of the key just dropped.
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
