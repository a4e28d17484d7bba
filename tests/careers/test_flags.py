"""Review flags (issue 8, part 4): KHT two years running, a low-confidence vote, a head whose
unit met under 70% of its targets; each a case for the authority, never a decision."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.careers.helpers import low_vote, past_level, published_level, targets_met
from thuocdo.audit.models import AuditEvent
from thuocdo.careers import rules, services
from thuocdo.careers.models import CaseDecision
from thuocdo.careers.selectors import case_list


@pytest.fixture
def flagged(world):
    """alice KHT in 2025 (history) and 2026; carol KHT in 2026 only (a case from 2026 for a
    công chức, Luật CBCC 2025 Điều 27 k1 c, DESIGN §4.7.8); lena low confidence in a
    published 2026 vote, bob in a vote not yet published; hana's Q1 met 6/10 targets in 2026,
    bob's P2 exactly 7/10 (70% is not under 70%)."""
    root = world.users["root"]
    past_level(world.alice, 2025, "KHT")
    published_level(world.alice, 2026, "KHT")
    past_level(world.carol, 2025, "HTT")
    published_level(world.carol, 2026, "KHT")
    published_level(world.lena, 2026, "HTT", group="leader")
    low_vote(world.lena, world.p1, root, datetime.date(2026, 10, 20))
    low_vote(world.bob, world.p2, root, datetime.date(2026, 10, 21), state="closed")
    targets_met(world.q1, world.hana, 2026, met=6, assigned=10)
    targets_met(world.p2, world.bob, 2026, met=7, assigned=10)
    return world


def _cases(actor, year=2026, unit=None):
    return {(c.person.code, c.flag.rule) for c in case_list(actor=actor, year=year, unit=unit)}


def test_the_three_kinds_appear_for_those_constructed_to_trigger_them_and_no_one_else(flagged):
    assert _cases(flagged.users["root"]) == {
        ("CB-A", rules.FLAG_FAIL_TWO_YEARS),
        ("CB-A", rules.FLAG_FAIL_ONE_YEAR),
        ("CB-C", rules.FLAG_FAIL_ONE_YEAR),
        ("CB-L", rules.FLAG_LOW_CONFIDENCE),
        ("CB-H", rules.FLAG_HEAD_TARGETS),
    }


def test_each_flag_carries_its_rule_source_and_the_figures(flagged):
    cases = {
        c.flag.rule: c.flag
        for c in case_list(actor=flagged.users["root"], year=2026)
        if c.person.code != "CB-C"
    }
    fail = cases[rules.FLAG_FAIL_TWO_YEARS]
    assert fail.label == "Hai năm liên tiếp không hoàn thành nhiệm vụ"
    assert "Luật 52/2019/QH14" in fail.source
    one = next(
        c.flag for c in case_list(actor=flagged.users["root"], year=2026) if c.person.code == "CB-C"
    )
    assert one.source.startswith("Luật Cán bộ, công chức 2025, Điều 27, khoản 1 điểm c")
    assert one.trace == ("Năm 2026: Không hoàn thành nhiệm vụ (Công chức, hệ thống)",)
    assert fail.trace == (
        "Năm 2025: Không hoàn thành nhiệm vụ (Công chức, hồ sơ các năm trước)",
        "Năm 2026: Không hoàn thành nhiệm vụ (Công chức, hệ thống)",
    )
    low = cases[rules.FLAG_LOW_CONFIDENCE]
    assert "96-QĐ/TW" in low.source and "20/10/2026" in low.trace[0]
    head = cases[rules.FLAG_HEAD_TARGETS]
    assert head.trace == ("Quận Một: đạt 6/10 chỉ tiêu = 60%, dưới 70%",)
    assert "cấu hình của tổ chức" in head.source


def test_a_year_later_the_same_facts_flag_no_one_but_the_old_failures_are_not_repeated(flagged):
    assert _cases(flagged.users["root"], year=2027) == set()
    assert _cases(flagged.users["root"], year=2025) == set()


def test_a_year_not_yet_published_does_not_count(world):
    past_level(world.alice, 2025, "KHT")
    published_level(world.alice, 2026, "KHT", state="conclusion")
    assert _cases(world.users["root"]) == set()


def test_the_organiser_sees_the_cases_of_her_subtree_and_the_authority_those_it_manages(flagged):
    olga = {code for code, _ in _cases(flagged.users["olga"])}
    assert olga == {"CB-A", "CB-C", "CB-L", "CB-H"}
    assert {code for code, _ in _cases(flagged.users["tam"])} == {"CB-H"}
    assert _cases(flagged.users["alice"]) == set()
    assert _cases(flagged.users["olga"], unit=flagged.p1) == {
        ("CB-A", rules.FLAG_FAIL_TWO_YEARS),
        ("CB-A", rules.FLAG_FAIL_ONE_YEAR),
        ("CB-C", rules.FLAG_FAIL_ONE_YEAR),
        ("CB-L", rules.FLAG_LOW_CONFIDENCE),
    }


def test_the_authority_records_a_decision_with_a_reason_and_it_is_audited(flagged):
    decision = services.case_decide(
        actor=flagged.users["tam"],
        person=flagged.hana,
        rule=rules.FLAG_HEAD_TARGETS,
        year=2026,
        outcome="monitor",
        reason="Đơn vị bị ảnh hưởng bởi bão số 3; theo dõi thêm 6 tháng.",
    )
    assert decision.trace[0].startswith("Đơn vị do người này đứng đầu")
    event = AuditEvent.objects.get(action="case.decide")
    assert event.after is not None and event.after["outcome"] == "monitor"
    (case,) = case_list(actor=flagged.users["tam"], year=2026)
    assert case.decision == decision


def test_no_decision_without_a_reason_or_by_someone_else_or_on_a_case_that_does_not_stand(
    flagged,
):
    args = {"person": flagged.hana, "rule": rules.FLAG_HEAD_TARGETS, "year": 2026}
    with pytest.raises(ValidationError, match="Lý do"):
        services.case_decide(actor=flagged.users["tam"], outcome="monitor", reason=" ", **args)
    with pytest.raises(PermissionDenied):
        services.case_decide(actor=flagged.users["olga"], outcome="monitor", reason="x", **args)
    with pytest.raises(ValidationError, match="không còn căn cứ"):
        services.case_decide(
            actor=flagged.users["root"],
            person=flagged.carol,
            rule=rules.FLAG_FAIL_TWO_YEARS,
            year=2026,
            outcome="replace",
            reason="x",
        )
    assert not CaseDecision.objects.exists()
