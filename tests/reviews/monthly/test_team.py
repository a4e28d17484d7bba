"""«Đơn vị của tôi» counts as left to do only the work that is the user's own: a direct leader's
people (the leader of a unit for its staff, the head for the head's deputies), the same as the
home page's «Người tôi phụ trách», whose links land on it. An organiser oversees a whole
district but scores nobody: instead of the district's people as their to-do, they follow how
many people of each unit have not been scored, each number opening that unit's month board
on exactly those people."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from thuocdo.org.scope import today
from thuocdo.reviews.models import Period
from thuocdo.reviews.monthly import services
from thuocdo.reviews.monthly.team import organised_progress
from thuocdo.web.home import todo_list
from thuocdo.work import services as work

AT = today()
MONTH = f"{AT:%m/%Y}"


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _team(user) -> str:
    return str(_as(user).get(reverse("work:team-detail")).content.decode())


def _left(page: str) -> str:
    """The page's «Còn lại …» line, or "" when it has none."""
    match = re.search(r'<section id="con-lai".*?</section>', page, re.S)
    assert match is not None
    return re.sub(r"<[^>]+>", "", match.group(0))


def _row(page: str, person_id: int) -> str:
    rest = page[page.index(f'id="can-bo-{person_id}"') :]
    return rest[: rest.index("</tr>")]


def _home(user) -> dict[str, int]:
    return {item.key: item.count for item in todo_list(user)}


@pytest.fixture
def month(world) -> Period:
    """This month, opened once over the whole city, its scores so far computed."""
    period = services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=AT.year,
        number=AT.month,
        ruleset="nd-335-2025",
    )
    services.month_scores_compute(actor=world.users["root"], period=period)
    return period


def _score(actor, period: Period, person_id: int) -> None:
    services.assessment_record(
        actor=actor,
        period=period,
        person_id=person_id,
        source="leader",
        general=Decimal(27),
    )


def test_the_organiser_is_counted_no_one_to_score_and_follows_each_unit_instead(world, month):
    olga = world.users["olga"]
    page = _team(olga)
    assert "người chưa được chấm điểm tháng" not in _left(page)  # was the whole district
    assert "Còn lại" not in _left(page)
    assert "chấm điểm tháng là việc của lãnh đạo trực tiếp" in page
    # Quận Một: Hana at the district, Alice, Carol and Lena in Phường Một; none scored yet.
    (district,) = organised_progress(actor=olga, year=AT.year, month=AT.month)
    assert (district.unit, district.period) == (world.q1, month)
    assert district.total is not None and (district.total.people, district.total.unscored) == (4, 4)
    assert [(u.unit, u.people, u.unscored) for u in district.children] == [(world.p1, 3, 3)]
    _score(world.users["lena"], month, world.alice.pk)
    (district,) = organised_progress(actor=olga, year=AT.year, month=AT.month)
    assert district.total is not None and district.total.unscored == 3
    (ward,) = district.children
    assert ward.unscored == 2
    # The number opens Phường Một's month board on the two people not scored: Carol, Lena.
    assert ward.board_url in _team(olga).replace("&amp;", "&")
    board = _as(olga).get(ward.board_url).content.decode()
    assert "2 / 3 người khớp bộ lọc" in board
    assert "Trần Văn Ánh" in board and "Lê Thị Lan" in board
    assert "Nguyễn Thị Hồng Nhung" not in board
    # The people listed are what the organiser may do for others, not a count of theirs.
    assert "Còn 1 việc" not in _row(page, world.carol.pk)
    assert "Việc của lãnh đạo trực tiếp" in _row(page, world.carol.pk)
    # Nobody else follows the units: not the leader, not the head.
    assert 'id="theo-doi"' not in _team(world.users["lena"])
    assert organised_progress(actor=world.users["hana"], year=AT.year, month=AT.month) == []


def test_a_month_not_open_over_the_organisers_district_says_so(world):
    (district,) = organised_progress(actor=world.users["olga"], year=AT.year, month=AT.month)
    assert district.period is None and district.total is None
    assert f"Kỳ đánh giá tháng {MONTH} chưa được mở cho Quận Một" in _team(world.users["olga"])


def test_the_head_is_counted_his_deputies_as_on_his_home_page(world, month, duc):
    task = work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=AT.year,
        month=AT.month,
        title="Báo cáo tháng",
        quantity=Decimal(1),
        due_date=AT,
    )
    work.plan_submit(actor=world.users["alice"], plan=task.plan)
    # Lena is his deputy: her month is his to score, and his home page says so.
    assert _home(duc)["reviews.month-to-score"] == 1
    assert "work.plans-to-approve" not in _home(duc)  # Alice's plan waits for Lena
    left = _left(_team(duc))
    assert "0 kế hoạch chờ duyệt" in left
    assert "1 người chưa được chấm điểm tháng" in left  # was 3: the whole ward
    page = _team(duc)
    assert "Còn 1 việc" in _row(page, world.lena.pk)
    assert "Việc của lãnh đạo trực tiếp" in _row(page, world.alice.pk)
    # He may still approve it from the list, which says it is not his work.
    assert "Kế hoạch chờ duyệt (1; việc của anh/chị: 0)" in page
    assert reverse("work:plan-approve", args=[task.plan.pk]) in page
    _score(duc, month, world.lena.pk)
    assert "reviews.month-to-score" not in _home(duc)
    assert "0 người chưa được chấm điểm tháng" in _left(_team(duc))


def test_the_leaders_home_and_page_count_the_same_work(world, month):
    lena = world.users["lena"]
    task = work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=AT.year,
        month=AT.month,
        title="Báo cáo tháng",
        quantity=Decimal(1),
        due_date=AT,
    )
    work.plan_submit(actor=world.users["alice"], plan=task.plan)
    home = _home(lena)
    left = _left(_team(lena))
    assert home["work.plans-to-approve"] == 1 and "1 kế hoạch chờ duyệt" in left
    assert home["reviews.month-to-score"] == 2 and "2 người chưa được chấm điểm tháng" in left
    page = _team(lena)
    assert "Còn 2 việc" in _row(page, world.alice.pk)
    assert "Kế hoạch chờ duyệt (1)</h2>" in page  # all of it hers
