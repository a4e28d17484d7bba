"""`thuocdo report positions`: one equivalent position (Excel, PDF and scope of both commands
are checked in tests/reports/trends/test_commands.py)."""

from __future__ import annotations

from decimal import Decimal

from tests.reports.trend_data import evaluate, year_period
from tests.reports.trends.test_commands import _json


def test_positions_narrow_to_one_position(world):
    period = year_period(world, 2025, world.city)
    evaluate(period, world.alice, "HTT", Decimal(80), group="civil_servant")
    evaluate(period, world.carol, "HTT", Decimal(70), group="civil_servant")
    data = _json("positions", "--unit", "TP", "--year", "2025", "--position", "CC-TP")
    assert [(p["position"], [r["name"] for r in p["rows"]]) for p in data["positions"]] == [
        ("CC-TP", ["Trần Văn Ánh"])
    ]
    assert data["title"].endswith("— Thành phố Mẫu — CC-TP")
