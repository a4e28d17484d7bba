"""Nobody can read who said what: not in the tables, not in the audit trail, not through any
page or the API, whatever their role (issue 5, acceptance)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from tests.opinions.helpers import answers
from tests.reviews.annual.cycle import evaluation_of, open_year
from thuocdo.audit.models import AuditEvent
from thuocdo.opinions import services
from thuocdo.opinions.models import SurveyInvitation, SurveyResponse
from thuocdo.org.models import Person, User
from thuocdo.reviews.models import Evaluation

LEVELS = ["HTXS", "HTT", "HTT", "HTNV", "KHT"]
MARKERS = [f"Ý kiến riêng số {k}" for k in range(1, 6)]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Five:
    """Hana's evaluation after 5 peer answers, and what the test needs to check it."""

    evaluation: Evaluation
    codes: list[str]
    ids_before_last: set[str]
    audit_from: int


def _answer_by_page(client: Any, code: str, answer: dict[str, dict[str, str]]) -> None:
    post = {"code": code, "answering": "1"}
    for group, a in answer.items():
        post[f"{group}_level"], post[f"{group}_comment"] = a["level"], a["comment"]
    assert "đã được ghi nhận" in client.post("/tra-loi-y-kien/", post).content.decode()


@pytest.fixture
def five(world: Any, client: Any) -> Five:
    """Olga asks Hana's peers; 5 answer, 4 of them while logged in, the last one by the API."""
    period = open_year(world)
    ev = evaluation_of(period, world.hana)
    audit_from = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    issued = services.survey_open(actor=world.users["olga"], evaluation=ev, role="peer", count=7)
    for k, who in enumerate(["lena", "alice", "tam", "root"]):
        client.force_login(world.users[who])
        _answer_by_page(client, issued.codes[k], answers(LEVELS[k], MARKERS[k], ev))
        client.logout()
    before = {str(pk) for pk in SurveyResponse.objects.values_list("pk", flat=True)}
    body = {"code": issued.codes[4], "answers": answers(LEVELS[4], MARKERS[4], ev)}
    created = client.post("/api/tra-loi-y-kien/", body, content_type="application/json")
    assert created.status_code == 201
    return Five(ev, issued.codes, before, audit_from)


def _dump(audit_from: int) -> str:
    """Every row of every table of the opinions app (M2M tables included), and the audit
    events written since the survey was opened, as one JSON text."""
    tables: dict[str, list[Any]] = {}
    for model in apps.get_app_config("opinions").get_models(include_auto_created=True):
        tables[model._meta.db_table] = list(model._default_manager.values())
    tables["audit"] = list(AuditEvent.objects.filter(id__gt=audit_from).values())
    return json.dumps(tables, cls=DjangoJSONEncoder, ensure_ascii=False)


def test_a_response_row_holds_only_evaluation_role_and_answers(five: Five) -> None:
    fields = {f.name: f for f in SurveyResponse._meta.concrete_fields}
    assert set(fields) == {"id", "evaluation", "role", "answers"}
    assert isinstance(fields["id"], models.UUIDField)  # no autoincrement id to order by
    assert SurveyResponse._meta.ordering == []
    rows = list(SurveyResponse.objects.values())
    assert len(rows) == 5
    assert all(set(r) == {"id", "evaluation_id", "role", "answers"} for r in rows)


def test_no_column_of_the_app_links_a_response_to_a_respondent(five: Five) -> None:
    for model in (SurveyResponse, SurveyInvitation):
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            assert target not in (User, Person), f"{model.__name__}.{field.name}"
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
    assert not any(
        getattr(f, "related_model", None) is SurveyInvitation
        for f in SurveyResponse._meta.get_fields()
    )


def test_the_dump_of_every_table_and_the_audit_trail_holds_no_code_and_no_respondent(
    five: Five,
) -> None:
    dump = _dump(five.audit_from)
    for code in five.codes:
        assert code not in dump and services.normalise_code(code) not in dump
    received = AuditEvent.objects.filter(id__gt=five.audit_from, action="survey.response_received")
    assert received.count() == 5
    for event in received:
        assert event.actor_id is None and event.before is None and event.after is None
        assert event.object_id == str(five.evaluation.pk)
    # The audit trail says only "received": never a level or a comment of an answer.
    audit_text = json.dumps(
        list(AuditEvent.objects.filter(id__gt=five.audit_from).values()),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    assert not any(marker in audit_text for marker in MARKERS)
    # The respondents were logged in; the only events with an actor are Olga's own, apart from
    # the logins themselves (audited for every user, they say nothing of any answer).
    actors = set(
        AuditEvent.objects.filter(id__gt=five.audit_from)
        .exclude(action__startswith="auth.")
        .values_list("actor_id", flat=True)
    )
    assert actors <= {None, User.objects.get(username="olga").pk}


def test_every_answer_is_rewritten_with_new_keys_so_row_identity_tells_no_order(
    five: Five,
) -> None:
    after = {str(pk) for pk in SurveyResponse.objects.values_list("pk", flat=True)}
    assert len(five.ids_before_last) == 4 and len(after) == 5
    assert not after & five.ids_before_last


def test_the_used_flags_are_all_an_invitation_keeps(five: Five) -> None:
    rows = list(SurveyInvitation.objects.values())
    assert {tuple(sorted(r)) for r in rows} == {("code_hash", "id", "survey_id", "used")}
    assert sum(r["used"] for r in rows) == 5


ROLES = ["olga", "tam", "hana", "root"]  # organiser, authority, the evaluated person, admin


def _reads(client: Any, ev: Evaluation, survey_id: int) -> list[tuple[str, int, str]]:
    urls = [
        f"/danh-gia/{ev.pk}/y-kien/",
        f"/danh-gia/{ev.pk}/",
        f"/lay-y-kien/{survey_id}/",
        f"/api/danh-gia/{ev.pk}/y-kien/",
        f"/api/danh-gia/{ev.pk}/",
        "/quan-tri/opinions/surveyresponse/",
        "/quan-tri/opinions/surveyinvitation/",
    ]
    out = []
    for url in urls:
        response = client.get(url)
        out.append((url, response.status_code, response.content.decode()))
    return out


@pytest.mark.parametrize("who", ROLES)
def test_no_page_or_api_shows_an_answer_while_the_survey_is_open(
    five: Five, client: Any, world: Any, who: str
) -> None:
    client.force_login(world.users[who])
    survey_id = services.invitation_survey(five.codes[5]).pk
    reads = _reads(client, five.evaluation, survey_id)
    for url, status, body in reads:
        assert not any(m in body for m in MARKERS), url
        assert not UUID.search(body), url
        if "/quan-tri/" in url:
            assert status in (302, 404), url  # never registered in the admin
    statuses = [status for _url, status, _body in reads]
    assert statuses[0] == statuses[1] == statuses[3] == 200  # each role does see the page
    assert statuses[2] == (200 if who in ("olga", "root") else 404)  # survey: organiser only
    api = client.get(f"/api/danh-gia/{five.evaluation.pk}/y-kien/").json()
    assert api["surveys"][0]["shown"] is False and api["surveys"][0]["groups"] == []


@pytest.mark.parametrize("who", ROLES)
def test_after_the_survey_only_aggregates_are_shown_to_every_role(
    five: Five, client: Any, world: Any, who: str
) -> None:
    survey = services.invitation_survey(five.codes[5])
    services.survey_close(actor=world.users["olga"], survey=survey)
    client.force_login(world.users[who])
    for url, _status, body in _reads(client, five.evaluation, survey.pk):
        assert not UUID.search(body), url  # no response key anywhere
        assert '"answers"' not in body, url
    data = client.get(f"/api/danh-gia/{five.evaluation.pk}/y-kien/").json()
    agg = data["surveys"][0]
    assert agg["shown"] is True and agg["responded"] == 5
    assert {lv["level"]: lv["count"] for lv in agg["groups"][0]["levels"]} == {
        "HTXS": 1, "HTT": 2, "HTNV": 1, "KHT": 1,
    }  # fmt: skip
    for group in agg["groups"]:
        assert set(group) == {"key", "label", "levels", "comments"}
        assert all(isinstance(c, str) for c in group["comments"])
    results = next(g for g in agg["groups"] if g["key"] == "results")
    if who == "hana":  # the evaluated person sees the counts, never the comments
        assert results["comments"] == []
        page = client.get(f"/danh-gia/{five.evaluation.pk}/y-kien/").content.decode()
        assert not any(m in page for m in MARKERS)
    else:
        assert sorted(results["comments"]) == MARKERS
