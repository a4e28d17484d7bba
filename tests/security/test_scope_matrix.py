"""The scope matrix, generated from the URL configuration: a route added later is in it.

For every URL pattern (the admin apart, which is for the administrator alone, tested in
tests/org/test_permissions.py), every README role of the cast (canhan=alice, lanhdao=lena,
thutruong=hana, bantochuc.q1=olga, thamquyen=tam, quantri=root) and anonymous visitors:

- a route without an object: anonymous visitors are sent to the login page or refused (401,
  403), unless the route is one of the PUBLIC ones (login, ballot box, survey answers, token);
  a logged-in role never meets a 500;
- a route with an object: each id parameter is declared in OBJECTS (or PK), and each declared
  model has a BUILD entry making a real object in Q1 and one in P2 under Q2 (an undeclared
  parameter or model fails the test); for every role but the administrator, the object in P2
  answers exactly like an id that does not exist (same status, same JSON body), and for the
  organiser of Q1 the object in Q1 is not refused as missing on a page it reads (apart from
  IN_SCOPE_ABSENT, each with its reason).

The objects in Q1 are alice's, carol's, P1's or Q1's, made by olga (a notification: olga's own,
as a notification is its user's alone); those in P2 are bob's or P2's, made by the
administrator or otto (organiser of Q2), in a year over P2 under Q2's own board. Each kind is
built through its app's services when a route first asks for it (appeals and notifications are
rows written directly, said where), so a route pays only for the kinds it names.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from thuocdo.ballots import services as ballots
from thuocdo.ballots.models import Campaign, PaperBatch
from thuocdo.careers import services as careers
from thuocdo.careers.models import PlanningPool, PoolCandidate
from thuocdo.opinions import services as opinions
from thuocdo.opinions.models import BodyRequest, Meeting, Survey
from thuocdo.org import services as org
from thuocdo.org.models import Person, RoleAssignment, Unit, User
from thuocdo.reviews.models import Appeal, Evaluation, MonthlyScore, Period
from thuocdo.reviews.monthly import services as reviews
from thuocdo.targets import services as targets
from thuocdo.targets.models import TargetSet
from thuocdo.work import locking
from thuocdo.work import services as work
from thuocdo.work.models import Exemption, JobPosition, MonthLock, Notification, Task, WorkPlan

T = TypeVar("T")

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
    "task_id": Task, "user_id": User, "role_id": RoleAssignment, "lock_id": MonthLock,
}  # fmt: skip
PK: dict[str, type[models.Model]] = {
    "api:unit-detail": Unit, "api:person-detail": Person, "work:api-task-detail": Task,
    "targets:api-set-detail": TargetSet, "careers:api-pool-detail": PlanningPool,
    "accounts:api-account-detail": User, "accounts:api-account-password-reset": User,
    "accounts:api-role-grant": User,
}  # fmt: skip
# Pages that rightly answer 404 for the organiser's own in-scope object, because of what the
# object holds, not whose it is (their out-of-scope check applies as to every route).
IN_SCOPE_ABSENT = {
    "ballots:minutes-download": "the counting record exists once the votes are counted; the "
    "cast's campaign is open",
    "work:task-evidence": "the file itself: the cast's task has no evidence file",
}
# Text parameters: a valid value.
TEXT = {
    "kind": "people", "extension": "pdf",
    # A background job (thuocdo/jobs; its own scope tests in tests/jobs/test_views.py).
    "job_id": "00000000-0000-4000-8000-000000000000",
    # A job's stored file (its own access tests in tests/jobs/test_files.py).
    "purpose": "accounts.passwords",
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


class Cast:
    """The world, and for each model of OBJECTS/PK a real object in Q1 and one in P2 (under
    Q2's own board), each built on first use: a route pays only for the kinds it names."""

    def __init__(self, world: Any) -> None:
        self.world = world
        self._pairs: dict[type[models.Model], tuple[int, int]] = {}
        self._memo: dict[str, Any] = {}

    def inside(self, model: type[models.Model]) -> int:
        return self._pair(model)[0]

    def outside(self, model: type[models.Model]) -> int:
        return self._pair(model)[1]

    def _pair(self, model: type[models.Model]) -> tuple[int, int]:
        if model not in self._pairs:
            build = BUILD.get(model)
            assert build is not None, f"{model.__name__}: give it an in/out pair in BUILD"
            inside, outside = build(self)
            self._pairs[model] = (inside.pk, outside.pk)
        return self._pairs[model]

    def _once(self, key: str, make: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = make()
        return typing.cast(T, self._memo[key])

    # Shared pieces -------------------------------------------------------------------------

    def bob_user(self) -> User:
        """Bob's account (P2), with a leader role over P2."""

        def make() -> User:
            user = org.user_create(
                actor=None, username="binhbv", password="x", person=self.world.bob
            )
            org.role_assign(actor=None, user=user, role="leader", unit=self.world.p2)
            return user

        return self._once("bob_user", make)

    def otto(self) -> User:
        """Otto, organiser of Q2: counts Q2's paper ballots (the administrator may not)."""

        def make() -> User:
            user = org.user_create(actor=None, username="otto", password="x")
            org.role_assign(actor=None, user=user, role="organiser", unit=self.world.q2)
            return user

        return self._once("otto", make)

    def years(self) -> tuple[Period, Period]:
        """2026 over Q1 (olga's), and over P2 (root's) under Q2's own board: over P2, not Q2,
        whose own collective BTV Thành ủy concludes and so may see."""

        def make() -> tuple[Period, Period]:
            w = self.world
            org.authority_create(actor=None, code="BTV-Q2", name="BTV Quận ủy Hai", unit=w.q2)

            def year(actor: str, unit: Unit) -> Period:
                return reviews.period_open(
                    actor=w.users[actor], unit=unit, kind="year", year=2026, number=None,
                    ruleset="qd-366-2025",
                )  # fmt: skip

            return year("olga", w.q1), year("root", w.p2)

        return self._once("years", make)

    def evaluations(self, who: str) -> tuple[Evaluation, Evaluation]:
        q1, q2 = self.years()
        person = getattr(self.world, who)
        return (
            Evaluation.objects.get(period=q1, person=person),
            Evaluation.objects.get(period=q2, person=self.world.bob),
        )

    def campaigns(self) -> tuple[Campaign, Campaign]:
        """An open vote on hana in Q1 (olga's) and one on bob in P2 (root's)."""

        def make() -> tuple[Campaign, Campaign]:
            w = self.world

            def vote(actor: str, unit: Unit, candidate: Person, roll: list[Person]) -> Campaign:
                campaign = ballots.campaign_create(
                    actor=w.users[actor], unit=unit, title="Lấy phiếu tín nhiệm 2026",
                    meeting_date=datetime.date(2026, 12, 15), candidates=[candidate],
                    summoned=roll, committee=roll,
                )  # fmt: skip
                return ballots.campaign_open(actor=w.users[actor], campaign=campaign).campaign

            return (
                vote("olga", w.q1, w.hana, [w.alice, w.carol, w.lena]),
                vote("root", w.p2, w.bob, [w.bob]),
            )

        return self._once("campaigns", make)

    def pools(self) -> tuple[PlanningPool, PlanningPool]:
        def make() -> tuple[PlanningPool, PlanningPool]:
            w = self.world

            def pool(actor: str, unit: Unit) -> PlanningPool:
                return careers.pool_create(
                    actor=w.users[actor], unit=unit, title="Chủ tịch UBND", term_start=2026,
                    term_end=2031,
                )  # fmt: skip

            return pool("olga", w.q1), pool("root", w.p2)

        return self._once("pools", make)

    def tasks(self) -> tuple[Task, Task]:
        """A task of alice's March 2025 and one of bob's, both overdue (so exemptible)."""

        def make() -> tuple[Task, Task]:
            w = self.world

            def task(user: User, person: Person) -> Task:
                return work.task_register(
                    actor=user, person=person, year=2025, month=3, title="Báo cáo tháng",
                    quantity=Decimal(1), due_date=datetime.date(2025, 3, 10),
                )  # fmt: skip

            return task(w.users["alice"], w.alice), task(self.bob_user(), w.bob)

        return self._once("tasks", make)


def _appeals(cast: Cast) -> tuple[Appeal, Appeal]:
    # Rows built directly: filing needs a published year (propose, accept every evaluation,
    # publish), which would also move the shared years out of their open state.
    w = cast.world
    alice_ev, bob_ev = cast.evaluations("alice")
    return (
        Appeal.objects.create(
            evaluation=alice_ev, text="Đề nghị xem xét lại", filed_by=w.users["alice"]
        ),
        Appeal.objects.create(
            evaluation=bob_ev, text="Đề nghị xem xét lại", filed_by=cast.bob_user()
        ),
    )


def _scores(cast: Cast) -> tuple[MonthlyScore, MonthlyScore]:
    """October 2026 opened over the city and computed: alice's score and bob's."""
    w = cast.world
    period = reviews.period_open(
        actor=w.users["root"], unit=w.city, kind="month", year=2026, number=10,
        ruleset="nd-335-2025",
    )  # fmt: skip
    reviews.month_scores_compute(actor=w.users["root"], period=period)
    return (
        MonthlyScore.objects.get(period=period, person=w.alice),
        MonthlyScore.objects.get(period=period, person=w.bob),
    )


def _meetings(cast: Cast) -> tuple[Meeting, Meeting]:
    w = cast.world
    q1, q2 = cast.years()

    def meeting(
        actor: str, period: Period, unit: Unit, chair: Person, members: list[Person]
    ) -> Meeting:
        return opinions.meeting_open(
            actor=w.users[actor], period=period, unit=unit, held_on=datetime.date(2026, 12, 10),
            chair=chair, secretary=chair, summoned=members, present=members,
        )  # fmt: skip

    return (
        meeting("olga", q1, w.p1, w.lena, [w.alice, w.carol, w.lena]),
        meeting("root", q2, w.p2, w.bob, [w.bob]),
    )


def _surveys(cast: Cast) -> tuple[Survey, Survey]:
    w = cast.world
    carol, bob = cast.evaluations("carol")
    return (
        opinions.survey_open(actor=w.users["olga"], evaluation=carol, role="peer", count=3).survey,
        opinions.survey_open(actor=w.users["root"], evaluation=bob, role="peer", count=3).survey,
    )


def _body_requests(cast: Cast) -> tuple[BodyRequest, BodyRequest]:
    w = cast.world
    carol, bob = cast.evaluations("carol")
    due = datetime.date(2099, 1, 1)
    return (
        opinions.body_request_create(
            actor=w.users["olga"], evaluation=carol, body_name="Đảng ủy phường", due_on=due
        ),
        opinions.body_request_create(
            actor=w.users["root"], evaluation=bob, body_name="Đảng ủy phường", due_on=due
        ),
    )


def _batches(cast: Cast) -> tuple[PaperBatch, PaperBatch]:
    w = cast.world
    q1, p2 = cast.campaigns()
    out = []
    for actor, campaign, voter in [(w.users["olga"], q1, w.alice), (cast.otto(), p2, w.bob)]:
        ballots.paper_issue(actor=actor, campaign=campaign, people=[voter])
        out.append(ballots.batch_enter(actor=actor, campaign=campaign, ballots=[None]))
    return out[0], out[1]


def _candidates(cast: Cast) -> tuple[PoolCandidate, PoolCandidate]:
    w = cast.world
    q1, p2 = cast.pools()
    return (
        careers.pool_candidate_add(actor=w.users["olga"], pool=q1, person=w.carol),
        careers.pool_candidate_add(actor=w.users["root"], pool=p2, person=w.bob),
    )


def _target_sets(cast: Cast) -> tuple[TargetSet, TargetSet]:
    w = cast.world
    return (
        targets.target_set_create(actor=w.users["olga"], unit=w.q1, year=2026),
        targets.target_set_create(actor=w.users["root"], unit=w.p2, year=2026),
    )


def _exemptions(cast: Cast) -> tuple[Exemption, Exemption]:
    w = cast.world
    alice, bob = cast.tasks()
    reason = "Mất điện cả tuần"
    return (
        work.exemption_request(actor=w.users["alice"], task=alice, kind="delay", reason=reason),
        work.exemption_request(actor=cast.bob_user(), task=bob, kind="delay", reason=reason),
    )


def _notifications(cast: Cast) -> tuple[Notification, Notification]:
    # A notification is its user's alone: the reader of the in-scope check (olga) has one, bob
    # another. Rows built directly: the only writer is the daily reminder run over all tasks.
    w = cast.world
    return (
        Notification.objects.create(user=w.users["olga"], text="Nhắc việc", link="/"),
        Notification.objects.create(user=cast.bob_user(), text="Nhắc việc", link="/"),
    )


def _positions(cast: Cast) -> tuple[JobPosition, JobPosition]:
    # A position of a unit is seen by those who see the unit; a city-wide one (no unit) by all.
    w = cast.world
    return (
        work.job_position_create(actor=None, code="VT-P1", name="Văn phòng", unit=w.p1),
        work.job_position_create(actor=None, code="VT-P2", name="Văn phòng", unit=w.p2),
    )


def _month_locks(cast: Cast) -> tuple[MonthLock, MonthLock]:
    # A month closed last year: P1's by olga, P2's by the administrator.
    w = cast.world
    year = datetime.date.today().year - 1
    return (
        locking.month_lock(actor=w.users["olga"], unit=w.p1, year=year, month=3),
        locking.month_lock(actor=w.users["root"], unit=w.p2, year=year, month=3),
    )


def _roles(cast: Cast) -> tuple[RoleAssignment, RoleAssignment]:
    w = cast.world
    return (
        RoleAssignment.objects.get(user=w.users["lena"], role="leader"),
        RoleAssignment.objects.get(user=cast.bob_user(), role="leader"),
    )


BUILD: dict[type[models.Model], Any] = {
    Person: lambda c: (c.world.carol, c.world.bob),
    Unit: lambda c: (c.world.p1, c.world.p2),
    Period: lambda c: c.years(),
    Evaluation: lambda c: c.evaluations("carol"),
    User: lambda c: (c.world.users["lena"], c.bob_user()),
    RoleAssignment: _roles,
    MonthlyScore: _scores,
    Appeal: _appeals,
    Meeting: _meetings,
    Survey: _surveys,
    BodyRequest: _body_requests,
    Campaign: lambda c: c.campaigns(),
    PaperBatch: _batches,
    PlanningPool: lambda c: c.pools(),
    PoolCandidate: _candidates,
    TargetSet: _target_sets,
    WorkPlan: lambda c: tuple(t.plan for t in c.tasks()),
    Task: lambda c: c.tasks(),
    Exemption: _exemptions,
    Notification: _notifications,
    MonthLock: _month_locks,
    JobPosition: _positions,
}


@pytest.fixture
def cast(world: Any) -> Cast:
    return Cast(world)


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
    for model in {*OBJECTS.values(), *PK.values()}:
        assert model in BUILD, f"{model.__name__}: give it an in/out pair in BUILD"


@pytest.mark.parametrize("name,route,params", ROUTES, ids=[r[0] or r[1] for r in ROUTES])
def test_the_route_keeps_to_the_scope(cast, name, route, params):
    world = cast.world
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
        if role == "root":
            continue
        out = {p: cast.outside(m) for p, m in models_of.items()}
        assert _answer(client, _url(route, {**text, **out})) == absent, (name, role)

    url = _url(route, {**text, **{p: cast.inside(m) for p, m in models_of.items()}})
    response = clients["olga"].get(url)
    assert response.status_code != 500, url
    if response.status_code != 405 and name not in IN_SCOPE_ABSENT:
        assert response.status_code != 404 or response.get("Content-Type", "").startswith(
            "application/json"
        ), url
    assert datetime.date.today()  # the cast's dates are relative to today
