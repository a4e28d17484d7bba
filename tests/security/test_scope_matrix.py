"""The scope matrix, generated from the URL configuration: a route added later is in it.

For every URL pattern (the admin apart, which is for the administrator alone, tested in
tests/org/test_permissions.py), every README role of the cast (canhan=alice, lanhdao=lena,
thutruong=hana, bantochuc.q1=olga, thamquyen=tam, quantri=root) and anonymous visitors:

- a route without an object: anonymous visitors are sent to the login page or refused (401,
  403), unless the route is one of the PUBLIC ones (login, ballot box, survey answers, token);
  a logged-in role never meets a 500;
- a route with an object: each id parameter is declared in OBJECTS (an undeclared one fails
  the test: declare its model and its in/out-of-scope objects); for every role, an object
  outside its scope answers exactly like an id that does not exist (same status, same JSON),
  and for the organiser of Q1 an object in Q1 is not refused as missing on a page it reads.

The cast builds in-scope (Q1) and out-of-scope (Q2) objects for the registry, periods and
evaluations (a year over Q1, and one over P2 under Q2's own board), and accounts with their
roles (lena's in P1, bob's in P2); the other kinds are
checked with an id that does not exist, for every role (never 200, never 500).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from thuocdo.ballots.models import Campaign, PaperBatch
from thuocdo.careers.models import PlanningPool, PoolCandidate
from thuocdo.opinions.models import BodyRequest, Meeting, Survey
from thuocdo.org import services as org
from thuocdo.org.models import Person, RoleAssignment, Unit, User
from thuocdo.reviews.models import Appeal, Evaluation, MonthlyScore, Period
from thuocdo.reviews.monthly import services as reviews
from thuocdo.targets.models import TargetSet
from thuocdo.work.models import Exemption, JobPosition, Notification, Task, WorkPlan

ROLES = ["alice", "lena", "hana", "olga", "tam", "root"]
PUBLIC = {
    "login", "logout", "api:token", "api:token-logout", "api:token-logout-all",
    "ballots:ballot-create", "ballots:api-ballot-create", "opinions:response-create",
    "opinions:api-response-create", "api:schema",
    "ops:health", "ops:healthz",  # the health check: no data, for the load balancer
}  # fmt: skip


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Any]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else (entry.namespace or "")
            yield from _walk(entry, prefix + str(entry.pattern), inner.strip(":"))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


ROUTES = sorted(
    {
        (name, route, tuple((k, type(v).__name__) for k, v in entry.pattern.converters.items()))
        for name, route, entry in _walk(get_resolver())
        if not name.startswith("admin:")
    }
)

# Each id parameter: its model. `pk` depends on the route, by name.
OBJECTS: dict[str, type[models.Model]] = {
    "person_id": Person, "unit_id": Unit, "period_id": Period, "evaluation_id": Evaluation,
    "score_id": MonthlyScore, "appeal_id": Appeal, "meeting_id": Meeting, "survey_id": Survey,
    "request_id": BodyRequest, "campaign_id": Campaign, "batch_id": PaperBatch,
    "pool_id": PlanningPool, "entry_id": PoolCandidate, "set_id": TargetSet, "plan_id": WorkPlan,
    "exemption_id": Exemption, "notification_id": Notification, "position_id": JobPosition,
    "task_id": Task, "user_id": User, "role_id": RoleAssignment,
}  # fmt: skip
PK: dict[str, type[models.Model]] = {
    "api:unit-detail": Unit, "api:person-detail": Person, "work:api-task-detail": Task,
    "targets:api-set-detail": TargetSet, "careers:api-pool-detail": PlanningPool,
    "accounts:api-account-detail": User, "accounts:api-account-password-reset": User,
    "accounts:api-role-grant": User,
}  # fmt: skip
# Text parameters: a valid value.
TEXT = {
    "kind": "people", "extension": "pdf",
    # A background job (thuocdo/jobs; its own scope tests in tests/jobs/test_views.py).
    "job_id": "00000000-0000-4000-8000-000000000000",
}  # fmt: skip


def _model(name: str, param: str) -> type[models.Model]:
    if param == "pk":
        assert name in PK, f"{name}: declare the model of its pk in PK"
        return PK[name]
    assert param in OBJECTS, f"{name}: declare the model of <{param}> in OBJECTS"
    return OBJECTS[param]


def _url(route: str, values: dict[str, Any]) -> str:
    import re

    def repl(match: re.Match[str]) -> str:
        return str(values[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", repl, route)


def _answer(client: Client, url: str) -> tuple[int, Any]:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    body: Any = None
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
    assert response.status_code != 500, url
    return response.status_code, body


@pytest.fixture
def cast(world):
    """A year over Q1 (under BTV Thành ủy) and one over P2 under Q2's own board."""
    org.authority_create(actor=None, code="BTV-Q2", name="BTV Quận ủy Hai", unit=world.q2)

    def year(actor: str, unit: Unit) -> Period:
        return reviews.period_open(
            actor=world.users[actor], unit=unit, kind="year", year=2026, number=None,
            ruleset="qd-366-2025",
        )  # fmt: skip

    # Accounts: lena's (P1) with her role over P1; bob's (P2) with one over P2.
    lena_role = RoleAssignment.objects.get(user=world.users["lena"], role="leader")
    bob_user = org.user_create(actor=None, username="binhbv", password="x", person=world.bob)
    bob_role = org.role_assign(actor=None, user=bob_user, role="leader", unit=world.p2)
    q1 = year("olga", world.q1)
    # Over P2 (not Q2, whose own collective BTV Thành ủy concludes and so may see).
    q2 = year("root", world.p2)
    inside = {
        Person: world.carol.pk, Unit: world.p1.pk, Period: q1.pk,
        Evaluation: Evaluation.objects.get(period=q1, person=world.carol).pk,
        User: world.users["lena"].pk, RoleAssignment: lena_role.pk,
    }  # fmt: skip
    outside = {
        Person: world.bob.pk, Unit: world.p2.pk, Period: q2.pk,
        Evaluation: Evaluation.objects.get(period=q2, person=world.bob).pk,
        User: bob_user.pk, RoleAssignment: bob_role.pk,
    }  # fmt: skip
    return world, inside, outside


def _clients(world) -> dict[str, Client]:
    clients = {}
    for name in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[name])
        clients[name] = client
    return clients


def test_every_id_parameter_is_declared():
    for name, _route, params in ROUTES:
        for param, converter in params:
            if converter == "IntConverter":
                _model(name, param)
            else:
                assert param in TEXT, f"{name}: give <{param}> a valid value in TEXT"


@pytest.mark.parametrize("name,route,params", ROUTES, ids=[r[0] or r[1] for r in ROUTES])
def test_the_route_keeps_to_the_scope(cast, name, route, params):
    world, inside, outside = cast
    int_params = [p for p, c in params if c == "IntConverter"]
    models_of = {p: _model(name, p) for p in int_params}
    last = {p: m._default_manager.order_by("-pk").values_list("pk", flat=True).first()
            for p, m in models_of.items()}  # fmt: skip
    missing = {p: (pk or 0) + 10**6 for p, pk in last.items()}
    text = {p: TEXT[p] for p, c in params if p not in int_params}

    anonymous = Client(raise_request_exception=False)
    status, _ = _answer(anonymous, _url(route, {**text, **missing}))
    if name not in PUBLIC:
        assert status in (302, 401, 403), (name, status)

    clients = _clients(world)
    if not int_params:
        for client in clients.values():
            _answer(client, _url(route, text))
        return

    for role, client in clients.items():
        absent = _answer(client, _url(route, {**text, **missing}))
        assert absent[0] in (400, 403, 404, 405), (name, role, absent)
        if role == "root" or not all(m in outside for m in models_of.values()):
            continue
        out = {p: outside[m] for p, m in models_of.items()}
        assert _answer(client, _url(route, {**text, **out})) == absent, (name, role)

    if all(m in inside for m in models_of.values()):
        url = _url(route, {**text, **{p: inside[m] for p, m in models_of.items()}})
        response = clients["olga"].get(url)
        assert response.status_code != 500, url
        if response.status_code != 405:
            assert response.status_code != 404 or response.get("Content-Type", "").startswith(
                "application/json"
            ), url
    assert datetime.date.today()  # the cast's dates are relative to today
