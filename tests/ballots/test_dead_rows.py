"""PostgreSQL's system columns and dead row versions (issue 14): while a vote is open the roll
and the sealed ballots can be paired by xmin, but a sealed ballot cannot be read; after the
close the ballots share one transaction id with the whole roll, lie in an order unlike the
voting order, and the ballot tables have been rewritten by VACUUM FULL.

The sealed table is emptied by TRUNCATE at the close (the other open votes' sealed ballots are
written back in the close's transaction), so its file holds nothing of the ballots sealed while
voting, whatever snapshot is open; the roll's dead versions keep at most who voted when, and
nothing left in the database pairs them with a ballot."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from django.db import connection

from tests.ballots.helpers import marks, open_campaign
from tests.race import postgres_only
from thuocdo.ballots import services
from thuocdo.ballots.models import Ballot, PaperBatch, SealedBallot, Summons
from thuocdo.rules.confidence import CHOICES

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]

TABLES = [m._meta.db_table for m in (SealedBallot, Summons, Ballot, PaperBatch)]


def _rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _ctids(table: str) -> list[tuple[int, int]]:
    """(page, line pointer) of every live row, in the order a plain scan returns them."""
    found = _rows(f"SELECT ctid::text FROM {table}")  # noqa: S608 - our own table names
    return [tuple(int(x) for x in c.strip("()").split(",")) for (c,) in found]  # type: ignore[misc]


def _filenodes() -> dict[str, int]:
    return {t: _rows("SELECT pg_relation_filenode(%s)", t)[0][0] for t in TABLES}


@pytest.fixture
def vote(world: Any) -> dict[str, Any]:
    """30 voters vote on three cadres in an order unlike the roll's; the vote stays open."""
    issued = open_campaign(world, 30, candidates=[world.hana, world.lena, world.carol])
    order = list(range(30))
    random.Random(11).shuffle(order)
    ballots = []
    for n, k in enumerate(order):
        choice = marks(issued.campaign, CHOICES[n % 3], CHOICES[n // 3 % 3], CHOICES[n // 9 % 3])
        services.ballot_cast(code=issued.codes[k][1], marks=choice)
        ballots.append([choice[key] for key in sorted(choice)])
    return {"world": world, "campaign": issued.campaign, "ballots": ballots}


def test_while_open_xmin_pairs_a_voter_only_with_a_ciphertext(vote: dict[str, Any]) -> None:
    paired = _rows(
        "SELECT s.person_id, b.sealed FROM ballots_summons s "
        "JOIN ballots_sealedballot b ON b.xmin = s.xmin WHERE s.campaign_id = %s",
        vote["campaign"].pk,
    )
    # The link the finding describes is there (the vote is one transaction) ...
    assert len(paired) == 30
    # ... but what it leads to is sealed: no choice, no JSON, one length for every ballot.
    assert len({len(bytes(s)) for _p, s in paired}) == 1
    for _person, sealed in paired:
        assert not any(word.encode() in bytes(sealed) for word in [*CHOICES, '":"'])
    assert not Ballot.objects.exists()


def test_after_the_close_xmin_and_ctid_say_nothing(vote: dict[str, Any]) -> None:
    services.campaign_close(actor=vote["world"].users["olga"], campaign=vote["campaign"])
    ballot_xmins = {x for (x,) in _rows("SELECT xmin::text FROM ballots_ballot")}
    roll_xmins = {x for (x,) in _rows("SELECT xmin::text FROM ballots_summons")}
    # One transaction wrote every ballot and every roll line: a join pairs all with all.
    assert len(ballot_xmins) == 1 and ballot_xmins == roll_xmins
    joined = _rows(
        "SELECT count(*) FROM ballots_summons s JOIN ballots_ballot b ON b.xmin = s.xmin"
    )
    assert joined == [(30 * 30,)]
    assert not _rows("SELECT 1 FROM ballots_sealedballot")
    # Physical order: 27 different ballots among 30; a shuffle gives back the voting order
    # (or its reverse) with a chance below 1 in 10^30.
    physical = [json.loads(m) for (m,) in _rows("SELECT marks FROM ballots_ballot ORDER BY ctid")]
    in_ctid_order = [[m[key] for key in sorted(m)] for m in physical]
    assert sorted(in_ctid_order) == sorted(vote["ballots"])
    assert in_ctid_order not in (vote["ballots"], vote["ballots"][::-1])


def test_after_the_close_no_dead_row_version_is_left(vote: dict[str, Any]) -> None:
    """The sealed table is emptied by TRUNCATE: its file is new and holds no page at all, so
    no version of a sealed ballot (whose xmin was its voter's) is left to read; the other
    tables are rewritten by VACUUM FULL."""
    before = _filenodes()
    services.campaign_close(actor=vote["world"].users["olga"], campaign=vote["campaign"])
    after = _filenodes()
    assert all(after[t] != before[t] for t in TABLES), (before, after)
    assert _rows("SELECT pg_relation_size('ballots_sealedballot')") == [(0,)]


def test_another_open_vote_keeps_its_ballots_but_not_its_voters_xids(vote: dict[str, Any]) -> None:
    """Closing one vote rewrites the other open votes' sealed ballots in the close's own
    transaction: they are kept (and count at their own close), with no voter's xid left."""
    world = vote["world"]
    other = services.campaign_create(
        actor=world.users["olga"],
        unit=world.q1,
        title="Lấy phiếu tín nhiệm bổ sung",
        meeting_date=vote["campaign"].meeting_date,
        candidates=[world.hana],
        summoned=[world.alice, world.lena, world.carol],
        committee=[world.lena, world.alice],
    )
    issued = services.campaign_open(actor=world.users["olga"], campaign=other)
    for _, code in issued.codes:
        services.ballot_cast(code=code, marks=marks(other, CHOICES[0]))
    voter_xids = {x for (x,) in _rows("SELECT xmin::text FROM ballots_sealedballot")}
    services.campaign_close(actor=world.users["olga"], campaign=vote["campaign"])
    kept = _rows("SELECT xmin::text FROM ballots_sealedballot WHERE campaign_id = %s", other.pk)
    assert len(kept) == 3
    assert {x for (x,) in kept}.isdisjoint(voter_xids)
    assert services.campaign_close(actor=world.users["olga"], campaign=other).valid_ballots == 3
