"""The data stamp: a number that grows with every committed write to the records pages show,
so that a page rendered under one stamp can be reused, without going stale, until it grows.

Database triggers, not the services, keep it: they also see the admin, the imports, the jobs,
`queryset.update()` and tables added by later migrations (the triggers are (re)installed after
every `migrate`). Only tables no cached page shows and that are written all the time are left
out (sessions, the cache, audit and login records, job progress), and what a vote writes.

PostgreSQL: each writing transaction inserts one row into `thuocdo_change` (a statement
trigger, at most once per transaction), so writers never wait on one another; the stamp is the
number of rows ever committed there (the rows still there plus those pruned, counted in
`thuocdo_change_base` by the same transaction that deletes them) and the highest id, read in
one statement, so it changes exactly when a new write is committed and visible. A reader reads
the stamp before the data: whatever it then renders is at least as new as the stamp.
SQLite has one writer at a time: a row trigger adds one to a counter.

A restore puts back an older count (and, on PostgreSQL, an older sequence), which a running web
process may already have kept a different page under. So the stamp also carries the restore
generation (`thuocdo_change_base.restored`), which every restore moves, in the same transaction
as the data it puts back, to a value never used before: past the live database's, past the
backup's, and at least the clock in microseconds (`restore_generation_next`).
"""

from __future__ import annotations

import time
from typing import Any

from django.db import DatabaseError, connections, transaction

from thuocdo.security.models import CACHE_TABLE

# Written constantly and shown on no cached page (a page reads them live, or not at all).
UNWATCHED_PREFIXES = (
    "thuocdo_change",
    "django_session",
    "django_migrations",
    "django_admin_log",
    "django_tasks_database_",
    "audit_",
    "axes_",
    "knox_",
    "otp_",
    "jobs_job",
    # Casting a vote writes the sealed ballot and the has-voted mark and nothing else, not even
    # a count of writes (docs/ballots.md).
    "ballots_sealedballot",
    "ballots_summons",
)
# Every 256th change row, its writer prunes the rows older than the last 256.


# The stamp's tables on PostgreSQL, made if missing (also by a restore, in its own transaction,
# from a backup older than them); `restored` is the restore generation.
def _pg_tables(schema: str = "") -> list[str]:
    """The statements; `schema` ("public.") where the search path is empty (pg_restore's)."""
    return [
        f"CREATE TABLE IF NOT EXISTS {schema}thuocdo_change (id bigserial PRIMARY KEY)",
        f"CREATE TABLE IF NOT EXISTS {schema}thuocdo_change_base (pruned bigint NOT NULL, "
        "one boolean PRIMARY KEY DEFAULT true CHECK (one))",
        f"ALTER TABLE {schema}thuocdo_change_base "
        "ADD COLUMN IF NOT EXISTS restored bigint NOT NULL DEFAULT 0",
        f"INSERT INTO {schema}thuocdo_change_base (pruned) VALUES (0) ON CONFLICT DO NOTHING",  # noqa: S608
    ]


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION thuocdo_change_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_id bigint;
BEGIN
    IF current_setting('thuocdo.change_xact', true) IS DISTINCT FROM txid_current()::text THEN
        INSERT INTO thuocdo_change DEFAULT VALUES RETURNING id INTO new_id;
        PERFORM set_config('thuocdo.change_xact', txid_current()::text, true);
        -- One pruner at a time (the others skip), so no writer ever waits for it.
        IF new_id % 256 = 0 AND pg_try_advisory_xact_lock(hashtext('thuocdo_change')) THEN
            WITH gone AS (DELETE FROM thuocdo_change WHERE id < new_id - 256 RETURNING 1)
            UPDATE thuocdo_change_base SET pruned = pruned + (SELECT count(*) FROM gone);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
"""


def _tables(using: str) -> list[str]:
    with connections[using].cursor() as cursor:
        names = connections[using].introspection.table_names(cursor, include_views=False)
    return sorted(name for name in names if not name.startswith(("sqlite_", "thuocdo_change")))


def _watched(name: str) -> bool:
    return not name.startswith(UNWATCHED_PREFIXES) and name != CACHE_TABLE


def watched_tables(using: str = "default") -> list[str]:
    """Every table of the database whose writes grow the stamp."""
    return [name for name in _tables(using) if _watched(name)]


def triggers_install(using: str = "default") -> int:
    """Create the stamp's tables and a trigger on every watched table; safe to run again."""
    connection = connections[using]
    tables = _tables(using)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in _pg_tables():
                cursor.execute(statement)
            cursor.execute(_PG_FUNCTION)
            for table in tables:
                # A table no longer watched loses its trigger.
                cursor.execute(
                    "CREATE OR REPLACE TRIGGER thuocdo_change AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {quote(table)} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION thuocdo_change_note()"
                    if _watched(table)
                    else f"DROP TRIGGER IF EXISTS thuocdo_change ON {quote(table)}"
                )
        else:
            sqlite_base_ensure(cursor)
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"thuocdo_change_{event.lower()}_{table}")
                    head = f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)}"
                    body = "BEGIN UPDATE thuocdo_change_base SET pruned = pruned + 1; END"
                    cursor.execute(  # introspected names, quoted
                        f"{head} {body}" if _watched(table) else f"DROP TRIGGER IF EXISTS {name}"
                    )
    return sum(map(_watched, tables))


def sqlite_base_ensure(cursor: Any) -> None:
    """Make SQLite's counter table, with its restore generation, if missing (a Django cursor or
    a plain sqlite3 one: the restore prepares a copy of the backup with it)."""
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS thuocdo_change_base (one integer PRIMARY KEY, "
        "pruned integer NOT NULL, restored integer NOT NULL DEFAULT 0)"
    )
    cursor.execute("PRAGMA table_info(thuocdo_change_base)")
    if "restored" not in {row[1] for row in cursor.fetchall()}:
        cursor.execute(
            "ALTER TABLE thuocdo_change_base ADD COLUMN restored integer NOT NULL DEFAULT 0"
        )
    cursor.execute("INSERT OR IGNORE INTO thuocdo_change_base (one, pruned) VALUES (1, 0)")


def data_stamp(using: str = "default") -> str:
    """The stamp now: read it before the data it vouches for."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT (SELECT count(*) FROM thuocdo_change) + (SELECT pruned FROM "
                "thuocdo_change_base), (SELECT max(id) FROM thuocdo_change), "
                "(SELECT restored FROM thuocdo_change_base)"
            )
        else:
            cursor.execute("SELECT pruned, 0, restored FROM thuocdo_change_base")
        row: Any = cursor.fetchone()
    return f"{row[0]}.{row[1]}.{row[2]}"


def restore_generation(using: str = "default") -> int:
    """The live database's restore generation (0 before its first restore, or if the stamp's
    tables are not there yet)."""
    try:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute("SELECT restored FROM thuocdo_change_base")
            row: Any = cursor.fetchone()
    except DatabaseError:
        return 0
    return int(row[0]) if row else 0


def restore_generation_next(live: int) -> int:
    """A generation no stamp has carried: past the live database's (`live`, read before the
    restore), and at least the clock in microseconds, so a database made afresh is past too."""
    return max(live + 1, time.time_ns() // 1000)


def restore_generation_statements(vendor: str, generation: int) -> list[str]:
    """The SQL that sets the restore generation inside the restore's own transaction: at
    least `generation`, and past the backup's own (from another server, say)."""
    # Our own names and an integer. On PostgreSQL, run inside the restore's psql script, whose
    # search path pg_restore emptied.
    if vendor != "postgresql":
        return [f"UPDATE thuocdo_change_base SET restored = MAX(restored + 1, {generation:d})"]  # noqa: S608
    update = "UPDATE public.thuocdo_change_base SET restored = "
    update += f"GREATEST(restored + 1, {generation:d})"
    return [*_pg_tables("public."), update]


def install_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: every table, including those of the migrations just applied."""
    triggers_install(using)
