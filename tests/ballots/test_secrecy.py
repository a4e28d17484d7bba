"""Nobody with the whole database can tell how anyone voted (issue 7, acceptance; issue 14):
after an electronic vote of 30, every table and column, in the order a plain `SELECT *` returns
it, and `dumpdata`, hold nothing that matches a ballot with a voter: while the vote is open the
ballots are sealed, and they are written in clear only at the close, in a random order.
The system columns (xmin, ctid) and dead row versions: tests/ballots/test_dead_rows.py."""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, models

from tests.ballots.helpers import marks, open_campaign
from thuocdo.ballots import services
from thuocdo.ballots.models import Ballot, Campaign, SealedBallot, Summons
from thuocdo.opinions.services import normalise_code
from thuocdo.org.models import Person, User
from thuocdo.rules.confidence import CHOICES

pytestmark = pytest.mark.django_db


Dump = dict[str, list[tuple[str, ...]]]


def _dump() -> Dump:
    """Every row of every table, in the order `SELECT *` returns it (no ORDER BY); the first
    line of each table is its column names."""
    return {t: _dump_table(t) for t in sorted(connection.introspection.table_names())}


def _dump_table(table: str) -> list[tuple[str, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = [tuple(str(v) for v in row) for row in cursor.fetchall()]
        return [tuple(c[0] for c in cursor.description), *rows]


def _physical(table: str, column: str) -> list[str]:
    """One column of a table in the order `SELECT *` returns the rows (a one-column query
    may be answered from an index, in the index's order)."""
    columns, *rows = _dump_table(table)
    return [row[columns.index(column)] for row in rows]


def _key(ballot_marks: Any) -> str:
    data = json.loads(ballot_marks) if isinstance(ballot_marks, str) else ballot_marks
    return json.dumps(data, sort_keys=True)


@dataclass
class Vote:
    campaign: Campaign
    codes: list[str]
    voting_order: list[int]  # person ids in the order they voted
    ballots_in_voting_order: list[str]
    before: Dump
    while_open: Dump
    sealed_ids: set[str]
    sealed: list[bytes]


@pytest.fixture
def vote(world: Any) -> Vote:
    """30 summoned vote on Hana, Lena and Carol, in an order unlike the roll's."""
    issued = open_campaign(world, 30, candidates=[world.hana, world.lena, world.carol])
    before = _dump()
    order = list(range(30))
    random.Random(7).shuffle(order)
    voted, ballots = [], []
    for n, k in enumerate(order):
        person, code = issued.codes[k]
        choice = marks(issued.campaign, CHOICES[n % 3], CHOICES[n // 3 % 3], CHOICES[n // 9 % 3])
        services.ballot_cast(code=code, marks=choice)
        voted.append(person.pk)
        ballots.append(_key(choice))
    while_open = _dump()
    sealed = list(SealedBallot.objects.values_list("pk", "sealed"))
    services.campaign_close(actor=world.users["olga"], campaign=issued.campaign)
    return Vote(
        issued.campaign,
        [c for _p, c in issued.codes],
        voted,
        ballots,
        before,
        while_open,
        {str(pk) for pk, _s in sealed},
        [bytes(s) for _pk, s in sealed],
    )


def test_voting_wrote_only_the_ballots_and_the_has_voted_marks(vote: Vote) -> None:
    changed = {t for t in vote.before if vote.before[t] != vote.while_open.get(t)}
    assert changed == {SealedBallot._meta.db_table, Summons._meta.db_table}
    # No audit event, no session, nothing else grew while 30 people voted.
    assert set(vote.while_open) == set(vote.before)


def test_a_ballot_row_holds_a_random_key_its_campaign_and_marks_only(vote: Vote) -> None:
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(
            cursor, Ballot._meta.db_table)}  # fmt: skip
    assert columns == {"id", "campaign_id", "marks", "is_valid"}
    assert isinstance(Ballot._meta.pk, models.UUIDField) and Ballot._meta.ordering == []
    for field in Ballot._meta.get_fields():
        assert getattr(field, "related_model", None) in (None, Campaign), field.name
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
    # Nothing in the roll (or anywhere) points at a ballot.
    for model in (Summons, Person, User):
        assert not any(
            getattr(f, "related_model", None) is Ballot for f in model._meta.get_fields()
        )


def test_no_physical_order_follows_the_voting_order_open_or_closed(vote: Vote) -> None:
    table = Ballot._meta.db_table
    after_close = [_key(m) for m in _physical(table, "marks")]
    assert sorted(after_close) == sorted(vote.ballots_in_voting_order)
    assert after_close != vote.ballots_in_voting_order
    assert after_close != vote.ballots_in_voting_order[::-1]
    # While the vote was open no ballot was in clear; after the close none is sealed, and no
    # ballot has the key its sealed row had.
    assert len(vote.while_open[table]) == 1  # the column names only
    assert len(vote.while_open[SealedBallot._meta.db_table]) == 31
    assert not SealedBallot.objects.exists()
    closed_ids = set(_physical(table, "id"))
    assert len(closed_ids) == 30 and not closed_ids & vote.sealed_ids


def test_a_sealed_ballot_says_nothing_of_its_marks_not_even_by_its_length(vote: Vote) -> None:
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(
            cursor, SealedBallot._meta.db_table)}  # fmt: skip
    assert columns == {"id", "campaign_id", "sealed"}
    # 27 different ballots (3 cadres, 3 choices each), "low" shorter than "trust": one length.
    assert len(set(vote.ballots_in_voting_order)) == 27
    assert {len(s) for s in vote.sealed} == {len(vote.sealed[0])}
    assert len(set(vote.sealed)) == 30  # random nonces: equal ballots differ sealed
    for sealed in vote.sealed:
        assert not any(choice.encode() in sealed for choice in CHOICES)


def _runs(ids: list[int]) -> int:
    """How many pieces of consecutive ids the sequence is made of."""
    return 1 + sum(1 for a, b in pairwise(ids) if b != a + 1)


def test_the_roll_is_rewritten_in_roll_order_without_codes(vote: Vote) -> None:
    roll = Summons._meta.db_table
    ids = [int(i) for i in _physical(roll, "id")]
    people = [int(p) for p in _physical(roll, "person_id")]
    by_name = list(
        Summons.objects.filter(campaign=vote.campaign)
        .order_by("person__sort_key", "person_id")
        .values_list("person_id", flat=True)
    )
    assert [p for _i, p in sorted(zip(ids, people, strict=True))] == by_name  # ids: roll order
    # SQLite returns the rewritten roll in roll order; PostgreSQL puts new rows wherever a page
    # has room, so the roll comes back as a few pieces, each in roll order (docs/ballots.md).
    assert _runs(ids) == 1 if connection.vendor == "sqlite" else _runs(ids) <= 4
    voting = [by_name.index(p) for p in vote.voting_order]
    assert _runs(voting) > 20  # the order people voted in is nothing like it
    assert people != vote.voting_order
    assert set(_physical(roll, "credential_hash")) == {"None"}
    assert set(_physical(roll, "voted")) <= {"True", "1"}


def test_no_code_appears_anywhere_in_the_database_or_in_dumpdata(vote: Vote) -> None:
    text = json.dumps(_dump(), ensure_ascii=False)
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out)
    everything = text + out.getvalue()
    for code in vote.codes:
        assert code not in everything and normalise_code(code) not in everything
        assert services.credential_hash(code) not in everything


def test_dumpdata_order_of_ballots_is_not_the_voting_order(vote: Vote) -> None:
    out = io.StringIO()
    call_command("dumpdata", "ballots.ballot", format="json", stdout=out)
    rows = json.loads(out.getvalue())
    assert set(rows[0]["fields"]) == {"campaign", "marks", "is_valid"}
    order = [_key(r["fields"]["marks"]) for r in rows]
    assert sorted(order) == sorted(vote.ballots_in_voting_order)
    assert order != vote.ballots_in_voting_order
