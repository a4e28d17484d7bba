"""hn-3814-2018: Quyết định 3814-QĐ/TU of Hà Nội (amended by 3251-QĐ/TU), monthly."""

from __future__ import annotations

import pytest

from .helpers import ind, run

RS = "hn-3814-2018"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param({"general": 20, "results": 62, "bonus": 8}, "HTXS", id="3814-a-90"),
        pytest.param({"general": 20, "results": 61.99, "bonus": 8}, "HTT", id="3814-b-89.99"),
        pytest.param({"general": 15, "results": 55, "bonus": 0}, "HTT", id="3814-b-70"),
        pytest.param({"general": 10, "results": 40, "bonus": 0}, "HTNV", id="3814-c-50"),
        pytest.param({"general": 10, "results": 39, "bonus": 0}, "KHT", id="3814-d-49"),
    ],
)
def test_parts_20_70_10_and_bands_3814(parts: dict[str, float], expected: str) -> None:
    """Quyết định 3814-QĐ/TU: 20 + 70 + 10 bonus; A ≥ 90, B ≥ 70, C ≥ 50, D < 50."""
    assert run(RS, [ind("A", None, parts=parts)])["A"]["level"] == expected


@pytest.mark.parametrize(
    ("n", "n_a", "outstanding", "kept"),
    [
        pytest.param(10, 3, False, 3, id="3814-30pct-of-10-is-3"),
        pytest.param(10, 4, False, 3, id="3814-4-of-10-one-moved"),
        pytest.param(10, 5, True, 5, id="3814-outstanding-unit-40pct-warns-moves-nobody"),
        pytest.param(7, 3, False, 2, id="3814-30pct-of-7-floor-2"),
        pytest.param(3, 1, False, 0, id="3814-30pct-of-3-is-0"),
    ],
)
def test_monthly_cap_3814(n: int, n_a: int, outstanding: bool, kept: int) -> None:
    """Quyết định 3814-QĐ/TU: at most 30% of those classified in a unit get A; an outstanding
    unit "không nên vượt quá 40%", guidance that warns and moves nobody (DESIGN §4.7.7)."""
    subs = [ind(f"A{i}", 99 - i, quota_group="U") for i in range(n_a)]
    subs += [ind(f"B{i}", 60, quota_group="U") for i in range(n - n_a)]
    opts = {"outstanding_groups": ["U"]} if outstanding else {}
    ds = run(RS, subs, options=opts)
    assert sum(d["level"] == "HTXS" for d in ds.values()) == kept
    moved = [d for d in ds.values() if d["level"] != d["score_level"]]
    assert len(moved) == n_a - kept
    assert all(d["level"] == "HTT" and d["trace"][-1]["rule"] == "monthly-cap" for d in moved)
    warned = [d for d in ds.values() if "quota_warning" in d["flags"]]
    assert len(warned) == (n_a if outstanding and n_a > n * 4 // 10 else 0)


def test_monthly_cap_reason() -> None:
    """Quyết định 3814-QĐ/TU: the reason names the group, the rate and the counts."""
    subs = [ind(f"A{i}", 99 - i, quota_group="U") for i in range(4)]
    subs += [ind(f"B{i}", 60, quota_group="U") for i in range(6)]
    d = run(RS, subs)["A3"]
    assert d["trace"][-1]["reason"].startswith("Vượt tỷ lệ 30% của nhóm U: 4/10")


def test_3814_is_monthly() -> None:
    """Quyết định 3814-QĐ/TU is a monthly scheme: a year period is rejected."""
    from thuocdo.rules import RulesInputError

    with pytest.raises(RulesInputError) as exc:
        run(RS, [ind("A", 90)], period={"kind": "year", "year": 2026})
    assert "không áp dụng cho kỳ 'year'" in exc.value.problems[0]
