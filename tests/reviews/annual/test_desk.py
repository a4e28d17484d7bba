"""The year board of each user: the direct leader lists the people they assess with their
state and the action allowed, the organiser what waits for verification and proposal, the
competent authority what waits for its conclusion (and an authority that manages nobody in
the period gets 404); the self-review pre-selects no level; every button is shown only when
its action is allowed, and a refusal keeps what the user typed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.reviews.annual.cycle import D, evaluation_of, open_year, ready
from thuocdo.org import services as org
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, EvaluationState


def _board(client, user, period) -> str:
    client.force_login(user)
    response = client.get(reverse("reviews:period-board", args=[period.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _section(page: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def uma(world):
    """A member of BTV Quận ủy Quận Hai: an authority that manages nobody in Q1."""
    board = org.authority_create(actor=None, code="BTV-Q2", name="BTV Quận ủy Q2", unit=world.q2)
    user = org.user_create(actor=None, username="uma", password="Mat-khau-thu-2026")
    org.role_assign(actor=None, user=user, role="authority", authority=board)
    return user


def test_the_leader_board_lists_the_people_he_assesses(client, world):
    period = open_year(world)
    alice, carol = evaluation_of(period, world.alice), evaluation_of(period, world.carol)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
    )
    people = _section(_board(client, world.users["lena"], period), "people")
    assert "còn 2 chưa đánh giá" in people
    rows = dict(
        re.findall(r"<tr>\s*<td data-label=\"Họ và tên\">.*?>([^<]+)</a>(.*?)</tr>", people, re.S)
    )
    assert set(rows) == {"Nguyễn Thị Hồng Nhung", "Trần Văn Ánh"}  # not Lena, not Hana
    assert "Đã tự đánh giá" in rows["Nguyễn Thị Hồng Nhung"]
    assert reverse("reviews:evaluation-review", args=[alice.pk]) in rows["Nguyễn Thị Hồng Nhung"]
    # Carol has not written hers: no assessment yet, her self-review may be entered for her.
    assert "Chưa tự đánh giá" in rows["Trần Văn Ánh"]
    assert reverse("reviews:evaluation-review", args=[carol.pk]) not in rows["Trần Văn Ánh"]
    assert reverse("reviews:evaluation-self", args=[carol.pk]) in rows["Trần Văn Ánh"]
    # Lena's own evaluation is on her board as hers, not among the people she assesses.
    own = _section(_board(client, world.users["lena"], period), "own")
    assert "Tự kiểm điểm (Mẫu 2B)" in own
    # Alice assesses nobody.
    assert 'id="people"' not in _board(client, world.users["alice"], period)


def test_the_assessment_link_goes_once_the_step_is_past(client, world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
    )
    cycle.evaluations_verify(actor=world.users["olga"], period=period, evaluation_ids=[alice.pk])
    people = _section(_board(client, world.users["lena"], period), "people")
    assert reverse("reviews:evaluation-review", args=[alice.pk]) not in people
    response = client.get(reverse("reviews:evaluation-review", args=[alice.pk]), follow=True)
    assert "Phiếu đã thẩm định" in response.content.decode()
    own = _section(_board(client, world.users["alice"], period), "own")
    assert reverse("reviews:evaluation-self", args=[alice.pk]) not in own


def test_the_organiser_board_lists_what_waits_for_verification_and_proposal(client, world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        general=D(27),
        results=D(63),
        proposed_level="HTT",
    )
    organiser = _section(_board(client, world.users["olga"], period), "organiser")
    total = Evaluation.objects.filter(period=period).count()
    assert "1 phiếu chờ thẩm định" in organiser
    assert f"0/{total} phiếu đã thẩm định" in organiser
    assert "Đề xuất mức xếp loại" not in organiser  # not every evaluation is verified
    # The people still without a self-review, each to enter on their behalf.
    carol = evaluation_of(period, world.carol)
    assert reverse("reviews:evaluation-self", args=[carol.pk]) in organiser
    verification = client.get(reverse("reviews:period-verification", args=[period.pk]))
    text = verification.content.decode()
    assert "Thẩm định các phiếu đã chọn" in text
    assert reverse("reviews:period-propose", args=[period.pk]) not in text
    ready(period, {})
    organiser = _section(_board(client, world.users["olga"], period), "organiser")
    assert (
        f"{total}/{total} phiếu đã thẩm định" in organiser and "Đề xuất mức xếp loại" in organiser
    )
    text = client.get(reverse("reviews:period-verification", args=[period.pk])).content.decode()
    assert reverse("reviews:period-propose", args=[period.pk]) in text
    # Once concluded, the forms are still counted as verified, and nothing is to propose.
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    organiser = _section(_board(client, world.users["olga"], period), "organiser")
    assert f"{total}/{total} phiếu đã thẩm định" in organiser
    assert "Đề xuất mức xếp loại" not in organiser
    # Not an organiser: the leader may look at the queue but is offered no button.
    client.force_login(world.users["lena"])
    text = client.get(reverse("reviews:period-verification", args=[period.pk])).content.decode()
    assert "Thẩm định các phiếu đã chọn" not in text
    assert reverse("reviews:period-propose", args=[period.pk]) not in text


def test_the_authority_sees_and_concludes_the_period_of_the_people_it_manages(client, world, uma):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    client.force_login(world.users["tam"])
    listing = client.get(reverse("reviews:period-list")).content.decode()
    assert reverse("reviews:period-board", args=[period.pk]) in listing
    authority = _section(_board(client, world.users["tam"], period), "authority")
    total = Evaluation.objects.filter(period=period).count()
    assert f"{total} đề xuất chờ kết luận" in authority
    url = reverse("reviews:period-conclusions", args=[period.pk])
    assert url in authority
    page = client.get(url).content.decode()
    assert "Chấp thuận tất cả đề xuất" in page
    # One changed with a reason, the rest accepted.
    alice = evaluation_of(period, world.alice)
    conclude = reverse("reviews:evaluation-conclude", args=[alice.pk])
    assert client.post(conclude, {"level": "HTNV", "reason": "Chậm tiến độ"}).status_code == 302
    client.post(reverse("reviews:period-accept", args=[period.pk]))
    alice.refresh_from_db()
    assert (alice.level, alice.reason) == ("HTNV", "Chậm tiến độ")
    assert (
        not Evaluation.objects.filter(period=period)
        .exclude(state=EvaluationState.CONCLUDED)
        .exists()
    )
    page = client.get(url).content.decode()
    assert "Chấp thuận tất cả đề xuất" not in page
    # The authority is competent for the period: it may publish it.
    assert reverse("reviews:period-publish", args=[period.pk]) in page
    # An authority that manages nobody in the period: 404, like a missing period.
    client.force_login(uma)
    listing = client.get(reverse("reviews:period-list")).content.decode()
    assert reverse("reviews:period-board", args=[period.pk]) not in listing
    for name in ("period-board", "period-conclusions"):
        assert client.get(reverse(f"reviews:{name}", args=[period.pk])).status_code == 404
    assert client.post(conclude, {"level": "KHT", "reason": "x"}).status_code == 404
    assert client.post(reverse("reviews:period-accept", args=[period.pk])).status_code == 404


def test_the_organiser_is_offered_no_conclusion_form(client, world):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    client.force_login(world.users["olga"])
    page = client.get(reverse("reviews:period-conclusions", args=[period.pk])).content.decode()
    assert "Chấp thuận tất cả" not in page
    assert 'name="reason"' not in page
    assert reverse("reviews:period-publish", args=[period.pk]) not in page  # not concluded


def test_the_self_review_pre_selects_no_level_and_a_refusal_keeps_the_text(client, world):
    period = open_year(world)
    alice = evaluation_of(period, world.alice)
    client.force_login(world.users["alice"])
    url = reverse("reviews:evaluation-self", args=[alice.pk])
    form = client.get(url).content.decode()
    select = re.search(r'<select name="proposed_level".*?</select>', form, re.S)
    assert select is not None
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    assert chosen == [""]
    # Sent without a level: refused, nothing written, back on the form with the text typed.
    response = client.post(
        url, {"shortcomings": "Báo cáo còn chậm", "general": "27", "results": "63"}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    assert "Báo cáo còn chậm" in page and "Trường này là bắt buộc" in page
    alice.refresh_from_db()
    assert alice.state == EvaluationState.PENDING
    # Over the 30 points of the general criteria: refused by the service, text kept.
    page = client.post(
        url,
        {
            "shortcomings": "Báo cáo còn chậm",
            "general": "31",
            "results": "63",
            "proposed_level": "HTT",
        },
        follow=True,
    ).content.decode()
    assert "từ 0 đến 30" in page and "Báo cáo còn chậm" in page
    # Reloading the form shows it afresh: nothing is sent again, nothing typed is left.
    again = client.get(url).content.decode()
    assert "từ 0 đến 30" not in again and "Báo cáo còn chậm" not in again


def test_a_refused_conclusion_keeps_the_level_and_shows_the_reason(client, world):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    alice = evaluation_of(period, world.alice)
    client.force_login(world.users["tam"])
    conclude = reverse("reviews:evaluation-conclude", args=[alice.pk])
    response = client.post(conclude, {"level": "KHT", "reason": ""})
    conclusions = reverse("reviews:period-conclusions", args=[period.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{conclusions}#ket-luan-{alice.pk}"
    page = client.get(response["Location"]).content.decode()
    row = re.search(rf'<tr id="ket-luan-{alice.pk}">.*?</tr>', page, re.S)
    assert row is not None
    assert "phải ghi rõ lý do" in row.group(0)  # beside the form, where the browser lands
    assert '<option value="KHT" selected>' in row.group(0)
    alice.refresh_from_db()
    assert alice.level == ""


def test_an_appeal_refused_keeps_its_text(client, world):
    period = open_year(world)
    ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    cycle.period_publish(actor=world.users["tam"], period=period)
    alice = evaluation_of(period, world.alice)
    client.force_login(world.users["alice"])
    page = client.get(reverse("reviews:evaluation-detail", args=[alice.pk])).content.decode()
    assert "Gửi kiến nghị về kết quả" in page
    url = reverse("reviews:appeal-file", args=[alice.pk])
    assert client.post(url, {"text": "Đề nghị xem xét lại"}).status_code == 302
    response = client.post(url, {"text": "Lần thứ hai"}, follow=True)
    detail = reverse("reviews:evaluation-detail", args=[alice.pk])
    assert response.redirect_chain == [(f"{detail}#kien-nghi", 302)]
    page = response.content.decode()
    assert "đang được giải quyết" in page
    # An appeal is open: no second form is offered.
    assert "Gửi kiến nghị về kết quả" not in page
