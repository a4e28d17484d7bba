"""Every operation of /api/schema/, fuzzed in-process by schemathesis as an organiser: no
request, well-formed or not, may end in a server error, and documented answers match the
schema. Examples are bounded and derandomised so CI is deterministic and quick."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.ballots.helpers import open_campaign
from tests.reviews.annual.cycle import open_year
from thuocdo.ballots.models import Campaign
from thuocdo.reviews.models import Evaluation
from thuocdo.targets import services as targets
from thuocdo.work import integration

ORGANISER = "olga"
MAX_EXAMPLES = 15  # per operation, both well-formed and malformed requests


@pytest.fixture
def wsgi_app(world) -> Iterator[Any]:
    """Django's WSGI application serving this test's transaction: Django's own test client
    keeps the connection open across requests the same way (it is closed otherwise)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()  # the anonymous endpoints' throttles count in the cache


@pytest.fixture
def seeded(world) -> dict[str, list[int]]:
    """A year over Quận Một, a confidence vote, a target set and a task, so ids exist."""
    period = open_year(world)
    open_campaign(world, count=3)
    target_set = targets.target_set_create(actor=world.users["olga"], unit=world.q1, year=2026)
    task, _ = integration.task_push(
        actor=world.users["olga"], person=world.alice, source_system="eoffice",
        external_id="VB-1", title="Trả lời đơn thư", quantity=Decimal(1),
        due_date=datetime.date(2026, 3, 15),
    )  # fmt: skip
    evaluations = list(Evaluation.objects.filter(period=period).values_list("pk", flat=True))
    return {
        "id": [world.alice.pk, world.q1.pk, world.users["alice"].pk, target_set.pk, task.pk],
        "period_id": [period.pk],
        "evaluation_id": evaluations[:3],
        "campaign_id": list(Campaign.objects.values_list("pk", flat=True)),
        "appeal_id": [],
    }


def _token(world) -> str:
    token: str = AuthToken.objects.create(world.users[ORGANISER])[1]
    return token


def _operations() -> list[str]:
    """The operations of the schema, listed at collection (no database needed for that)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return [f"{method.upper()} {path}" for path, ops in document["paths"].items() for method in ops]


OPERATIONS = _operations()


@pytest.fixture
def api_schema(world, wsgi_app) -> Any:
    """The schema as the app serves it at /api/schema/ to a signed-in organiser."""
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        wsgi_app,
        headers={"Authorization": f"Token {_token(world)}"},
    )


CODES = {"unit": "Q1", "person": "CB-A"}  # codes of the cast that the organiser reaches


def _steer(case: Any, seeded: dict[str, list[int]]) -> None:
    """Point every other generated id and code at an existing object: random ones only ever
    meet 404, and the code behind it would go untried."""
    for name, value in (case.path_parameters or {}).items():
        known = seeded.get(name)
        if known and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = known[(value // 2) % len(known)]
    for values in (case.query, case.body):
        if not isinstance(values, dict):
            continue
        for name, code in CODES.items():
            if isinstance(values.get(name), str) and len(values[name]) % 2 == 0:
                values[name] = code


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_operation_answers_a_server_error(operation, api_schema, seeded, world):
    method, path = operation.split(" ", 1)
    endpoint = api_schema[path][method]
    cases = st.one_of(
        endpoint.as_strategy(GenerationMode.POSITIVE),
        endpoint.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def fuzz(case: Any) -> None:
        _steer(case, seeded)
        # A fresh token per call: the logout operations revoke the one they are sent with.
        case.call_and_validate(
            headers={"Authorization": f"Token {_token(world)}"},
            checks=[not_a_server_error, response_schema_conformance],
        )

    fuzz()
