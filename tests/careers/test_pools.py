"""Planning pools (issue 8, part 1): who is eligible and why not (rule and year), and the
structure by age band, women and ethnic minorities, counted independently here."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.careers.helpers import low_vote, past_level
from thuocdo.audit.models import AuditEvent
from thuocdo.careers import services
from thuocdo.careers.selectors import pool_view
from thuocdo.org import services as org

D = Decimal
TERM = 2026


@pytest.fixture
def pool(world):
    """olga's pool "Chủ tịch UBND phường" 2026–2031 in Q1, for 1 post, with five candidates."""
    olga = world.users["olga"]
    dao = org.person_create(
        None,
        code="CB-D",
        full_name="Đinh Thị Mỹ Dung",
        birth_date=datetime.date(1992, 7, 1),
        gender="female",
        category="civil_servant",
        ethnicity="Mường",
    )
    org.post_create(
        None,
        person=dao,
        unit=world.p1,
        title="Công chức Địa chính",
        start_date=datetime.date(2021, 1, 1),
    )
    for year in (2023, 2024, 2025):
        past_level(world.alice, year, "HTT")
        past_level(world.lena, year, "HTXS", group="leader")
        past_level(world.hana, year, "HTT", group="leader")
        past_level(world.carol, year, "HTNV" if year == 2024 else "HTT")
    past_level(dao, 2024, "HTT")
    past_level(dao, 2025, "HTXS")
    low_vote(world.lena, world.p1, olga, datetime.date(2025, 11, 5))
    services.title_standard_set(
        actor=world.users["root"],
        title="Chủ tịch UBND phường",
        requirements=[{"subject": "political_theory", "level": "Cao cấp", "source": "x"}],
    )
    services.training_record(
        actor=olga,
        person=world.alice,
        kind="degree",
        subject="political_theory",
        level="Cao cấp",
        name="Cao cấp lý luận chính trị",
        end_date=datetime.date(2024, 6, 30),
    )
    p = services.pool_create(
        actor=olga,
        unit=world.q1,
        title="Chủ tịch UBND phường",
        term_start=TERM,
        term_end=2031,
        posts=1,
        women_min=D("0.7"),
        ratio_min=D(2),
    )
    for person in (world.alice, world.carol, world.lena, world.hana, dao):
        services.pool_candidate_add(actor=olga, pool=p, person=person)
    return p


def test_the_pool_says_who_is_eligible_and_why_not_with_rule_and_year(world, pool):
    view = pool_view(pool)
    why = {
        row.entry.person.code: [(r.rule, r.year) for r in row.eligibility.reasons]
        for row in view.rows
    }
    assert why == {
        "CB-A": [],
        "CB-C": [("min-level-years", 2024)],
        "CB-L": [("no-low-confidence", 2025)],
        "CB-H": [("max-age", None)],
        "CB-D": [("min-level-years", 2023)],
    }
    assert view.eligible_count == 1
    gaps = {row.entry.person.code: row.gaps for row in view.rows}
    assert gaps["CB-A"] == [] and gaps["CB-C"] == ["Lý luận chính trị Cao cấp"]


def test_the_structure_matches_counts_made_here(world, pool):
    view = pool_view(pool)
    on = datetime.date(TERM, 1, 1)
    people = [e.person for e in pool.candidates.all()]
    ages = [
        on.year - p.birth_date.year - ((on.month, on.day) < (p.birth_date.month, p.birth_date.day))
        for p in people
    ]
    expected = (
        ("Dưới 40 tuổi", sum(a < 40 for a in ages)),
        ("Từ 40 đến 50 tuổi", sum(40 <= a <= 50 for a in ages)),
        ("Trên 50 tuổi", sum(a > 50 for a in ages)),
    )
    women = sum(p.gender == "female" for p in people)
    assert (
        view.structure.bands
        == expected
        == (
            ("Dưới 40 tuổi", 2),
            ("Từ 40 đến 50 tuổi", 2),
            ("Trên 50 tuổi", 1),
        )
    )
    assert (view.structure.women, view.structure.women_share) == (women, "60%") == (3, "60%")
    assert (view.structure.minority, view.structure.ratio) == (1, "5")
    assert view.structure.warnings == ("Tỷ lệ nữ 60% (3/5), dưới mục tiêu 70%.",)


def test_pool_writes_are_the_organisers_and_audited(world, pool):
    with pytest.raises(PermissionDenied):
        services.pool_candidate_add(actor=world.users["hana"], pool=pool, person=world.bob)
    with pytest.raises(PermissionDenied):  # bob works in the sibling district
        services.pool_candidate_add(actor=world.users["olga"], pool=pool, person=world.bob)
    with pytest.raises(ValidationError, match="đã có trong quy hoạch"):
        services.pool_candidate_add(actor=world.users["olga"], pool=pool, person=world.alice)
    assert AuditEvent.objects.filter(action="pool.candidate_add").count() == 5
    assert AuditEvent.objects.filter(action="pool.create").count() == 1


def test_title_standards_are_set_by_the_top_organiser_only(world):
    with pytest.raises(PermissionDenied):
        services.title_standard_set(
            actor=world.users["olga"],
            title="Chủ tịch UBND phường",
            requirements=[{"subject": "political_theory", "level": "Sơ cấp"}],
        )
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.title_standard_set(
            actor=world.users["root"],
            title="Chủ tịch UBND phường",
            requirements=[{"subject": "political_theory", "level": "Chuyên viên"}],
        )


def test_rules_as_data_are_checked_when_the_pool_is_made(world):
    with pytest.raises(ValidationError) as error:
        services.pool_create(
            actor=world.users["olga"],
            unit=world.q1,
            title="Bí thư Đảng ủy phường",
            term_start=2026,
            term_end=2031,
            conditions=[{"rule": "max-age", "age": 45}],
        )
    assert "thiếu căn cứ" in str(error.value)


def test_the_pool_page_shows_eligibility_and_structure(client, world, pool):
    client.force_login(world.users["hana"])
    page = client.get(f"/quy-hoach/{pool.pk}/").content.decode()
    assert "Đủ điều kiện" in page and "Năm 2024: xếp loại HTNV, dưới mức HTT." in page
    assert "Dưới 40 tuổi" in page and "60%" in page and "Chưa đạt cơ cấu" in page
    assert client.post(f"/quy-hoach/{pool.pk}/", {"code": "CB-B"}).status_code == 403


def test_an_outsider_from_a_sibling_district_gets_404(client, world, pool):
    outsider = org.user_create(actor=None, username="quang", password="x")
    org.role_assign(actor=None, user=outsider, role="organiser", unit=world.q2)
    client.force_login(outsider)
    assert client.get(f"/quy-hoach/{pool.pk}/").status_code == 404


def test_the_organiser_makes_a_pool_and_adds_a_candidate_by_code(client, world):
    client.force_login(world.users["olga"])
    response = client.post(
        "/quy-hoach/moi/",
        {
            "unit": world.p1.code,  # what the unit picker sends
            "title": "Chủ tịch UBND phường",
            "term_start": 2026,
            "term_end": 2031,
            "posts": 1,
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    assert client.post(url, {"code": "CB-C"}).status_code == 302
    page = client.post(url, {"code": "CB-B"}).content.decode()
    assert "Mã cán bộ: không tìm thấy cán bộ này trong phạm vi quản lý." in page
    assert "Trần Văn Ánh" in client.get(url).content.decode()


def test_the_organiser_changes_the_rules_as_data_and_every_problem_is_listed(client, world, pool):
    client.force_login(world.users["olga"])
    url = f"/quy-hoach/{pool.pk}/dieu-kien/"
    wanted = [{"rule": "min-level-years", "level": "HTNV", "years": 2, "source": "Cấp ủy"}]
    rules = json.dumps(wanted, ensure_ascii=False)
    assert client.post(url, {"conditions": rules}).status_code == 302
    pool.refresh_from_db()
    assert pool.rules == wanted
    why = {row.entry.person.code: row.eligibility.eligible for row in pool_view(pool).rows}
    assert why == dict.fromkeys(["CB-A", "CB-C", "CB-L", "CB-H", "CB-D"], True)
    assert AuditEvent.objects.filter(action="pool.rules_set").count() == 1
    page = client.post(url, {"conditions": '[{"rule": "max-age", "age": 5}]'}, follow=True)
    text = page.content.decode()
    assert "Điều kiện: Quy tắc thứ 1 (max-age): thiếu căn cứ (source)." in text
    assert "tuổi tối đa (age) phải từ 18 đến 70" in text
    client.force_login(world.users["hana"])
    assert client.post(url, {"conditions": rules}).status_code == 403


def test_the_organiser_takes_a_person_out_with_a_reason_and_it_is_audited(client, world, pool):
    entry = pool.candidates.get(person=world.lena)
    url = f"/quy-hoach/nguoi/{entry.pk}/dua-ra/"
    client.force_login(world.users["hana"])
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(world.users["olga"])
    page = client.post(url, {"reason": " "}, follow=True).content.decode()
    assert "Lý do: phải ghi rõ lý do đưa ra khỏi quy hoạch." in page
    assert "05/11/2025: Đưa ra khỏi quy hoạch chức danh cao hơn" in page
    client.post(url, {"reason": "Tín nhiệm thấp giữa nhiệm kỳ (Quy định 96-QĐ/TW)."})
    assert not pool.candidates.filter(person=world.lena).exists()
    event = AuditEvent.objects.get(action="pool.candidate_remove")
    assert event.note == "Tín nhiệm thấp giữa nhiệm kỳ (Quy định 96-QĐ/TW)."
    assert client.post(url, {"reason": "x"}).status_code == 404
