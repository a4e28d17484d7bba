"""DESIGN §4.7.9: every page that shows a rule shows "chưa xác nhận căn cứ" beside a rule whose
legal basis is not confirmed, and nothing beside one that is."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.jobs.follow import follow_job
from tests.reviews.annual.cycle import (
    SCORES_OF_21,
    D,
    evaluation_of,
    open_year,
    quota_group_of_21,
    ready,
)
from tests.reviews.monthly.test_views import _hanoi_month
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import MonthlyScore
from thuocdo.web.templatetags.rulesources import step_confirmed
from thuocdo.web.templatetags.thuocdo import rule_label

MARK = "chưa xác nhận căn cứ"


def test_the_evaluation_page_marks_the_unconfirmed_quota_of_366(client, world):
    """legal-basis.md, qd-366 quota: "Not found in 366 or HD 43" — the step it adds is marked;
    the score band (366 Điều 11 k1–3, confirmed) is not."""
    p3, people = quota_group_of_21(world)
    period = open_year(world, unit=p3)
    ready(
        period,
        {evaluation_of(period, p).pk: D(s) for p, s in zip(people, SCORES_OF_21, strict=True)},
    )
    cycle.period_propose(actor=world.users["olga"], period=period)
    lowered = evaluation_of(period, people[7])  # 90 points, moved to HTT by the quota
    kept = evaluation_of(period, people[0])  # 98 points, kept HTXS
    assert [s["rule"] for s in lowered.trace] == ["score-band", "quota"]
    assert [s["confirmed"] for s in lowered.trace] == [True, False]
    client.force_login(world.users["olga"])
    page = client.get(reverse("reviews:evaluation-detail", args=[lowered.pk])).content.decode()
    assert page.count(MARK) == 1
    # The trace names the rule by its label, never by its id (issue 16), with its source.
    quota_line = next(line for line in page.splitlines() if MARK in line)
    assert "Hướng dẫn 21-HD/BTCTW" in quota_line and "<code>quota</code>" not in quota_line
    page = client.get(reverse("reviews:evaluation-detail", args=[kept.pk])).content.decode()
    assert "Quy định 366-QĐ/TW, Điều 11, khoản 1 đến khoản 3" in page and MARK not in page


def test_the_monthly_score_page_marks_the_hanoi_rules_without_an_article(client, world):
    """legal-basis.md, hn-3814: "confirmed (no article)" — the content is confirmed, the
    article is not, so the bands and the parts of 3814 carry the mark."""
    period = _hanoi_month(world)
    client.force_login(world.users["olga"])
    follow_job(client, client.post(reverse("reviews:period-compute", args=[period.pk])))
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    page = client.get(reverse("reviews:score-detail", args=[score.pk])).content.decode()
    # The step is named by its label in the rule-set (issue 16), never by its id.
    label = rule_label("score-band", period.ruleset)
    assert label and "<code>score-band</code>" not in page
    band_line = next(line for line in page.splitlines() if "<li>" in line and label in line)
    assert MARK in band_line and "Quyết định 3814-QĐ/TU" in band_line
    # The parts of the 100 points (20 + 70 + 10) cite the same decision, also marked.
    assert f"Quyết định 3814-QĐ/TU ngày 16/05/2018 của Thành ủy Hà Nội — {MARK}" in page


def test_a_stored_step_without_the_mark_falls_back_to_its_rule_set() -> None:
    """Traces stored before the steps carried `confirmed` are read against the rule-set."""
    assert step_confirmed({"rule": "quota", "confirmed": False}) is False
    assert step_confirmed({"rule": "quota"}, "qd-366-2025") is False
    assert step_confirmed({"rule": "score-band"}, "qd-366-2025") is True
    assert step_confirmed({"rule": "quota"}, "nd-335-2025") is True
    assert step_confirmed({"rule": "quota"}) is True


def test_a_refusal_citing_an_unconfirmed_rule_says_so(world) -> None:
    """A conclusion refused by 366's head cap (no 366 wording found; HD 21, superseded) cites
    the rule with "chưa xác nhận căn cứ"."""
    period = open_year(world)
    ready(period, {evaluation_of(period, world.hana).pk: D(95)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    tam = world.users["tam"]
    head = evaluation_of(period, world.hana)
    with pytest.raises(ValidationError) as refused:
        cycle.evaluation_conclude(actor=tam, evaluation=head, level="HTT")
    message = refused.value.messages[0]
    assert "quy tắc head-cap, Hướng dẫn 21-HD/BTCTW" in message and MARK in message
