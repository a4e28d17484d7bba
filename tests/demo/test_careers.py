"""The careers demo: the three kinds of flags for the people built to trigger them and no one
else, a pool with its eligibility and structure, a rotation."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from thuocdo.audit.models import AuditEvent
from thuocdo.careers.models import PlanningPool, Rotation
from thuocdo.careers.selectors import case_list, pool_view
from thuocdo.demo.careers import demo_careers_build
from thuocdo.demo.history import demo_history_build
from thuocdo.demo.registry import demo_build
from thuocdo.org.models import User
from thuocdo.rules.fmt import vn_percent

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def demo(db: None) -> dict[str, int]:
    demo_build(people=1500, seed=2026)
    demo_history_build(seed=2026, today=TODAY)
    return demo_careers_build(seed=2026, today=TODAY)


def test_the_three_kinds_of_flags_appear_for_the_demo_people_built_for_them_only(demo):
    event = AuditEvent.objects.get(action="demo.careers_build")
    assert event.after is not None
    built = {(code, rule) for rule, codes in event.after["flagged"].items() for code in codes}
    assert len({rule for _, rule in built}) == 3
    found = case_list(actor=User.objects.get(username="quantri"), year=2025)
    assert {(c.person.code, c.flag.rule) for c in found} == built
    assert demo["flagged"] == len(built)


def test_the_demo_pool_shows_who_is_eligible_why_not_and_its_structure(demo, client):
    pool = PlanningPool.objects.get()
    view = pool_view(pool)
    people = [e.person for e in pool.candidates.select_related("person")]
    on = datetime.date(pool.term_start, 1, 1)
    ages = [
        on.year - p.birth_date.year - ((on.month, on.day) < (p.birth_date.month, p.birth_date.day))
        for p in people
    ]
    bands = (
        ("Dưới 40 tuổi", sum(a < 40 for a in ages)),
        ("Từ 40 đến 50 tuổi", sum(40 <= a <= 50 for a in ages)),
        ("Trên 50 tuổi", sum(a > 50 for a in ages)),
    )
    women = sum(p.gender == "female" for p in people)
    assert view.structure.bands == bands
    assert (view.structure.total, view.structure.women) == (len(people), women)
    assert view.structure.women_share == vn_percent(Fraction(women, len(people)), 2)
    # Who is not eligible, and why: rule and year (the age rule has no year).
    over_age = {p.code for p, a in zip(people, ages, strict=True) if a > 50}
    for row in view.rows:
        rules_failed = {r.rule for r in row.eligibility.reasons}
        assert ("max-age" in rules_failed) is (row.entry.person.code in over_age)
        for reason in row.eligibility.reasons:
            assert (reason.year is None) is (reason.rule == "max-age")
            assert reason.source
    assert 0 < view.eligible_count < view.structure.total
    built = AuditEvent.objects.get(action="demo.careers_build").after
    assert built is not None
    low = built["flagged"]["low-confidence"]
    (low_row,) = [r for r in view.rows if r.entry.person.code in low]
    assert ("no-low-confidence", 2025) in [(r.rule, r.year) for r in low_row.eligibility.reasons]
    assert any(row.gaps for row in view.rows)
    client.force_login(User.objects.get(username="bantochuc.q1"))
    page = client.get(f"/quy-hoach/{pool.pk}/").content.decode()
    assert "Năm 2025: có kết quả tín nhiệm thấp khi lấy phiếu tín nhiệm." in page
    assert f"{women} ({view.structure.women_share})" in page


def test_the_demo_rotation_ended_the_old_post_and_started_the_new_one(demo):
    rotation = Rotation.objects.select_related("from_post", "to_post").get()
    assert rotation.from_post.end_date == rotation.start_date - datetime.timedelta(days=1)
    assert rotation.to_post.start_date == rotation.start_date
