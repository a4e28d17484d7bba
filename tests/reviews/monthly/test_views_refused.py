"""The monthly scoring forms follow Post/Redirect/Get when refused: the POST answers a redirect
to the form's page, which shows the Vietnamese reason once with what the user typed; reloading
it sends nothing again and shows the page afresh."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tests.refused import refused_page
from tests.reviews.monthly.test_views import _hanoi_month
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore
from thuocdo.reviews.monthly import services


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _refused(client: Client, url: str, data: dict[str, str], page: str) -> str:
    return refused_page(client, url, data, page)


def test_a_refused_scoring_shows_why_once_with_the_numbers_typed(world):
    period = _hanoi_month(world)
    lena = _client(world, "lena")
    url = reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    page = _refused(
        lena, url, {"general": "45", "bonus": "3", "deductions": "0", "note": "Giữ ghi chú"}, url
    )
    assert 'value="45"' in page and 'value="3"' in page and "Giữ ghi chú" in page
    assert len(re.findall(r'role="alert"[^>]*>Điểm tiêu chí chung tối đa là 20', page)) == 1
    assert not MonthlyAssessment.objects.exists()
    again = lena.get(url).content.decode()
    assert 'value="45"' not in again and "Giữ ghi chú" not in again and "tối đa là 20" not in again
    # A field the form itself refuses shows its error under it, after the redirect too.
    page = _refused(lena, url, {"general": "mười", "deductions": "0", "note": "Gõ lại"}, url)
    assert "errorlist" in page and 'value="mười"' in page and "Gõ lại" in page
    assert "errorlist" not in lena.get(url).content.decode()


def test_a_refused_decision_keeps_the_level_and_the_reason_typed(world):
    period = _hanoi_month(world)
    services.month_scores_compute(actor=world.users["olga"], period=period)
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    hana = _client(world, "hana")
    detail = reverse("reviews:score-detail", args=[score.pk])
    assert score.total < 90 and score.proposed_level != "HTXS"
    other = "HTXS"  # above the score band: refused, naming the rule
    page = _refused(
        hana,
        reverse("reviews:score-decide", args=[score.pk]),
        {"level": other, "reason": "Vượt chỉ tiêu giải quyết hồ sơ"},
        f"{detail}#quyet-dinh",
    )
    assert len(re.findall(r'role="alert"[^>]*>Không thể xếp HTXS: tổng điểm', page)) == 1
    decision = page[page.index('id="quyet-dinh"') :]
    assert "Vượt chỉ tiêu giải quyết hồ sơ" in decision
    assert f'<option value="{other}" selected>' in decision
    score.refresh_from_db()
    assert score.level != other
    again = hana.get(detail).content.decode()
    assert "Vượt chỉ tiêu giải quyết hồ sơ" not in again and 'role="alert"' not in again
