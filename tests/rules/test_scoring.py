"""Scoring functions on their own (DESIGN §4.2; NĐ 335, Điều 14, 19, 21)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from thuocdo.rules import (
    Level,
    ScoringError,
    TaskItem,
    annual_mean,
    leader_results_points,
    nonleader_results_points,
    task_results,
    total_from_parts,
    unit_results_component,
)

PARTS_366 = [("general", D(30)), ("results", D(70))]
PARTS_HN = [("general", D(20)), ("results", D(70)), ("bonus", D(10))]


@pytest.mark.parametrize(
    ("parts", "maxima", "total"),
    [
        pytest.param([("general", 28), ("results", 64)], PARTS_366, D("92.00"), id="366-30+70"),
        pytest.param(
            [("general", 19.5), ("results", 62.25), ("bonus", 8)],
            PARTS_HN,
            D("89.75"),
            id="3814-20+70+10",
        ),
        pytest.param(
            [("general", 29.995), ("results", 60)], PARTS_366, D("90.00"), id="round-half-up-once"
        ),
    ],
)
def test_total_from_parts(
    parts: list[tuple[str, float]], maxima: list[tuple[str, D]], total: D
) -> None:
    """DESIGN §4.2: 30 + 70 under 366 and NĐ 335; 20 + 70 + 10 under Hà Nội 3814."""
    assert total_from_parts(parts, maxima) == total


@pytest.mark.parametrize(
    "parts",
    [
        [("general", 31), ("results", 60)],
        [("bonus", 5)],
        [("general", -1)],
        [("general", 1), ("general", 2)],
    ],
    ids=["over-max", "unknown-part", "negative", "repeated"],
)
def test_total_from_parts_rejects(parts: list[tuple[str, float]]) -> None:
    """Parts must be known, within their maxima, once each."""
    with pytest.raises(ScoringError):
        total_from_parts(parts, PARTS_366)


def test_an_out_of_range_part_names_its_maximum_without_an_exponent() -> None:
    """The maximum reads "30", never "3E+1" (a normalised Decimal)."""
    with pytest.raises(ScoringError) as error:
        total_from_parts(
            [("general", 31), ("results", 60)], [("general", D("30.00")), *PARTS_366[1:]]
        )
    assert "0–30" in str(error.value) and "E+" not in str(error.value)


def test_task_results_weighted_by_converted_quantity_nd335_dieu_14() -> None:
    """NĐ 335, Điều 14: a, b, c weighted by converted quantity; 25% per failure or delay."""
    items = [
        TaskItem(D(3), done=True),  # perfect, weight 3
        TaskItem(D(1), done=True, failed_reviews=1, delays=2),  # 0.75 quality, 0.5 time
        TaskItem(D(1), done=False, meets_quality=False, delays=5),  # not done, 0 time
    ]
    r = task_results(items)
    assert r.quantity == D(4) / D(5)
    assert r.quality == (D(3) + D("0.75")) / D(5)
    assert r.timeliness == (D(3) + D("0.5")) / D(5)


def test_objective_cause_costs_nothing_nd335_dieu_14() -> None:
    """NĐ 335, Điều 14: a delay or error whose objective cause is confirmed costs nothing."""
    r = task_results([TaskItem(D(2), done=True, failed_reviews=2, delays=3, objective_cause=True)])
    assert (r.quantity, r.quality, r.timeliness) == (D(1), D(1), D(1))


def test_nonleader_points_70_times_mean() -> None:
    """NĐ 335, Điều 14: results points = 70 × mean(a, b, c) for a non-leader."""
    r = task_results([TaskItem(D(1), done=True), TaskItem(D(1), done=True, delays=1)])
    # a = 1, b = 1, c = 0.875 → 70 × 0.9583… = 67.08
    assert nonleader_results_points(r) == D("67.08")


def test_task_results_need_some_weight() -> None:
    """No weighted task: nothing to score."""
    with pytest.raises(ScoringError):
        task_results([])


@pytest.mark.parametrize(
    ("levels", "d"),
    [
        ([Level.HTXS, Level.HTT, Level.HTNV], D(1)),
        ([Level.HTT, Level.KHT], D("0.5")),
        ([Level.KXL, Level.HTT], D(1)),
        ([], D(1)),
    ],
    ids=["all-pass", "one-kht", "kxl-ignored", "nobody"],
)
def test_leader_unit_results_component(levels: list[Level], d: D) -> None:
    """DESIGN §4.2: d = 100% if everyone managed is HTNV or better, 50% if any is KHT."""
    assert unit_results_component(levels) == d


def test_leader_points_equal_weights_and_configurable() -> None:
    """DESIGN §4.2: a leader adds d and đ (and a configurable sixth component)."""
    r = task_results([TaskItem(D(1), done=True)])
    assert leader_results_points(r, unit_results=D("0.5"), organising=D(1)) == D("63.00")
    w = [D(1), D(1), D(1), D(2), D(1), D(0)]
    assert leader_results_points(
        r, unit_results=D("0.5"), organising=D(1), extra=D(0), weights=w
    ) == D("58.33")


@pytest.mark.parametrize(
    ("scores", "mean"),
    [
        ([91, 93, 95], D("93.00")),
        ([89.99, 90.01], D("90.00")),
        ([80], D("80.00")),
        ([70, 71, 71], D("70.67")),
        ([90, 89.99], D("90.00")),  # 89.995 rounds half up
    ],
    ids=lambda v: str(v),
)
def test_annual_mean_of_periods_worked_nd335_dieu_19_21(scores: list[float], mean: D) -> None:
    """NĐ 335, Điều 19, 21: the mean of the periods actually worked."""
    assert annual_mean(scores) == mean


def test_annual_mean_rejects_empty_and_out_of_range() -> None:
    """No period worked, or a period score outside 0–100, cannot be averaged."""
    with pytest.raises(ScoringError):
        annual_mean([])
    with pytest.raises(ScoringError):
        annual_mean([50, 101])
