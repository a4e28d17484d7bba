"""Issue 18: every reason and trace line names people and units by their names, never an
internal id — the engine's batch ids (U4, E17), primary keys, discipline ids (KL-3) or the
quota groups' keys (ĐV:…, CC:…:…) or duty group codes (CC-DC), which nobody typed."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import pytest
from django.core.exceptions import ValidationError

from tests.careers.helpers import targets_met
from tests.reviews.annual.cycle import SCORES_OF_21, D, evaluation_of, open_year, quota_group_of_21
from tests.reviews.monthly.test_views import _hanoi_month
from thuocdo.org.models import Discipline, DisciplineKind
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, EvaluationState, MonthlyScore
from thuocdo.reviews.monthly import services as monthly
from thuocdo.reviews.monthly.explain import score_trace

# Batch ids, discipline ids, quota group keys, and duty group codes ("CC-DC", "CC-XA-VP").
INTERNAL = re.compile(r"\b[UE]\d+\b|\bKL-\d+|\b(?:ĐV|CC|LĐ|TT):|\b[A-Z]{2}(?:-[A-Z0-9]+)+\b")


def _leaks(texts: Iterable[str]) -> list[str]:
    return [t for t in texts if INTERNAL.search(t)]


def _lines(trace: list[dict[str, object]]) -> list[str]:
    return [f"{step['reason']} ({step['source']})" for step in trace]


def test_no_reason_of_a_year_names_an_internal_id(world) -> None:
    """A year over Q1 that runs the head cap, the quota, the targets veto and a discipline."""
    _, people = quota_group_of_21(world)
    Discipline.objects.create(
        person=world.carol,
        kind=DisciplineKind.ADMINISTRATIVE,
        form="khien_trach",
        date=datetime.date(2026, 5, 4),
        decision_number="12/QĐ-UBND",
        issuing_body="UBND Quận Một",
        reason="Chậm hồ sơ",
    )
    targets = targets_met(world.p1, world.lena, 2026, met=3, assigned=10)
    targets.indicators.filter(code="CT10").update(is_main=True)  # a main target missed
    period = open_year(world)
    scores = {evaluation_of(period, p).pk: D(s) for p, s in zip(people, SCORES_OF_21, strict=True)}
    scores[evaluation_of(period, world.q1).pk] = D(75)
    scores[evaluation_of(period, world.hana).pk] = D(95)
    scores[evaluation_of(period, world.carol).pk] = D(92)
    for ev in Evaluation.objects.filter(period=period):
        ev.score, ev.state = scores.get(ev.pk, D(80)), EvaluationState.VERIFIED
        ev.save(update_fields=["score", "state"])
    cycle.period_propose(actor=world.users["olga"], period=period)

    traces = {ev.pk: ev.trace for ev in Evaluation.objects.filter(period=period)}
    lines = [line for trace in traces.values() for line in _lines(trace)]
    rules = {step["rule"] for trace in traces.values() for step in trace}
    assert {"head-cap", "quota", "targets-veto", "discipline-veto"} <= rules
    assert _leaks(lines) == []
    head = evaluation_of(period, world.hana).trace[-1]
    assert head["reason"] == "Người đứng đầu không được xếp cao hơn tập thể Quận Một (HTT)"
    unit = evaluation_of(period, world.p1).trace[-1]
    assert unit["rule"] == "targets-veto"
    lowered = evaluation_of(period, people[7]).trace[-1]
    assert lowered["reason"].startswith(
        "Vượt tỷ lệ 20% của nhóm «Công chức Địa chính» của Phường Ba: "
    )

    # A refusal names the group as people read it, too.
    tied = [ev for ev in Evaluation.objects.filter(period=period) if "quota_tie" in ev.flags]
    tam = world.users["tam"]
    cycle.evaluation_conclude(actor=tam, evaluation=tied[0], level="HTXS", reason="Sáng kiến")
    with pytest.raises(ValidationError) as refused:
        cycle.evaluation_conclude(actor=tam, evaluation=tied[1], level="HTXS", reason="Cũng tốt")
    assert "nhóm «Công chức Địa chính» của Phường Ba sẽ có" in refused.value.messages[0]
    assert _leaks(refused.value.messages) == []


def test_no_reason_of_a_month_names_an_internal_id(world) -> None:
    period = _hanoi_month(world)
    for person in (world.alice, world.carol, world.lena):
        monthly.assessment_record(
            actor=world.users["hana"],
            period=period,
            person_id=person.pk,
            source="leader",
            general=D(20),
            bonus=D(10),
        )
    monthly.month_scores_compute(actor=world.users["olga"], period=period)
    lines = [
        line for s in MonthlyScore.objects.filter(period=period) for line in _lines(score_trace(s))
    ]
    assert lines and _leaks(lines) == []
