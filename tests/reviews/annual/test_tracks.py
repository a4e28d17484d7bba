"""A year with a rule-set per subject group: công chức under NĐ 335 or NĐ 90, Party members,
leaders and collectives under QĐ 366; the State classification first (HD 21 principle)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.reviews.annual.cycle import evaluation_of, open_year
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.models import Evaluation, EvaluationGroup, EvaluationState, Period
from thuocdo.reviews.monthly import services

D = Decimal
STATE = {"civil_servant": "nd-335-2025"}


def _alice(period: Period, group: str) -> Evaluation:
    return Evaluation.objects.get(period=period, person__code="CB-A", group=group)


def _ready(period: Period, scores: dict[int, Decimal], *, only=None) -> None:
    """Verified scores (or ratings, under a rule-set without points) for every evaluation
    (or only those given)."""
    for ev in Evaluation.objects.filter(period=period) if only is None else only:
        if ev.ruleset in ("nd-90-2020", "qd-124-2023"):
            ev.criteria = dict.fromkeys(["politics", "ethics", "style", "discipline"], "tot")
            ev.criteria["results"] = "tot"
        else:
            ev.score = scores.get(ev.pk, D(80))
        ev.state = EvaluationState.VERIFIED
        ev.save(update_fields=["score", "criteria", "state"])


def test_each_group_is_classified_under_its_rule_set_and_party_members_twice(world):
    period = open_year(world, rulesets=STATE)
    state, party = _alice(period, "civil_servant"), _alice(period, "party_member")
    assert (state.ruleset, state.quota_group) == ("nd-335-2025", "CC:P1:CC-VP")
    # Her Party organisation is the nearest one on her unit's path: the city's.
    assert (party.ruleset, party.quota_group, party.post_id) == (
        "qd-366-2025",
        "ĐV:TP",
        state.post_id,
    )
    # Leaders (lena, hana) and collectives stay under the period's rule-set, evaluated once.
    assert list(
        Evaluation.objects.filter(period=period, person=world.lena).values_list("group", "ruleset")
    ) == [(EvaluationGroup.LEADER, "qd-366-2025")]
    assert evaluation_of(period, world.q1).ruleset == "qd-366-2025"
    # 3 collectives, 4 posts, and alice's and carol's Party-member evaluations.
    assert Evaluation.objects.filter(period=period).count() == 9
    event = AuditEvent.objects.get(action="evaluation.create_batch")
    assert event.after is not None and event.after["party_members_also"] == 2


def test_without_group_rule_sets_a_person_is_evaluated_once_per_post(world):
    period = open_year(world)
    assert Evaluation.objects.filter(period=period, person=world.alice).count() == 1
    assert set(Evaluation.objects.filter(period=period).values_list("ruleset", flat=True)) == {
        "qd-366-2025"
    }


def test_rule_sets_of_a_year_are_all_checked_before_anything_is_written(world):
    with pytest.raises(ValidationError) as error:
        open_year(
            world,
            rulesets={
                "leader": "nd-335-2025",
                "civil_servant": "khong-co",
                "public_employee": "hn-3814-2018",
                "nobody": "qd-366-2025",
            },
        )
    problems = " | ".join(error.value.messages)
    assert "Nhóm đối tượng «nobody» không có" in problems
    assert "Không có bộ quy tắc 'khong-co'" in problems
    assert "hn-3814-2018 không áp dụng cho kỳ năm" in problems
    assert "phải cùng một bộ quy tắc" in problems and "head-cap" in problems
    assert not Period.objects.exists()


@pytest.mark.parametrize(
    ("state_score", "party_score", "state_level", "party_level", "step"),
    [
        # HD 21 §II 2.3 a: Party HTXS needs State HTXS; no general cap (DESIGN §4.7.4).
        (60, 95, "HTNV", "HTT", ("state-htxs-condition", "HTXS", "HTT")),
        (60, 85, "HTNV", "HTT", None),
        # KHT as CBCCVC is a Party-member KHT case.
        (40, 95, "KHT", "KHT", ("state-kht-veto", "HTT", "KHT")),
        (40, 75, "KHT", "KHT", ("state-kht-veto", "HTT", "KHT")),
    ],
)
def test_the_state_classification_runs_first_and_links_the_party_member(
    world, state_score, party_score, state_level, party_level, step
):
    """Before §4.7.4 the Party level was capped at the State level (HTNV, then HTNV); HD 21
    only makes State HTXS a condition of Party HTXS and State KHT a Party KHT case."""
    period = open_year(world, rulesets=STATE)
    state, party = _alice(period, "civil_servant"), _alice(period, "party_member")
    _ready(period, {state.pk: D(state_score), party.pk: D(party_score)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    state.refresh_from_db()
    party.refresh_from_db()
    assert (state.proposed_level, party.proposed_level) == (state_level, party_level)
    if step is not None:
        last = party.trace[-1]
        assert (last["rule"], last["from"], last["to"]) == step
    after = AuditEvent.objects.get(action="evaluation.propose_batch").after
    assert after is not None
    batches = after["batches"]
    assert [b["ruleset"] for b in batches] == ["nd-335-2025", "qd-366-2025"]


def test_the_party_member_is_concluded_after_the_state_level_and_linked_to_it(world):
    period = open_year(world, rulesets=STATE)
    state, party = _alice(period, "civil_servant"), _alice(period, "party_member")
    _ready(period, {state.pk: D(85), party.pk: D(92)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    tam = world.users["tam"]
    party.refresh_from_db()
    assert party.proposed_level == "HTT"  # HTXS by points, HTT as công chức
    with pytest.raises(
        ValidationError, match=r"Chưa kết luận xếp loại công chức.*state-htxs-condition"
    ):
        cycle.evaluation_conclude(actor=tam, evaluation=party, level="HTT")
    state.refresh_from_db()
    cycle.evaluation_conclude(actor=tam, evaluation=state, level="HTNV", reason="Chậm hồ sơ")
    party.refresh_from_db()
    # HTXS as a Party member needs HTXS as công chức (HD 21 §II 2.3 a) ...
    with pytest.raises(ValidationError, match=r"cần mức cán bộ, công chức, viên chức từ HTXS"):
        cycle.evaluation_conclude(actor=tam, evaluation=party, level="HTXS", reason="Sáng kiến")
    # ... but HTT above HTNV as công chức stands: no general cap (DESIGN §4.7.4).
    cycle.evaluation_conclude(actor=tam, evaluation=party, level="HTT")
    party.refresh_from_db()
    assert party.level == "HTT"


def test_a_state_kht_makes_the_party_member_kht(world):
    period = open_year(world, rulesets=STATE)
    state, party = _alice(period, "civil_servant"), _alice(period, "party_member")
    _ready(period, {state.pk: D(85), party.pk: D(85)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    tam = world.users["tam"]
    state.refresh_from_db()
    cycle.evaluation_conclude(actor=tam, evaluation=state, level="KHT", reason="Vi phạm")
    party.refresh_from_db()
    with pytest.raises(ValidationError, match=r"tối đa KHT.*state-kht-veto"):
        cycle.evaluation_conclude(actor=tam, evaluation=party, level="HTT")
    cycle.evaluation_conclude(actor=tam, evaluation=party, level="KHT", reason="Theo công chức")


def test_accept_all_concludes_state_first_and_leaves_a_party_level_the_link_refuses(world):
    period = open_year(world, rulesets=STATE)
    state = _alice(period, "civil_servant")
    _ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    tam = world.users["tam"]
    state.refresh_from_db()
    cycle.evaluation_conclude(actor=tam, evaluation=state, level="KHT", reason="Vi phạm")
    result = cycle.evaluations_accept_all(actor=tam, period=period)
    # alice's Party-member proposal (HTT) cannot stand with KHT as công chức.
    assert result == {"concluded": 7, "skipped": 1}
    assert _alice(period, "party_member").level == ""
    carol_state, carol_party = (
        Evaluation.objects.get(period=period, person=world.carol, group=g)
        for g in ("civil_servant", "party_member")
    )
    assert carol_state.concluded_at is not None and carol_party.concluded_at is not None
    assert carol_state.concluded_at <= carol_party.concluded_at


def test_a_year_under_a_criteria_rule_set_rates_the_criterion_groups(world):
    period = services.period_open(
        actor=world.users["olga"],
        unit=world.q1,
        kind="year",
        year=2025,
        number=None,
        ruleset="qd-366-2025",
        rulesets={"civil_servant": "nd-90-2020"},  # công chức before 2026
    )
    alice = _alice(period, "civil_servant")
    ratings = {"politics": "tot", "ethics": "tot", "style": "tot", "discipline": "tot"}
    with pytest.raises(ValidationError, match="không chấm điểm"):
        cycle.evaluation_self_assess(
            actor=world.users["alice"],
            evaluation=alice,
            general=D(28),
            results=D(65),
            criteria={**ratings, "results": "xuat_sac"},
            proposed_level="HTXS",
        )
    with pytest.raises(ValidationError, match="kết quả thực hiện chức trách, nhiệm vụ"):
        cycle.evaluation_self_assess(
            actor=world.users["alice"], evaluation=alice, criteria=ratings, proposed_level="HTT"
        )
    cycle.evaluation_self_assess(
        actor=world.users["alice"],
        evaluation=alice,
        criteria={**ratings, "results": "xuat_sac"},
        proposed_level="HTXS",
    )
    cycle.evaluation_review(
        actor=world.users["lena"],
        evaluation=alice,
        criteria={**ratings, "results": "tot"},
        proposed_level="HTT",
    )
    alice.refresh_from_db()
    assert alice.criteria["results"] == "tot"  # the leader's ratings count
    assert alice.score is None
    _ready(period, {}, only=Evaluation.objects.filter(period=period).exclude(pk=alice.pk))
    cycle.evaluations_verify(actor=world.users["olga"], period=period, evaluation_ids=[alice.pk])
    cycle.period_propose(actor=world.users["olga"], period=period)
    alice.refresh_from_db()
    assert alice.proposed_level == "HTT"
    assert alice.trace[0]["rule"] == "criteria-rating"
    with pytest.raises(ValidationError, match="nhóm tiêu chí chỉ cho phép HTT"):
        cycle.evaluation_conclude(
            actor=world.users["tam"], evaluation=alice, level="HTXS", reason="Nhiều sáng kiến"
        )


def test_a_party_member_outside_the_political_system_writes_form_2c(world):
    worker = org.person_create(
        None,
        code="DV-01",
        full_name="Đặng Thị Thu",
        birth_date=datetime.date(1960, 5, 1),
        gender="female",
        category="worker",
        is_party_member=True,
        user=world.users["nobody"],
    )
    org.post_create(
        None,
        person=worker,
        unit=world.cell,
        title="Đảng viên",
        start_date=datetime.date(2010, 1, 1),
    )
    period = open_year(world)
    ev = evaluation_of(period, worker)
    assert (ev.group, ev.form_code) == (EvaluationGroup.PARTY_MEMBER, "2C")
    with pytest.raises(ValidationError, match="không có trong Mẫu 2C"):
        cycle.evaluation_self_assess(
            actor=world.users["nobody"],
            evaluation=ev,
            general=D(27),
            results=D(60),
            proposed_level="HTT",
            strengths={"leadership": "Lãnh đạo tốt"},
        )
    record = cycle.evaluation_self_assess(
        actor=world.users["nobody"],
        evaluation=ev,
        general=D(27),
        results=D(60),
        proposed_level="HTT",
        strengths={"residence": "Tham gia sinh hoạt nơi cư trú đầy đủ"},
    )
    assert record.strengths == {"residence": "Tham gia sinh hoạt nơi cư trú đầy đủ"}


def test_published_ranks_never_compare_a_state_classification_with_a_party_one(world):
    from thuocdo.reviews.annual import selectors as sel

    period = open_year(world, rulesets=STATE)
    _ready(period, {})
    cycle.period_propose(actor=world.users["olga"], period=period)
    assert cycle.evaluations_accept_all(actor=world.users["tam"], period=period)["skipped"] == 0
    cycle.period_publish(actor=world.users["tam"], period=period)
    rows = sel.published_results(actor=world.users["olga"], period=period)
    alice = {
        r.evaluation.group: (r.rank, r.peers) for r in rows if r.evaluation.person == world.alice
    }
    assert alice == {"civil_servant": (1, 1), "party_member": (1, 1)}


def test_a_transferred_person_brings_the_months_of_the_old_unit_to_the_new_one(world):
    from thuocdo.org.models import Post
    from thuocdo.reviews.models import MonthlyScore

    root = world.users["root"]
    march = services.period_open(
        actor=root, unit=world.p2, kind="month", year=2026, number=3, ruleset="nd-335-2025"
    )
    services.assessment_record(
        actor=root, period=march, person_id=world.bob.pk, source="leader", general=D(27)
    )
    services.month_scores_compute(actor=root, period=march)
    in_p2 = MonthlyScore.objects.get(period=march, person=world.bob)
    # Bob moves from Phường Hai (Q2) to Phường Một (Q1) on 1 April (NĐ 335: the old unit's
    # period scores go with him, the new unit classifies).
    org.post_end(
        actor=root, post=Post.objects.get(person=world.bob), end_date=datetime.date(2026, 3, 31)
    )
    org.post_create(
        None,
        person=world.bob,
        unit=world.p1,
        title="Công chức Văn phòng - Thống kê",
        duty_group="CC-VP",
        start_date=datetime.date(2026, 4, 1),
    )
    period = open_year(world)
    bob = Evaluation.objects.get(period=period, person=world.bob)
    assert bob.unit == world.p1
    bob.state = EvaluationState.SELF_ASSESSED
    bob.save(update_fields=["state"])
    cycle.evaluation_review(
        actor=world.users["lena"],
        evaluation=bob,
        general=D(20),
        results=D(40),
        proposed_level="HTNV",
    )
    bob.refresh_from_db()
    assert (bob.score, in_p2.unit) == (in_p2.total, world.p2)
    assert "tháng" in bob.score_source
