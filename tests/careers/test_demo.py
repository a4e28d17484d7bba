"""The careers demo: the three kinds of flags for the people built to trigger them and no one
else, a pool with its eligibility and structure, a rotation."""

from __future__ import annotations

import datetime

import pytest

from thuocdo.audit.models import AuditEvent
from thuocdo.careers.demo import demo_careers_build
from thuocdo.careers.models import PlanningPool, Rotation
from thuocdo.careers.selectors import case_list, pool_view
from thuocdo.org.demo import demo_build
from thuocdo.org.models import User
from thuocdo.reports.demo import demo_history_build

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


def test_the_demo_pool_shows_who_is_eligible_why_not_and_its_structure(demo):
    view = pool_view(PlanningPool.objects.get())
    assert view.structure.total == demo["candidates"] > 0
    assert sum(n for _, n in view.structure.bands) == view.structure.total
    assert 0 < view.eligible_count < view.structure.total
    reasons = {r.rule for row in view.rows for r in row.eligibility.reasons}
    assert "no-low-confidence" in reasons and "min-level-years" in reasons
    assert any(row.gaps for row in view.rows)


def test_the_demo_rotation_ended_the_old_post_and_started_the_new_one(demo):
    rotation = Rotation.objects.select_related("from_post", "to_post").get()
    assert rotation.from_post.end_date == rotation.start_date - datetime.timedelta(days=1)
    assert rotation.to_post.start_date == rotation.start_date
