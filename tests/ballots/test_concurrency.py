"""One vote per code under concurrency: the same code sent twice at once counts once (the
conditional update and the campaign's row lock), on PostgreSQL where requests really overlap."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.ballots.helpers import marks, open_campaign
from thuocdo.ballots import services
from thuocdo.ballots.models import SealedBallot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers by locking the file"
)
def test_the_same_code_sent_four_times_at_once_votes_once(world) -> None:
    issued = open_campaign(world, 3)
    code, ballot = issued.codes[0][1], marks(issued.campaign, "low", "high")
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def cast() -> None:
        start.wait()
        try:
            services.ballot_cast(code=code, marks=ballot)
            outcomes.append("counted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["counted", "refused", "refused", "refused"]
    assert SealedBallot.objects.count() == 1
