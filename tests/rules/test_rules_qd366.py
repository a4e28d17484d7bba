"""qd-366-2025: Quy định 366-QĐ/TW (30/08/2025), Hướng dẫn 43-HD/BTCTW — every rule."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import col, disc, ind, level, rules_in_trace, run, tasks

RS = "qd-366-2025"


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "HTXS"),
        (90, "HTXS"),
        (89.99, "HTT"),
        (70, "HTT"),
        (69.99, "HTNV"),
        (50, "HTNV"),
        (49.99, "KHT"),
        (0, "KHT"),
    ],
    ids=lambda v: str(v),
)
def test_score_band_qd366_dieu_11(score: float, expected: str) -> None:
    """Quy định 366-QĐ/TW, Điều 11: HTXS ≥ 90; HTT ≥ 70 and < 90; HTNV ≥ 50 and < 70."""
    d = run(RS, [ind("A", score)])["A"]
    assert d["level"] == expected and d["score_level"] == expected
    assert d["trace"][0]["rule"] == "score-band"
    assert d["trace"][0]["source"] == "Quy định 366-QĐ/TW, Điều 11, khoản 1 đến khoản 3"


def test_score_band_reasons_use_vietnamese_numbers() -> None:
    """Quy định 366-QĐ/TW, Điều 11: the reason names the score and the band."""
    ds = run(RS, [ind("A", 93), ind("B", 89.99), ind("C", 40)])
    assert ds["A"]["trace"][0]["reason"] == "Tổng điểm 93,0 ≥ 90"
    assert ds["B"]["trace"][0]["reason"] == "Tổng điểm 89,99 ≥ 70 và < 90"
    assert ds["C"]["trace"][0]["reason"] == "Tổng điểm 40,0 < 50"


def test_score_parts_30_plus_70() -> None:
    """Quy định 366-QĐ/TW: 100 points = general criteria (30) + task results (70)."""
    d = run(RS, [ind("A", None, parts={"general": 28, "results": 62})])["A"]
    assert d["score"] == 90.0 and d["level"] == "HTXS"


T_OK = tasks(10, 10, 10, 3)


@pytest.mark.parametrize(
    ("subject", "expected", "rule"),
    [
        pytest.param(ind("A", 95, tasks=T_OK), "HTXS", None, id="dieu-11-htxs-all-met"),
        pytest.param(
            ind("A", 95, tasks=tasks(10, 10, 10, 2)),
            "HTT",
            "htxs-tasks",
            id="dieu-11-htxs-needs-30pct-exceeded",
        ),
        pytest.param(
            ind("A", 95, tasks=tasks(10, 10, 9, 3)),
            "HTNV",
            "htt-tasks",
            id="dieu-11-htt-needs-100pct-on-time",
        ),
        pytest.param(
            ind("A", 80, tasks=tasks(10, 10, 9, 0)),
            "HTNV",
            "htt-tasks",
            id="dieu-11-htt-band-but-late-task",
        ),
        pytest.param(
            ind("A", 80, tasks=tasks(10, 10, 10, 0)), "HTT", None, id="dieu-11-htt-all-on-time"
        ),
        pytest.param(
            ind("A", 95, tasks=tasks(0, 0, 0, 0)),
            "HTXS",
            None,
            id="dieu-11-no-tasks-assigned-not-applicable",
        ),
        pytest.param(
            col("C", 95, tasks=T_OK, subunits={"total": 5, "disciplined": 1}),
            "HTT",
            "htxs-collective-discipline",
            id="dieu-11-htxs-collective-subunit-disciplined",
        ),
        pytest.param(
            col("C", 95, tasks=T_OK, leadership_disciplined=1),
            "HTT",
            "htxs-collective-discipline",
            id="dieu-11-htxs-collective-leader-disciplined",
        ),
        pytest.param(
            col("C", 60, tasks=tasks(10, 9, 9, 0)),
            "KHT",
            "htnv-collective-tasks",
            id="dieu-11-htnv-collective-all-tasks-done",
        ),
        pytest.param(
            col("C", 60, tasks=tasks(10, 10, 7, 0)),
            "KHT",
            "htnv-collective-tasks",
            id="dieu-11-htnv-collective-over-20pct-late",
        ),
        pytest.param(
            col("C", 60, tasks=tasks(10, 10, 8, 0)),
            "HTNV",
            None,
            id="dieu-11-htnv-collective-20pct-late-ok",
        ),
        pytest.param(
            ind("A", 60, tasks=tasks(10, 9, 9, 0)),
            "HTNV",
            None,
            id="dieu-11-htnv-condition-is-for-collectives-only",
        ),
    ],
)
def test_level_conditions_qd366_dieu_11(
    subject: dict[str, Any], expected: str, rule: str | None
) -> None:
    """Quy định 366-QĐ/TW, Điều 11: a band is necessary, not sufficient."""
    d = run(RS, [subject])[subject["id"]]
    assert d["level"] == expected
    if rule is not None:
        assert rule in rules_in_trace(d)


def test_condition_reason_names_the_facts() -> None:
    """Quy định 366-QĐ/TW, Điều 11: reason names the counts and the percentages."""
    d = run(RS, [ind("A", 95, tasks=tasks(12, 12, 12, 2))])["A"]
    assert d["trace"][1]["reason"] == (
        "Chưa đủ điều kiện mức HTXS: 2/12 nhiệm vụ vượt yêu cầu (16,7% < 30%)"
    )


@pytest.mark.parametrize(
    ("unit_tasks", "expected"),
    [
        pytest.param(tasks(10, 10, 10, 3), "HTXS", id="dieu-11-leader-units-met"),
        pytest.param(tasks(10, 10, 10, 1), "HTT", id="dieu-11-leader-unit-under-30pct"),
        pytest.param(tasks(10, 10, 9, 3), "HTNV", id="dieu-11-leader-unit-late"),
    ],
)
def test_leader_conditions_on_units_led_qd366_dieu_11(
    unit_tasks: dict[str, int], expected: str
) -> None:
    """Quy định 366-QĐ/TW, Điều 11: for a leader the 100%/30% conditions on the units led."""
    unit = col("U", 75, tasks=unit_tasks)
    leader = ind("L", 95, tasks=T_OK, leads=["U"])
    assert run(RS, [unit, leader])["L"]["level"] == expected


@pytest.mark.parametrize(
    ("discipline", "expected"),
    [
        pytest.param(disc("khien_trach"), "KHT", id="124-carried-discipline-in-year"),
        pytest.param(
            disc("canh_cao", self_remedied=True), "HTXS", id="124-carried-self-remedied-exempt"
        ),
        pytest.param(disc("khien_trach", "2025-12-31"), "HTXS", id="124-carried-previous-year"),
        pytest.param(disc("khai_tru", "2027-01-02"), "HTXS", id="124-carried-next-year"),
    ],
)
def test_discipline_veto_carried_from_124(discipline: dict[str, Any], expected: str) -> None:
    """366 carries the 124-QĐ/TW discipline veto, marked to be confirmed."""
    d = run(RS, [ind("A", 95, disciplines=[discipline])])["A"]
    assert d["level"] == expected
    if expected == "KHT":
        assert "rule_unconfirmed" in d["flags"]
        assert d["trace"][-1]["reason"].startswith("Bị kỷ luật ")


def test_collective_vetoes_carried_from_124() -> None:
    """366 carries the 124 collective vetoes: disciplined, or > 20% of subunits disciplined."""
    ds = run(
        RS,
        [
            col("C1", 95, disciplines=[disc("canh_cao")]),
            col("C2", 80, subunits={"total": 5, "disciplined": 2}),
            col("C3", 80, subunits={"total": 5, "disciplined": 1}),
        ],
    )
    assert (
        ds["C1"]["level"] == "KHT" and ds["C1"]["trace"][-1]["rule"] == "collective-discipline-veto"
    )
    assert ds["C2"]["level"] == "KHT"
    assert ds["C2"]["trace"][-1]["reason"] == "Có 2/5 đơn vị trực thuộc bị kỷ luật (40% > 20%)"
    assert ds["C3"]["level"] == "HTT"


def test_degradation_finding_veto() -> None:
    """A competent conclusion of degradation → KHT (DESIGN §4.4)."""
    f = {"id": "KL-1", "kind": "degradation", "date": "2026-03-15"}
    d = run(RS, [ind("A", 95, findings=[f])])["A"]
    assert d["level"] == "KHT" and d["trace"][-1]["rule"] == "degradation-veto"
    assert "15/03/2026" in d["trace"][-1]["reason"]


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        pytest.param(
            {"assigned": 10, "met": 4, "main_missed": 2}, "KHT", id="under-50pct-and-main-missed"
        ),
        pytest.param({"assigned": 10, "met": 5, "main_missed": 2}, "HTXS", id="exactly-50pct"),
        pytest.param({"assigned": 10, "met": 4, "main_missed": 0}, "HTXS", id="no-main-missed"),
        pytest.param(
            {"assigned": 10, "met": 4, "main_missed": 2, "force_majeure": True},
            "HTXS",
            id="force-majeure-exempt",
        ),
    ],
)
def test_targets_veto_collective_and_head(targets: dict[str, Any], expected: str) -> None:
    """< 50% of targets with main targets missed → KHT, and the head too (DESIGN §4.4)."""
    ds = run(RS, [col("U", 95, targets=targets), ind("H", 95, heads="U")])
    assert ds["U"]["level"] == expected
    assert ds["H"]["level"] == expected


def test_state_level_cap_is_marked_unconfirmed() -> None:
    """HD 21 principle: a Party member's level not above their State level (to confirm)."""
    d = run(RS, [ind("A", 95, state_level="HTT")])["A"]
    assert d["level"] == "HTT" and d["flags"] == ["rule_unconfirmed"]


@pytest.mark.parametrize(
    ("unit_score", "head_score", "expected"),
    [
        pytest.param(75, 95, "HTT", id="hd21-head-capped-to-unit"),
        pytest.param(95, 75, "HTT", id="hd21-head-below-unit-unchanged"),
        pytest.param(40, 95, "KHT", id="hd21-unit-kht-head-kht"),
    ],
)
def test_head_cap_hd21(unit_score: float, head_score: float, expected: str) -> None:
    """HD 21-HD/BTCTW; principle of 124 and 366: a head is never above the unit."""
    ds = run(RS, [col("U", unit_score), ind("H", head_score, heads="U")])
    assert ds["H"]["level"] == expected
    if unit_score < head_score:
        assert ds["H"]["trace"][-1]["rule"] == "head-cap"


def test_head_cap_uses_unit_level_after_its_quota() -> None:
    """Collectives are decided first, quota included; the head follows the final level."""
    units = [col(f"U{i}", 95 - i, quota_group="G-DV") for i in range(5)]
    head = ind("H", 99, heads="U4")
    ds = run(RS, [*units, head])
    assert ds["U4"]["level"] == "HTT"  # 1 of 5 may stay HTXS
    assert ds["H"]["level"] == "HTT"


def test_quota_applies_to_collectives_too() -> None:
    """Quy định 366-QĐ/TW: HTXS ≤ 20% per group, also among collectives."""
    ds = run(RS, [col(f"U{i}", 99 - i, quota_group="G") for i in range(10)])
    assert sum(d["level"] == "HTXS" for d in ds.values()) == 2


def test_level_unchanged_when_already_at_cap_still_traced() -> None:
    """A veto on a subject already at KHT is still shown (from = to)."""
    d = run(RS, [ind("A", 30, disciplines=[disc()])])["A"]
    assert d["level"] == "KHT"
    assert d["trace"][-1]["from"] == d["trace"][-1]["to"] == "KHT"


def test_level_helper_smoke() -> None:
    """The helper used across the tests returns the first subject's level."""
    assert level(RS, ind("A", 91)) == "HTXS"
