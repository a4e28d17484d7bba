"""The data stamp (thuocdo/web/changes.py): it grows with every committed write to a table a
page may show, whichever way the write is made, and only with those."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction

from thuocdo.org.models import Unit
from thuocdo.web.changes import data_stamp, triggers_install, watched_tables

committed = pytest.mark.django_db(transaction=True)


def _count(stamp: str) -> int:
    return int(stamp.split(".")[0])


@committed
def test_the_stamp_grows_with_a_committed_write_and_not_with_a_session(world):
    before = data_stamp()
    SessionStore().save(must_create=True)
    assert data_stamp() == before
    Unit.objects.filter(pk=world.p1.pk).update(name="Phường Một Mới")
    assert _count(data_stamp()) == _count(before) + 1


@committed
def test_a_rolled_back_transaction_does_not_count(world):
    before = data_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        Unit.objects.filter(pk=world.p1.pk).update(name="Phường Một Cũ")
        raise RuntimeError
    assert data_stamp() == before


@committed
def test_on_postgresql_a_transaction_counts_once(world):
    before = _count(data_stamp())
    with transaction.atomic():
        Unit.objects.filter(pk=world.p1.pk).update(name="Phường Một Mới")
        Unit.objects.filter(pk=world.p2.pk).update(name="Phường Hai Mới")
    # SQLite, with one writer at a time, counts each row.
    assert _count(data_stamp()) == before + (1 if connection.vendor == "postgresql" else 2)


@committed
def test_pruning_the_change_rows_never_lowers_the_stamp(world):
    stamps = [_count(data_stamp())]
    for k in range(300):  # past a prune (every 256th row on PostgreSQL)
        Unit.objects.filter(pk=world.p1.pk).update(name=f"Phường Một {k}")
        stamps.append(_count(data_stamp()))
    assert stamps == list(range(stamps[0], stamps[0] + 301))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), (SELECT pruned FROM thuocdo_change_base) FROM thuocdo_change"
            )
            kept, pruned = cursor.fetchone()
            assert kept <= 2 * 256 and pruned > 0


@pytest.mark.django_db
def test_every_table_of_the_records_is_watched_and_the_busy_ones_are_not():
    tables = set(watched_tables())
    assert {"work_task", "work_workplan", "org_person", "org_roleassignment"} <= tables
    assert {"reviews_monthlyscore", "work_monthlock", "org_user"} <= tables
    assert not {"django_session", "thuocdo_cache", "audit_auditevent", "jobs_job"} & tables
    assert not {"ballots_sealedballot", "ballots_summons"} & tables  # a vote writes nothing else


def _triggers_on(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = %s AND t.tgname = 'thuocdo_change'",
                [table],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_table_no_longer_watched_loses_its_trigger(monkeypatch):
    assert _triggers_on("work_task") > 0 and _triggers_on("ballots_summons") == 0
    monkeypatch.setattr("thuocdo.web.changes.UNWATCHED_PREFIXES", ("django_session",))
    triggers_install()
    assert _triggers_on("ballots_summons") > 0
    monkeypatch.undo()
    triggers_install()
    assert _triggers_on("ballots_summons") == 0 and _triggers_on("work_task") > 0
