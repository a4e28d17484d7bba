"""The quota (DESIGN §4.5): HTXS ≤ 20% of HTT (or HTT and above) per group, on the final
counts; lowest scores moved first; boundary ties all moved and flagged."""

from __future__ import annotations

from fractions import Fraction

import pytest

from thuocdo.rules import quota_limit

from .helpers import ind, run

# The quota's mechanics on a rule-set whose quota rule is confirmed (NĐ 335 Điều 20 k5 a):
# a quota whose basis is not confirmed adds the rule_unconfirmed flag (see the last test).
RS = "nd-335-2025"


def _final_ok(levels: list[str], base: str, rate: Fraction = Fraction(1, 5)) -> bool:
    x = levels.count("HTXS")
    b = levels.count("HTT") + (x if base == "good_and_above" else 0)
    return x <= rate * b


@pytest.mark.parametrize(
    ("base", "n_htxs", "n_htt", "limit"),
    [
        ("good_and_above", 6, 18, 4),  # 20% of 24
        ("good_and_above", 5, 20, 5),
        ("good_and_above", 1, 0, 0),
        ("good_only", 6, 18, 4),  # k ≤ 0.2·(24 − k) → k ≤ 4
        ("good_only", 5, 20, 4),  # 5 ≤ 0.2·20 fails; 4 ≤ 0.2·21 holds
        ("good_only", 10, 50, 10),  # 10 ≤ 0.2·50
        ("good_only", 1, 4, 0),  # 1 ≤ 0.2·4 fails
        ("good_only", 1, 5, 1),
    ],
    ids=lambda v: str(v),
)
def test_quota_limit_holds_on_final_counts(base: str, n_htxs: int, n_htt: int, limit: int) -> None:
    """DESIGN §4.5: the limit is the largest count whose final counts satisfy the quota."""
    k = quota_limit(Fraction(1, 5), base, n_htxs, n_htt, n_htxs + n_htt)
    assert k == limit
    final_htt = n_htt + max(0, n_htxs - k)
    b = final_htt + (min(k, n_htxs) if base == "good_and_above" else 0)
    assert min(k, n_htxs) <= Fraction(1, 5) * b
    if k < n_htxs:  # one more would break it
        b2 = final_htt - 1 + (k + 1 if base == "good_and_above" else 0)
        assert k + 1 > Fraction(1, 5) * b2


@pytest.mark.parametrize("base", ["good_only", "good_and_above"])
def test_lowest_scores_are_moved_first(base: str) -> None:
    """DESIGN §4.5: candidates above the quota, lowest scores moved to HTT first."""
    subs = [ind(f"X{i}", 90 + i, quota_group="G-LD") for i in range(6)]
    subs += [ind(f"H{i}", 80, quota_group="G-LD") for i in range(18)]
    ds = run(RS, subs, options={"quota_base": base})
    kept = sorted(i for i in range(6) if ds[f"X{i}"]["level"] == "HTXS")
    assert kept == [2, 3, 4, 5]
    assert _final_ok([d["level"] for d in ds.values()], base)
    assert ds["X0"]["trace"][-1]["reason"] == (
        f"Vượt tỷ lệ 20% của nhóm G-LD: 6/{24 if base == 'good_and_above' else 18}; "
        "chỉ giữ tối đa 4 mức HTXS, điểm 90,0 thấp hơn những người được giữ"
    )
    assert ds["X0"]["flags"] == []


@pytest.mark.parametrize("base", ["good_only", "good_and_above"])
def test_boundary_ties_all_moved_and_flagged(base: str) -> None:
    """DESIGN §4.5: subjects tied at the boundary are all moved and flagged quota_tie."""
    scores = [99, 98, 95, 95, 95, 91]
    subs = [ind(f"X{i}", s, quota_group="G") for i, s in enumerate(scores)]
    subs += [ind(f"H{i}", 80, quota_group="G") for i in range(18)]
    ds = run(RS, subs, options={"quota_base": base})
    levels = {f"X{i}": ds[f"X{i}"]["level"] for i in range(6)}
    assert levels == {
        "X0": "HTXS",
        "X1": "HTXS",
        "X2": "HTT",
        "X3": "HTT",
        "X4": "HTT",
        "X5": "HTT",
    }
    for i in (2, 3, 4):
        assert ds[f"X{i}"]["flags"] == ["quota_tie"]
        assert "3 người đồng điểm 95,0 tại ranh giới" in ds[f"X{i}"]["trace"][-1]["reason"]
        assert "tối đa 2 người" in ds[f"X{i}"]["trace"][-1]["reason"]
    assert ds["X5"]["flags"] == []  # strictly lower: moved, not tied
    assert _final_ok([d["level"] for d in ds.values()], base)


def test_tie_entirely_below_the_boundary_is_not_flagged() -> None:
    """A tie that does not straddle the limit needs no choice: moved without a flag."""
    scores = [99, 98, 97, 96, 92, 92]
    subs = [ind(f"X{i}", s, quota_group="G") for i, s in enumerate(scores)]
    subs += [ind(f"H{i}", 80, quota_group="G") for i in range(18)]
    ds = run(RS, subs)
    assert [ds[f"X{i}"]["level"] for i in range(6)] == ["HTXS"] * 4 + ["HTT"] * 2
    assert ds["X4"]["flags"] == [] and ds["X5"]["flags"] == []


def test_quota_counts_each_group_separately() -> None:
    """DESIGN §4.5: counted within each group."""
    subs = [ind("A1", 95, quota_group="G1")] + [
        ind(f"a{i}", 80, quota_group="G1") for i in range(4)
    ]
    subs += [ind("B1", 95, quota_group="G2")] + [
        ind(f"b{i}", 80, quota_group="G2") for i in range(3)
    ]
    ds = run(RS, subs)
    assert ds["A1"]["level"] == "HTXS"  # 1 of 5
    assert ds["B1"]["level"] == "HTT"  # 1 of 4 > 20%


def test_subject_without_group_is_not_counted() -> None:
    """A subject with no quota_group is in no group: the authority counts it elsewhere."""
    assert run(RS, [ind("A", 95)])["A"]["level"] == "HTXS"


def test_quota_rate_is_configurable() -> None:
    """An organisation can change the rate per batch (options.quota_rate)."""
    subs = [ind(f"X{i}", 95, quota_group="G") for i in range(3)]
    subs += [ind(f"H{i}", 80, quota_group="G") for i in range(7)]
    ds = run(RS, subs, options={"quota_rate": 0.3})
    assert sum(d["level"] == "HTXS" for d in ds.values()) == 3


def test_quota_cantho_2021_consistent_with_good_and_above() -> None:
    """Seed 003: Cần Thơ 2021, 8.715 HTXS of 47.284 HTT-and-above = 18,43% ≤ 20%."""
    assert quota_limit(Fraction(1, 5), "good_and_above", 8715, 47284 - 8715, 49463) >= 8715
    assert quota_limit(Fraction(1, 5), "good_only", 8715, 47284 - 8715, 49463) < 8715


def test_quota_of_366_is_flagged_unconfirmed() -> None:
    """DESIGN §4.7.9; legal-basis.md, qd-366 quota: "Not found in 366 or HD 43. No 366 quota
    wording seen anywhere." A decision it lowers carries the rule_unconfirmed flag."""
    subs = [ind(f"X{i}", 90 + i, quota_group="G") for i in range(6)]
    subs += [ind(f"H{i}", 80, quota_group="G") for i in range(18)]
    ds = run("qd-366-2025", subs)
    assert ds["X0"]["level"] == "HTT"
    assert ds["X0"]["flags"] == ["rule_unconfirmed"]
    assert ds["X0"]["trace"][-1]["confirmed"] is False
    assert ds["X5"]["flags"] == [] and ds["X5"]["trace"][0]["confirmed"] is True
