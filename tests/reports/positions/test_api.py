"""GET /api/reports/positions: the comparison of equivalent positions as JSON, with ranks
(the exports and the scope of both endpoints are checked in tests/reports/trends/test_api.py)."""

from __future__ import annotations

from decimal import Decimal

from tests.reports.trend_data import evaluate, year_period
from tests.reports.trends.test_api import POSITIONS, _client


def test_positions_come_as_json_with_ranks(world):
    period = year_period(world, 2025, world.city)
    evaluate(period, world.alice, "HTT", Decimal(88), group="civil_servant")
    evaluate(period, world.bob, "HTT", Decimal(88), group="civil_servant")
    response = _client(world, "root").get(POSITIONS, {"unit": "TP", "year": "2025"})
    (office,) = response.json()["positions"]
    assert office["position"] == "CC-VP"
    assert [(r["rank"], r["name"]) for r in office["rows"]] == [
        (1, "Bùi Văn Bình"),
        (1, "Nguyễn Thị Hồng Nhung"),
    ]
    assert (office["people"], office["mean_score"]) == (2, 88.0)
    other = _client(world, "root").get(
        POSITIONS, {"unit": "TP", "year": "2025", "position": "CC-TP"}
    )
    assert other.json()["positions"] == []
