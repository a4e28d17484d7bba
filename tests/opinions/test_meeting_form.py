"""The meeting form: one attendance list, its buttons working without JavaScript, the service's
checks and errors with the ticks kept, the period's quorum rule, and old links by number."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.reviews.annual.cycle import open_year
from thuocdo.opinions.models import Meeting
from thuocdo.org import services as org
from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Period


def _url(period: Period, unit: str = "P1") -> str:
    return f"/ky-danh-gia/{period.pk}/hop-tap-the/?unit={unit}"


def _post(world: Any, **changes: Any) -> dict[str, Any]:
    """A meeting of P1's three members, all present, Lan chairing, Nhung taking the minutes."""
    people = [world.alice.pk, world.carol.pk, world.lena.pk]
    data: dict[str, Any] = {
        "held_on": "2026-12-10",
        "chair": world.lena.pk,
        "secretary": world.alice.pk,
        "summoned": people,
        "present": people,
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "minutes": "Họp kiểm điểm cuối năm.",
    }
    return {**data, **changes}


ROW = re.compile(r'<tr data-search="[^"]*"( hidden)?>\s*<th scope="row">([^<]+)(.*?)</tr>', re.S)


def _rows(response: Any) -> dict[str, dict[str, bool]]:
    """Each member row of the page: shown or hidden, and which boxes are ticked."""
    rows = {}
    for hidden, name, cells in ROW.findall(response.content.decode()):
        rows[name.strip()] = {
            "shown": not hidden,
            "summoned": bool(re.search(r'name="summoned" value="\d+" checked', cells)),
            "present": bool(re.search(r'name="present" value="\d+" checked', cells)),
        }
    return rows


@pytest.fixture
def period(world: Any, client: Any) -> Period:
    """2026 over Q1, and Hana (head of Q1) logged in."""
    client.force_login(world.users["hana"])
    return open_year(world)


NHUNG, ANH, LAN = "Nguyễn Thị Hồng Nhung", "Trần Văn Ánh", "Lê Thị Lan"


def test_each_member_is_listed_once_with_both_boxes(
    world: Any, client: Any, period: Period
) -> None:
    response = client.get(_url(period))
    page = response.content.decode()
    assert list(_rows(response)) == [ANH, LAN, NHUNG]
    assert page.count(NHUNG) == 1 + 4  # the row, its two boxes' names, chair and secretary lists
    assert page.count('name="summoned"') == page.count('name="present"') == 3
    assert 'data-search=" nguyen thi hong nhung cb-a "' in page
    assert "Tất cả có mặt" in page and 'name="tim"' in page
    assert not Meeting.objects.exists()


def test_the_filter_button_narrows_the_list_and_keeps_every_tick(
    world: Any, client: Any, period: Period
) -> None:
    data = _post(world, summoned=[world.carol.pk], present=[], held_on="", chair="")
    response = client.post(_url(period), {**data, "tim": "hong nhung", "attendance": "filter"})
    assert response.status_code == 200 and not Meeting.objects.exists()
    rows = _rows(response)
    assert {name for name, row in rows.items() if row["shown"]} == {NHUNG}
    assert rows[ANH] == {"shown": False, "summoned": True, "present": False}  # hidden, still sent
    page = response.content.decode()
    assert "Đang hiện 1/3 người khớp «hong nhung»." in page
    assert 'value="hong nhung"' in page and "Họp kiểm điểm cuối năm." in page
    # What is still to fill in is not an error yet.
    assert "bắt buộc" not in page and 'aria-invalid="true"' not in page


@pytest.mark.parametrize(
    ("action", "summoned", "present"),
    [
        ("summon-all", {ANH, LAN, NHUNG}, {NHUNG}),
        ("present-all", {ANH, LAN, NHUNG}, {LAN, NHUNG}),
        ("clear-all", {ANH}, set()),
    ],
)
def test_the_all_buttons_apply_to_the_members_shown(
    world: Any, client: Any, period: Period, action: str, summoned: set[str], present: set[str]
) -> None:
    # Ánh was summoned; Nhung summoned and present; the filter «thi» shows Lan and Nhung.
    data = _post(world, summoned=[world.carol.pk, world.alice.pk], present=[world.alice.pk])
    response = client.post(_url(period), {**data, "tim": "thi", "attendance": action})
    rows = _rows(response)
    assert {n for n, r in rows.items() if r["summoned"]} == summoned
    assert {n for n, r in rows.items() if r["present"]} == present
    assert not Meeting.objects.exists()


def test_the_all_buttons_without_a_filter_apply_to_everyone(
    world: Any, client: Any, period: Period
) -> None:
    response = client.post(_url(period), {"attendance": "present-all"})
    assert all(r["summoned"] and r["present"] and r["shown"] for r in _rows(response).values())
    assert 'Đã đánh dấu <strong data-count="summoned">3</strong>' in response.content.decode()


def test_saving_records_the_meeting_whatever_the_filter(
    world: Any, client: Any, period: Period
) -> None:
    response = client.post(_url(period), {**_post(world), "tim": "lan"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hop-tap-the/{meeting.pk}/"
    assert set(meeting.present.all()) == {world.alice, world.carol, world.lena}
    assert meeting.is_valid and meeting.quorum_label == "2/3"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"present": ["ALICE", "CAROL", "LENA"], "summoned": ["ALICE", "LENA"]},
         "Người có mặt phải nằm trong danh sách được triệu tập."),
        ({"present": ["CAROL", "LENA"]}, "Chủ trì và thư ký phải có mặt tại cuộc họp."),
        ({"quorum_numerator": 4}, "Tỷ lệ tối thiểu phải là một phân số từ 0 đến 1 (ví dụ 2/3)."),
    ],
)  # fmt: skip
def test_a_refused_meeting_says_why_and_keeps_the_ticks(
    world: Any, client: Any, period: Period, changes: dict[str, Any], message: str
) -> None:
    pks = {"ALICE": world.alice.pk, "CAROL": world.carol.pk, "LENA": world.lena.pk}
    for key in ("summoned", "present"):
        if key in changes:
            changes[key] = [pks[name] for name in changes[key]]
    data = _post(world, **changes)
    response = client.post(_url(period), {**data, "tim": "van"})
    assert response.status_code == 200 and not Meeting.objects.exists()
    page = response.content.decode()
    assert message in page
    rows = _rows(response)
    assert {n for n, r in rows.items() if r["summoned"]} == {
        p.full_name for p in Person.objects.filter(pk__in=data["summoned"])
    }
    assert {n for n, r in rows.items() if r["present"]} == {
        p.full_name for p in Person.objects.filter(pk__in=data["present"])
    }
    assert {n for n, r in rows.items() if r["shown"]} == {ANH}  # the filter too
    assert 'value="2026-12-10"' in page and "Họp kiểm điểm cuối năm." in page


def test_nobody_summoned_is_refused_under_the_list(world: Any, client: Any, period: Period) -> None:
    response = client.post(_url(period), _post(world, summoned=[], present=[]))
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "Thành viên được triệu tập: Trường này là bắt buộc." in response.content.decode()


def test_someone_outside_the_unit_cannot_be_ticked(world: Any, client: Any, period: Period) -> None:
    people = [world.alice.pk, world.lena.pk, world.bob.pk]
    response = client.post(_url(period), _post(world, summoned=people, present=people))
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "Thành viên được triệu tập: " in response.content.decode()


def test_below_quorum_the_meeting_is_recorded_invalid(
    world: Any, client: Any, period: Period
) -> None:
    present = [world.lena.pk]
    client.post(_url(period), _post(world, present=present, secretary=world.lena.pk))
    meeting = Meeting.objects.get()
    assert meeting.present_count == 1 and meeting.summoned_count == 3 and not meeting.is_valid


@pytest.mark.parametrize(
    ("option", "rule"), [("1/2", (1, 2)), ("hai phần ba", (2, 3)), ("3/2", (2, 3)), ("1/0", (2, 3))]
)
def test_the_form_starts_from_the_periods_quorum_rule(
    world: Any, client: Any, option: str, rule: tuple[int, int]
) -> None:
    client.force_login(world.users["hana"])
    period = open_year(world, options={"meeting_quorum": option})
    response = client.get(_url(period))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"mặc định {rule[0]}/{rule[1]} số được triệu tập" in page
    assert f'name="quorum_numerator" value="{rule[0]}"' in page
    assert f'name="quorum_denominator" value="{rule[1]}"' in page


# -- old links by the unit's number ----------------------------------------------------------


def test_an_old_link_by_number_opens_the_unit(world: Any, client: Any, period: Period) -> None:
    response = client.get(_url(period, str(world.p1.pk)))
    assert response.status_code == 302 and response["Location"] == _url(period)
    page = client.get(response["Location"]).content.decode()
    assert "Họp tập thể: Phường Một" in page
    # A form posted to the old address records the meeting of that unit as well.
    client.post(_url(period, str(world.p1.pk)), _post(world))
    assert Meeting.objects.get().unit == world.p1


def _page_for(response: Any, typed: int) -> str:
    """The page without its form token (new on every response) and with the number typed
    made anonymous where it is shown (the error and the field)."""
    page = re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())
    return page.replace(f"«{typed}»", "«N»").replace(f'value="{typed}"', 'value="N"')


def test_a_number_out_of_reach_is_answered_like_an_unknown_one(
    world: Any, client: Any, period: Period
) -> None:
    # Phường Hai exists, in the sibling district; the other number is no unit at all.
    missing = max(Unit.objects.values_list("pk", flat=True)) + 1000
    outside = client.get(_url(period, str(world.p2.pk)))
    unknown = client.get(_url(period, str(missing)))
    assert outside.status_code == unknown.status_code == 200
    assert f"không có đơn vị mã «{world.p2.pk}» trong phạm vi" in outside.content.decode()
    assert _page_for(outside, world.p2.pk) == _page_for(unknown, missing)
    response = client.post(_url(period, str(world.p2.pk)), _post(world))
    assert response.status_code == 200 and not Meeting.objects.exists()


def test_a_code_wins_over_the_number_of_another_unit(world: Any, client: Any) -> None:
    client.force_login(world.users["olga"])
    period = open_year(world)
    numbered = org.unit_create(
        actor=None, code=str(world.p1.pk), name="Tổ dân phố số", kind="state", parent=world.q1
    )
    page = client.get(_url(period, str(world.p1.pk))).content.decode()
    assert f"Họp tập thể: {numbered.name}" in page


# -- every link to the page gives what it expects --------------------------------------------


def _links(page: str, text: str) -> list[str]:
    """The addresses of the page's links that read `text`."""
    return re.findall(rf'<a href="([^"]*)">{re.escape(text)}</a>', page)


def test_the_link_on_an_evaluation_opens_the_form_of_its_unit(world: Any, client: Any) -> None:
    client.force_login(world.users["olga"])
    period = open_year(world)
    evaluation = period.evaluations.get(person=world.alice)
    page = client.get(f"/danh-gia/{evaluation.pk}/").content.decode()
    (link,) = _links(page, "Ghi nhận họp tập thể")
    assert link == _url(period)
    assert "Họp tập thể: Phường Một" in client.get(link).content.decode()


def test_the_links_of_the_picker_open_the_form(world: Any, client: Any, period: Period) -> None:
    pick = f"/ky-danh-gia/{period.pk}/hop-tap-the/"
    links = _links(client.get(pick).content.decode(), "Phường Một")
    assert links == ["?unit=P1"]
    page = client.get(pick + links[0]).content.decode()
    (back,) = _links(page, "Chọn tập thể khác")
    assert "Họp tập thể: Phường Một" in page and back == pick


@pytest.mark.parametrize(
    ("name", "links"), [("olga", True), ("hana", True), ("lena", False), ("alice", False)]
)
def test_the_year_board_links_the_meeting_page_for_those_who_hold_meetings(
    world: Any, client: Any, name: str, links: bool
) -> None:
    period = open_year(world)
    client.force_login(world.users[name])
    page = client.get(f"/ky-danh-gia/{period.pk}/").content.decode()
    assert (_links(page, "Họp tập thể") == [f"/ky-danh-gia/{period.pk}/hop-tap-the/"]) is links


def test_a_head_gets_the_meeting_link_on_an_evaluation_but_not_the_organisers(
    world: Any, client: Any, period: Period
) -> None:
    evaluation = period.evaluations.get(person=world.alice)
    page = client.get(f"/danh-gia/{evaluation.pk}/").content.decode()
    assert _links(page, "Ghi nhận họp tập thể") == [_url(period)]
    assert "Lấy ý kiến ẩn danh" not in page and "Xin ý kiến cơ quan liên quan" not in page
