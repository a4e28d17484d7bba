"""Anonymous surveys: one-time codes, and aggregates only from 3 answers on a finished survey."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests.opinions.helpers import answers, peers, year_and_alice
from thuocdo.opinions import services
from thuocdo.opinions.models import SurveyInvitation, SurveyResponse
from thuocdo.opinions.selectors import NOT_ENOUGH, survey_aggregate


def test_a_code_works_once(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 3)
    services.response_submit(code=issued.codes[0], answers=answers("HTT"))
    with pytest.raises(ValidationError, match="không hợp lệ, đã được sử dụng"):
        services.response_submit(code=issued.codes[0], answers=answers("HTXS"))
    assert SurveyResponse.objects.count() == 1


def test_a_code_is_accepted_typed_by_hand(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 3)
    services.response_submit(code=issued.codes[1].lower().replace("-", " "), answers=answers())
    assert SurveyInvitation.objects.filter(used=True).count() == 1


def test_a_forged_code_is_refused(world: Any) -> None:
    _, ev = year_and_alice(world)
    peers(world, ev, 3)
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.response_submit(code="ABCD-EFGH-JKLM", answers=answers())
    assert not SurveyResponse.objects.exists()


def test_a_code_of_a_closed_survey_is_refused(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 3)
    services.survey_close(actor=world.users["olga"], survey=issued.survey)
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.response_submit(code=issued.codes[0], answers=answers())


def test_an_answer_must_rate_every_criterion_group(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 3)
    partial = answers()
    del partial["ethics"]
    with pytest.raises(ValidationError, match="Chưa chọn mức"):
        services.response_submit(code=issued.codes[0], answers=partial)
    # The refused answer did not spend the code.
    services.response_submit(code=issued.codes[0], answers=answers())


def test_codes_are_stored_only_as_hashes(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 4)
    stored = set(SurveyInvitation.objects.values_list("code_hash", flat=True))
    assert stored == {services.code_hash(c) for c in issued.codes}
    assert not stored & set(issued.codes)


def test_with_2_answers_nothing_is_shown(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev)
    for code in issued.codes[:2]:
        services.response_submit(code=code, answers=answers("HTXS", "Rất tận tụy"))
    services.survey_close(actor=world.users["olga"], survey=issued.survey)
    agg = survey_aggregate(issued.survey)
    assert not agg.shown and agg.message == NOT_ENOUGH and agg.groups == []


def test_with_3_answers_the_aggregate_appears_once_the_survey_is_over(world: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev)
    for code, level in zip(issued.codes[:3], ["HTXS", "HTT", "HTT"], strict=True):
        services.response_submit(code=code, answers=answers(level, f"Nhận xét {level}"))
    assert not survey_aggregate(issued.survey).shown  # still open: a live total could be diffed
    services.survey_close(actor=world.users["olga"], survey=issued.survey)
    agg = survey_aggregate(issued.survey)
    assert agg.shown and agg.responded == 3 and agg.invited == 6
    results = next(g for g in agg.groups if g.key == "results")
    assert {s.level: s.count for s in results.levels} == {"HTXS": 1, "HTT": 2, "HTNV": 0, "KHT": 0}
    assert str(results.levels[1].share) == "0.667"
    assert sorted(results.comments) == ["Nhận xét HTT", "Nhận xét HTT", "Nhận xét HTXS"]


def test_the_respondent_page_takes_a_code_then_the_answers_without_an_account(
    world: Any, client: Any
) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 3)
    code = issued.codes[0]
    page = client.post("/tra-loi-y-kien/", {"code": code})
    assert page.status_code == 200 and "Tư tưởng chính trị" in page.content.decode()
    post: dict[str, str] = {"code": code, "answering": "1"}
    for group, answer in answers("HTNV").items():
        post[f"{group}_level"] = answer["level"]
    done = client.post("/tra-loi-y-kien/", post)
    assert "đã được ghi nhận" in done.content.decode()
    again = client.post("/tra-loi-y-kien/", post)
    assert again.status_code == 400
    assert SurveyResponse.objects.count() == 1


def test_the_respondent_page_stops_a_guesser(world: Any, client: Any) -> None:
    # Counted per code typed, not per address: others in the same room keep answering.
    for i in range(20):
        assert client.post("/tra-loi-y-kien/", {"code": f"WRONG-{i}"}).status_code == 400
    for _ in range(20):
        assert client.post("/tra-loi-y-kien/", {"code": "WRONG-X"}).status_code == 400
    assert client.post("/tra-loi-y-kien/", {"code": "WRONG-X"}).status_code == 429
    assert client.post("/tra-loi-y-kien/", {"code": "WRONG-Y"}).status_code == 400


def test_the_api_takes_an_answer_by_code_once(world: Any, client: Any) -> None:
    _, ev = year_and_alice(world)
    issued = peers(world, ev, 3)
    body = {"code": issued.codes[2], "answers": answers("HTT")}
    first = client.post("/api/tra-loi-y-kien/", body, content_type="application/json")
    second = client.post("/api/tra-loi-y-kien/", body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 400)


def test_the_survey_needs_at_least_3_codes(world: Any) -> None:
    _, ev = year_and_alice(world)
    with pytest.raises(ValidationError, match="ít nhất 3 mã"):
        peers(world, ev, 2)
