"""nd-335-2025: Nghị định 335/2025/NĐ-CP — every rule."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import col, disc, ind, run

RS = "nd-335-2025"


@pytest.mark.parametrize(
    ("score", "expected"),
    [(90, "HTXS"), (89.99, "HTT"), (70, "HTT"), (69.99, "HTNV"), (50, "HTNV"), (49.99, "KHT")],
    ids=lambda v: str(v),
)
def test_score_band_nd335(score: float, expected: str) -> None:
    """Nghị định 335/2025/NĐ-CP: HTXS ≥ 90; HTT ≥ 70; HTNV ≥ 50; KHT < 50."""
    assert run(RS, [ind("A", score)])["A"]["level"] == expected


@pytest.mark.parametrize(
    ("scores", "mean", "expected"),
    [
        pytest.param([91, 93, 95], 93.0, "HTXS", id="dieu-19-21-three-periods"),
        pytest.param([89.99, 90.01], 90.0, "HTXS", id="dieu-19-21-exact-decimal-mean"),
        pytest.param([90, 89.99], 90.0, "HTXS", id="dieu-19-21-rounded-half-up-89.995"),
        pytest.param([90, 89.98], 89.99, "HTT", id="dieu-19-21-89.99-not-htxs"),
        pytest.param([80] * 12, 80.0, "HTT", id="dieu-19-21-twelve-months"),
        pytest.param([95, 95, 40], 76.67, "HTT", id="dieu-19-21-only-periods-worked"),
    ],
)
def test_annual_mean_nd335_dieu_21(scores: list[float], mean: float, expected: str) -> None:
    """NĐ 335, Điều 21 k1 (Điều 19 on hethongphapluat): the annual score is the mean of the
    periods actually worked."""
    d = run(RS, [ind("A", None, period_scores=scores)])["A"]
    assert d["score"] == mean and d["level"] == expected


def test_score_parts_nd335() -> None:
    """NĐ 335: 100 points = general criteria (30) + task results (70)."""
    assert run(RS, [ind("A", None, parts={"general": 30, "results": 60})])["A"]["score"] == 90.0


@pytest.mark.parametrize(
    ("discipline", "expected", "in_reason"),
    [
        pytest.param(
            disc("khien_trach", duty_related=True),
            "KHT",
            "khiển trách ngày 01/06/2026",
            id="nd335-duty-related-khien-trach",
        ),
        pytest.param(
            disc("cach_chuc", duty_related=True),
            "KHT",
            "cách chức",
            id="nd335-duty-related-heavier",
        ),
        pytest.param(
            disc("khien_trach", duty_related=False),
            "HTXS",
            "không liên quan đến việc thực thi nhiệm vụ",
            id="nd335-not-duty-related",
        ),
        pytest.param(
            disc("canh_cao", "2025-11-01", duty_related=True),
            "HTXS",
            None,
            id="nd335-previous-year",
        ),
    ],
)
def test_discipline_veto_nd335(
    discipline: dict[str, Any], expected: str, in_reason: str | None
) -> None:
    """NĐ 335: a duty-related discipline of khiển trách or heavier in the year → KHT."""
    d = run(RS, [ind("A", 95, disciplines=[discipline])])["A"]
    assert d["level"] == expected
    if in_reason:
        assert in_reason in d["trace"][-1]["reason"]


def test_discipline_after_as_at_is_not_known_yet() -> None:
    """Facts dated after as_at do not count: a past date can be recomputed exactly."""
    period = {"kind": "year", "year": 2026, "as_at": "2026-05-31"}
    d = run(RS, [ind("A", 95, disciplines=[disc(duty_related=True)])], period=period)["A"]
    assert d["level"] == "HTXS"


def test_degradation_veto_nd335() -> None:
    """NĐ 335: a competent conclusion of degradation → KHT."""
    f = {"kind": "degradation", "date": "2026-02-01"}
    assert run(RS, [ind("A", 95, findings=[f])])["A"]["level"] == "KHT"


def test_quota_nd335_is_for_individuals_only() -> None:
    """NĐ 335: the quota counts công chức per unit and similar-duty group (not agencies)."""
    ds = run(RS, [col("U", 92, quota_group="G-DV"), ind("A", 95, quota_group="G-A")])
    assert ds["U"]["level"] == "HTXS"
    assert ds["A"]["level"] == "HTT"  # 1 HTXS of 1 exceeds 20%
