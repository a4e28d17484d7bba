"""Every form of the annual cycle follows Post/Redirect/Get when it is refused: the POST answers
a redirect to the page the form sits on, which shows the Vietnamese reason (naming the rule)
and what the user typed, once; reloading that page sends nothing again and shows it afresh.
A page rendered in answer to the POST would be sent again by a reload."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from django.test import Client
from django.urls import reverse

from tests.refused import refused_page
from tests.reviews.annual.cycle import D, appeal_window_passes, evaluation_of, open_year, ready
from thuocdo.reviews.annual import appeals
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import AppealState, Evaluation, EvaluationState, PeriodState


def _as(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _refused(client: Client, url: str, data: Mapping[str, object], page: str) -> str:
    return refused_page(client, url, data, page)


def _self_assessed(world, evaluation: Evaluation) -> None:
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=evaluation,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
    )


@pytest.fixture
def proposed(world):
    """The year of Q1, verified (every score 80) and proposed: waiting for BTV's conclusion."""
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    return period


def test_a_conclusion_refused_by_a_rule_lands_on_its_row_with_the_rule_and_the_reason(
    world, proposed
):
    alice = evaluation_of(proposed, world.alice)
    tam = _as(world, "tam")
    conclusions = reverse("reviews:period-conclusions", args=[proposed.pk])
    page = _refused(
        tam,
        reverse("reviews:evaluation-conclude", args=[alice.pk]),
        {"level": "HTXS", "reason": "Sáng kiến được thành phố công nhận"},
        f"{conclusions}#ket-luan-{alice.pk}",
    )
    row = re.search(rf'<tr id="ket-luan-{alice.pk}">.*?</tr>', page, re.S)
    assert row is not None
    assert re.search(r'role="alert"[^>]*>Không thể kết luận HTXS: điểm năm 80.*score-band', row[0])
    assert '<option value="HTXS" selected>' in row[0]
    assert 'value="Sáng kiến được thành phố công nhận"' in row[0]
    alice.refresh_from_db()
    assert (alice.level, alice.state) == ("", EvaluationState.PROPOSED)
    # A reload is a plain GET of the conclusions: no error, nothing typed, nothing sent.
    again = tam.get(conclusions).content.decode()
    assert "score-band" not in again and "Sáng kiến được thành phố công nhận" not in again
    assert 'role="alert"' not in again


def test_a_conclusion_without_a_valid_level_says_so_in_its_row(world, proposed):
    alice = evaluation_of(proposed, world.alice)
    conclusions = reverse("reviews:period-conclusions", args=[proposed.pk])
    page = _refused(
        _as(world, "tam"),
        reverse("reviews:evaluation-conclude", args=[alice.pk]),
        {"level": "ABC", "reason": "Giữ lý do đã gõ"},
        f"{conclusions}#ket-luan-{alice.pk}",
    )
    row = re.search(rf'<tr id="ket-luan-{alice.pk}">.*?</tr>', page, re.S)
    assert row is not None and "Chọn một mức kết luận hợp lệ." in row[0]
    assert 'value="Giữ lý do đã gõ"' in row[0]


def test_a_conclusion_whose_form_is_gone_shows_its_refusal_above_the_list(world, proposed):
    """Published meanwhile: the row has no form any more, so the reason shows at the top."""
    alice = evaluation_of(proposed, world.alice)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=proposed)
    cycle.period_publish(actor=world.users["tam"], period=proposed)
    conclusions = reverse("reviews:period-conclusions", args=[proposed.pk])
    page = _refused(
        _as(world, "tam"),
        reverse("reviews:evaluation-conclude", args=[alice.pk]),
        {"level": "HTNV", "reason": "Chậm tiến độ"},
        f"{conclusions}#ket-luan-{alice.pk}",
    )
    top = page.split("<h2>", 1)[0]
    assert f"{alice.subject_name}: Kết quả đã công khai" in top and 'role="alert"' in top


def test_accepting_all_refused_shows_why_on_the_conclusions(world, proposed):
    conclusions = reverse("reviews:period-conclusions", args=[proposed.pk])
    page = _refused(
        _as(world, "olga"),  # the organiser sees the page but does not conclude
        reverse("reviews:period-accept", args=[proposed.pk]),
        {},
        conclusions,
    )
    assert "Không còn đề xuất nào chờ anh/chị kết luận." in page
    assert not Evaluation.objects.filter(period=proposed, state=EvaluationState.CONCLUDED).exists()


def test_a_refused_leader_review_goes_back_to_its_form_with_what_was_typed(world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    _self_assessed(world, alice)
    url = reverse("reviews:evaluation-review", args=[alice.pk])
    lena = _as(world, "lena")
    typed = {"general": "31", "results": "60", "proposed_level": "HTT", "note": "Nhận xét dài"}
    page = _refused(lena, url, typed, url)
    assert "từ 0 đến 30" in page and "Nhận xét dài" in page
    alice.refresh_from_db()
    assert alice.state == EvaluationState.SELF_ASSESSED
    assert "Nhận xét dài" not in lena.get(url).content.decode()  # shown once


def test_a_refused_verification_keeps_the_forms_ticked(world):
    period = open_year(world)
    alice, carol = evaluation_of(period, world.alice), evaluation_of(period, world.carol)
    _self_assessed(world, alice)
    url = reverse("reviews:period-verification", args=[period.pk])
    olga = _as(world, "olga")
    page = _refused(olga, url, {"evaluation": [str(alice.pk), str(carol.pk)]}, url)
    assert "không thể thẩm định ở bước «Chưa tự đánh giá»" in page
    box = re.search(rf'<input type="checkbox" name="evaluation" value="{alice.pk}"[^>]*>', page)
    assert box is not None and "checked" in box[0]
    alice.refresh_from_db()
    assert alice.state == EvaluationState.SELF_ASSESSED


@pytest.fixture
def published(world, proposed):
    cycle.evaluations_accept_all(actor=world.users["tam"], period=proposed)
    cycle.period_publish(actor=world.users["tam"], period=proposed)
    proposed.refresh_from_db()
    return proposed


def test_refused_appeal_steps_go_back_to_the_evaluation_with_what_was_typed(world, published):
    alice = evaluation_of(published, world.alice)
    detail = reverse("reviews:evaluation-detail", args=[alice.pk])
    back = f"{detail}#kien-nghi"
    page = _refused(
        _as(world, "alice"), reverse("reviews:appeal-file", args=[alice.pk]), {"text": " "}, back
    )
    assert 'role="alert"' in page and "<details open>" in page
    appeal = appeals.appeal_file(actor=world.users["alice"], evaluation=alice, text="Xin xem lại")
    # The authority decides before the organiser has re-examined it: refused, text kept.
    page = _refused(
        _as(world, "tam"),
        reverse("reviews:appeal-decide", args=[appeal.pk]),
        {"level": "HTT", "reason": "Giữ nguyên như đề xuất"},
        back,
    )
    assert "Ban Tổ chức phải xem xét lại trước" in page
    appeals.appeal_reexamine(actor=world.users["olga"], appeal=appeal, note="Đã rà soát")
    page = _refused(
        _as(world, "tam"),
        reverse("reviews:appeal-decide", args=[appeal.pk]),
        {"level": "HTNV", "reason": ""},
        back,
    )
    assert "phải ghi rõ lý do" in page
    form = page[page.index(reverse("reviews:appeal-decide", args=[appeal.pk])) :]
    assert '<option value="HTNV" selected>' in form[: form.index("</form>")]
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REEXAMINED


def test_a_refused_reopening_goes_back_to_the_board_with_its_form_open(world, published):
    appeal_window_passes(published)
    cycle.period_lock(actor=world.users["tam"], period=published)
    board = reverse("reviews:period-board", args=[published.pk])
    page = _refused(
        _as(world, "tam"),
        reverse("reviews:period-reopen", args=[published.pk]),
        {"reason": "   "},
        f"{board}#mo-lai",
    )
    assert "Mở lại kỳ đánh giá phải ghi rõ lý do." in page
    assert '<details id="mo-lai" open>' in page
    published.refresh_from_db()
    assert published.state == PeriodState.LOCKED
