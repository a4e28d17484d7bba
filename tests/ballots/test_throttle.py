"""Wrong codes are counted per code typed and for everyone, in the shared cache, never per
client address (issue 14): a meeting room behind one address keeps voting after someone's
mistakes, and the counts hold across web processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from tests.ballots.helpers import marks, open_campaign
from tests.race import postgres_only
from thuocdo.security.models import CacheEntry
from thuocdo.web.throttle import CODE_THROTTLED, SITE_THROTTLED

WRONG = "AAAA-BBBB-CCCC"
ROOM = {"REMOTE_ADDR": "10.0.0.7"}


def _api(client: Any, code: str, campaign: Any = None) -> Any:
    body = {"code": code, "marks": marks(campaign, "high", "low") if campaign else {}}
    return client.post("/api/bo-phieu/", body, content_type="application/json", **ROOM)


@pytest.mark.django_db
def test_twenty_wrong_codes_from_one_address_leave_a_right_code_working(client, world) -> None:
    issued = open_campaign(world, 3)
    for n in range(20):
        assert (
            client.post("/bo-phieu/", {"code": f"AAAA-BBBB-CC{n:02d}"}, **ROOM).status_code == 400
        )
    for n in range(20):
        assert _api(client, f"AAAA-BBBB-DD{n:02d}").status_code == 400
    assert client.post("/bo-phieu/", {"code": issued.codes[0][1]}, **ROOM).status_code == 200
    assert _api(client, issued.codes[1][1], issued.campaign).status_code == 201


@pytest.mark.django_db
def test_the_same_wrong_code_is_refused_after_twenty_tries_however_typed(client, world) -> None:
    open_campaign(world, 3)
    for n in range(20):
        address = {"REMOTE_ADDR": f"10.0.{n}.1"}  # changing address does not help
        assert client.post("/bo-phieu/", {"code": WRONG}, **address).status_code == 400
    refused = client.post("/bo-phieu/", {"code": WRONG.lower().replace("-", "")}, **ROOM)
    assert refused.status_code == 429 and CODE_THROTTLED in refused.content.decode()
    assert _api(client, WRONG).json() == {"errors": [CODE_THROTTLED]}
    # The cache holds keyed hashes, never the code.
    keys = " ".join(CacheEntry.objects.values_list("cache_key", flat=True))
    assert CacheEntry.objects.exists() and "AAAA" not in keys.upper()


@pytest.mark.django_db
@override_settings(FAILED_CODES_PER_MINUTE=5)
def test_a_flood_of_wrong_codes_closes_the_box_for_everyone_until_the_minute_ends(
    client, world
) -> None:
    issued = open_campaign(world, 3)
    for n in range(5):
        assert client.post("/bo-phieu/", {"code": f"AAAA-BBBB-CC{n:02d}"}).status_code == 400
    refused = client.post("/bo-phieu/", {"code": issued.codes[0][1]}, **ROOM)
    assert refused.status_code == 429 and SITE_THROTTLED in refused.content.decode()


def test_the_cache_is_shared_by_every_process() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] == CacheEntry._meta.db_table


OTHER_PROCESS = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from django.test.utils import setup_test_environment
    setup_test_environment()
    from django.test import Client
    client = Client()
    print(",".join(
        str(client.post("/bo-phieu/", {"code": sys.argv[1]}).status_code) for _ in range(11)
    ))
    """
)


@pytest.mark.django_db(transaction=True)
@postgres_only
def test_tries_of_one_code_count_together_in_two_processes(client, world) -> None:
    open_campaign(world, 3)
    for _ in range(10):
        assert client.post("/bo-phieu/", {"code": WRONG}).status_code == 400
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    other = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, WRONG],
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "thuocdo.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    # The other process saw our ten: ten more wrong tries, then refused.
    assert other.stdout.strip() == ",".join(["400"] * 10 + ["429"])
    assert client.post("/bo-phieu/", {"code": WRONG}).status_code == 429
