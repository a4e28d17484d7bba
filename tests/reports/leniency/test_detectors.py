"""Leniency detectors (pure): each flags what it should, and the look-alikes that it must not."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from thuocdo.reports.common.levels import LevelCounts
from thuocdo.reports.leniency import (
    GAP_OUTLIER,
    NO_LOWERING,
    QUOTA_BREACH,
    QUOTA_LIMIT,
    SCORE_OUTLIER,
    SHARE_OUTLIER,
    UnitGap,
    UnitRef,
    UnitYear,
    branch_totals,
    detect,
    fence,
    gap_findings,
    limit_streaks,
    quantile,
    quota_breaches,
    score_outliers,
    share_outliers,
    vn_decimal,
)


def ref(code: str, parent: str | None = "Q1", kind: str = "state") -> UnitRef:
    return UnitRef(code, f"Phường {code}", kind, "Cơ quan nhà nước", parent, "Quận Một")


def line(code: str, htxs: int, total: int, **extra) -> UnitYear:
    """A unit with `htxs` of `total` at HTXS and the rest at HTT."""
    unit = extra.pop("unit", None) or ref(code)
    counts = LevelCounts(htxs=htxs, htt=total - htxs)
    return UnitYear(
        unit,
        extra.pop("group", "party_member"),
        extra.pop("year", 2021),
        counts,
        **extra,
    )


# Shares 10%, 15%, 15%, 45% of 20: Q1 13,75%, Q3 22,5%, IQR 8,75%, fence 35,625%.
SIBLINGS = [line("A", 2, 20), line("B", 3, 20), line("C", 3, 20)]
LENIENT = line("D", 9, 20)


def test_quartiles_interpolate_between_order_statistics():
    shares = [F(2, 20), F(3, 20), F(3, 20), F(9, 20)]
    assert quantile(shares, F(1, 4)) == F(2, 20) + F(3, 4) * F(1, 20)
    bounds = fence(shares)
    assert (bounds.median, bounds.q1, bounds.q3) == (F(3, 20), F(11, 80), F(9, 40))
    assert bounds.upper == F(9, 40) + F(3, 2) * (F(9, 40) - F(11, 80))
    assert bounds.lower == F(11, 80) - F(3, 2) * (F(9, 40) - F(11, 80))


def test_a_lenient_unit_among_its_siblings_is_flagged_with_its_figures():
    (flag,) = share_outliers([*SIBLINGS, LENIENT])
    assert (flag.kind, flag.unit.code, flag.years, flag.peers) == (SHARE_OUTLIER, "D", (2021,), 4)
    assert (flag.value, flag.median, flag.threshold) == (F(9, 20), F(3, 20), F(57, 160))
    assert flag.figures == {"HTXS": 9, "total": 20}
    assert flag.explanation.startswith(
        "Tỷ lệ HTXS 45% (9/20 người được xếp loại) so với trung vị 15% của 4 đơn vị cùng cấp "
        "(trực thuộc Quận Một, cùng loại Cơ quan nhà nước); ngưỡng bất thường 35,63% "
        "(phương pháp Tukey: Q3 + 1,5 × IQR"
    )


@pytest.mark.parametrize(
    ("why", "rows"),
    [
        ("only three comparable units", [*SIBLINGS[:2], LENIENT]),
        ("the lenient unit has fewer than 10 classified", [*SIBLINGS, line("E", 3, 20),
                                                            line("D", 8, 9)]),
        ("the lenient unit has another parent", [*SIBLINGS, line("E", 3, 20),
                                                  line("D", 9, 20, unit=ref("D", parent="Q2"))]),
        ("the lenient unit is of another kind", [*SIBLINGS, line("E", 3, 20),
                                                  line("D", 9, 20, unit=ref("D", kind="party"))]),
        ("another year", [*SIBLINGS, line("E", 3, 20), line("D", 9, 20, year=2022)]),
        ("above a tight fence by one point only",
         [line("A", 18, 100), line("B", 18, 100), line("C", 18, 100), line("D", 19, 100)]),
        ("top-level units have no parent to be compared under", [
            line(c, h, 20, unit=ref(c, parent=None))
            for c, h in (("A", 2), ("B", 3), ("C", 3), ("D", 9))]),
    ],
)  # fmt: skip
def test_share_outliers_are_not_flagged_when(why, rows):
    assert share_outliers(rows) == [], why


SCORED = [
    line(code, 2, 20, score_sum=F(mean * 10), scored=10)
    for code, mean in (("A", 80), ("B", 81), ("C", 82), ("D", 95))
]


def test_an_outlier_mean_score_is_flagged_and_a_unit_with_few_scores_is_not():
    # Means 80, 81, 82, 95: Q1 80,75, Q3 85,25, fence 92; 95 is 13,5 over the median 81,5.
    (flag,) = score_outliers(SCORED)
    assert (flag.kind, flag.unit.code, flag.value, flag.threshold) == (
        SCORE_OUTLIER,
        "D",
        F(95),
        F(92),
    )
    assert "Điểm bình quân 95 (10 người có điểm) so với trung vị 81,5 của 4 đơn vị" in (
        flag.explanation
    )
    assert "ngưỡng bất thường 92 điểm" in flag.explanation
    few = [*SCORED[:3], line("D", 2, 20, score_sum=F(95 * 9), scored=9)]
    assert score_outliers(few) == []
    assert score_outliers([line(c, 2, 20) for c in "ABCD"]) == []  # no scores at all


def test_a_gap_counts_lowered_equal_and_raised_levels():
    pairs = {
        ("HTXS", "HTT"): 2,
        ("HTT", "HTT"): 3,
        ("HTNV", "HTT"): 1,
        ("HTT", "KHT"): 1,
        ("KXL", "HTT"): 5,
        ("", "HTT"): 4,
    }
    gap = UnitGap.of(ref("A"), "civil_servant", 2026, pairs)
    assert (gap.lowered, gap.equal, gap.raised, gap.proposed) == (3, 3, 1, 7)
    assert gap.mean_gap == F(2 * 1 + 1 * (-1) + 1 * 2, 7)
    assert gap.lowered_share == F(3, 7)


def gap(code: str, lowered: int, equal: int, raised: int = 0, **extra) -> UnitGap:
    pairs = {("HTXS", "HTT"): lowered, ("HTT", "HTT"): equal, ("HTT", "HTXS"): raised}
    return UnitGap.of(extra.get("unit") or ref(code), "civil_servant", 2026, pairs)


LOWERING = [gap("B", 3, 7), gap("C", 2, 8), gap("D", 4, 6)]


def test_a_unit_that_lowered_nobody_while_its_siblings_did_is_flagged():
    (flag,) = gap_findings([gap("A", 0, 10), *LOWERING])
    assert (flag.kind, flag.unit.code, flag.median, flag.peers) == (NO_LOWERING, "A", F(3, 10), 4)
    assert flag.figures == {"proposed": 10, "lowered": 0, "equal": 10, "raised": 0}
    assert "Không ai trong 10 người tự đề xuất mức bị hạ khi kết luận" in flag.explanation
    assert "trung vị tỷ lệ bị hạ mức của 3 đơn vị còn lại" in flag.explanation
    assert "là 30%" in flag.explanation


def test_a_unit_that_raised_many_is_a_gap_outlier():
    # Mean gaps −0,5 (1 lowered, 6 raised of 10), 0,3, 0,2, 0,4: Q1 0,025, Q3 0,325,
    # lower fence 0,025 − 0,45 = −0,425.
    (flag,) = gap_findings([gap("A", 1, 3, 6), *LOWERING])
    assert (flag.kind, flag.unit.code, flag.value) == (GAP_OUTLIER, "A", F(-1, 2))
    assert flag.threshold == F(-17, 40)
    assert "giữa mức tự đề xuất và mức kết luận -0,5 mức" in flag.explanation


@pytest.mark.parametrize(
    ("why", "gaps"),
    [
        ("the siblings lowered hardly anyone either", [gap("A", 0, 10), gap("B", 0, 10),
                                                        gap("C", 1, 9), gap("D", 0, 12)]),
        ("fewer than 10 proposals", [gap("A", 0, 9), *LOWERING]),
        ("only three comparable units", [gap("A", 0, 10), *LOWERING[:2]]),
        ("siblings under another parent", [gap("A", 0, 10, unit=ref("A", parent="Q2")),
                                           *LOWERING]),
        ("a unit that lowered some", [gap("A", 1, 9), *LOWERING]),
    ],
)  # fmt: skip
def test_gaps_are_not_flagged_when(why, gaps):
    assert gap_findings(gaps) == [], why


def yearly(htxs_by_year: dict[int, int], group: str = "party_member", base: int = 20):
    """One unit's lines: `htxs` of `base` rated HTT or better (limit 20% of base), 2 HTNV."""
    return [
        UnitYear(ref("A"), group, year, LevelCounts(htxs=h, htt=base - h, htnv=2))
        for year, h in htxs_by_year.items()
    ]


def test_a_unit_at_the_limit_three_years_running_is_flagged():
    # 30 rated HTT or better: a limit of 6, so one below (5) counts too.
    (flag,) = limit_streaks(yearly({2021: 6, 2022: 5, 2023: 6}, base=30))
    assert (flag.kind, flag.years, flag.year_text) == (QUOTA_LIMIT, (2021, 2022, 2023), "2021–2023")
    assert flag.figures == {"years": 3, "HTXS": 6, "limit": 6}
    assert "2021: 6/6; 2022: 5/6; 2023: 6/6" in flag.explanation
    assert "Quy định 124-QĐ/TW" in flag.source and "Quy định 132-QĐ/TW" in flag.source
    (exact,) = limit_streaks(yearly({2021: 2, 2022: 2, 2023: 2}, base=10))
    assert exact.figures == {"years": 3, "HTXS": 2, "limit": 2}


@pytest.mark.parametrize(
    ("why", "rows"),
    [
        ("two below the limit in one year", yearly({2021: 6, 2022: 4, 2023: 6}, base=30)),
        ("one below a limit under 5 is common by chance", yearly({2021: 4, 2022: 3, 2023: 4})),
        ("a year above the limit is a breach, not a streak", yearly({2021: 6, 2022: 7, 2023: 6},
                                                                    base=30)),
        ("only two years", yearly({2022: 4, 2023: 4})),
        ("no quota for civil servants before 2023", yearly({2019: 4, 2020: 4, 2021: 4},
                                                           group="civil_servant")),
        ("a base under 10 tells nothing", yearly({2021: 1, 2022: 1, 2023: 1}, base=9)),
    ],
)  # fmt: skip
def test_limit_streaks_are_not_flagged_when(why, rows):
    assert limit_streaks(rows) == [], why


CAN_THO_LEADERS = UnitYear(
    ref("TP", parent=None), "leader", 2021, LevelCounts(htxs=434, htt=790, htnv=9, kht=3),
    imported=1236,
)  # fmt: skip


def test_the_can_tho_leaders_breach_the_quota_of_quy_dinh_132():
    (flag,) = quota_breaches([], [CAN_THO_LEADERS])
    assert (flag.kind, flag.value, flag.source) == (
        QUOTA_BREACH,
        F(434, 1224),
        "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW",
    )
    assert flag.figures == {"HTXS": 434, "base": 1224, "limit": 244}
    assert "434 HTXS trên 1.224 người" in flag.explanation
    assert "= 35,46%, vượt tỷ lệ 20% (tối đa 244; vượt 190)" in flag.explanation
    assert "Nguồn: kết quả nhập từ các năm trước." in flag.explanation
    assert flag.explanation.startswith("Năm 2021, toàn Phường TP và các đơn vị trực thuộc: ")
    (unit,) = quota_breaches([line("A", 3, 10)])  # 3 HTXS of 10 Party members: limit 2
    assert (unit.subtree, unit.figures) == (False, {"HTXS": 3, "base": 10, "limit": 2})
    assert unit.explanation.startswith("Năm 2021, tại Phường A: 3 HTXS trên 10 người")


@pytest.mark.parametrize(
    ("why", "row"),
    [
        ("exactly at the limit", line("A", 244, 1224)),
        ("no regulated quota for civil servants in 2021", line("A", 5, 10, group="civil_servant")),
        ("a collective is counted in its own unit", line("A", 1, 1, group="collective")),
        ("leaders are counted across equivalent titles, not per unit", CAN_THO_LEADERS),
        ("fewer than 10 rated HTT or better in a unit", line("A", 2, 9)),
    ],
)
def test_quota_breaches_are_not_flagged_when(why, row):
    assert quota_breaches([row]) == [], why


def test_collectives_are_checked_on_the_subtree_total():
    total = line("TP", 3, 4, group="collective", unit=ref("TP", parent=None))
    (flag,) = quota_breaches([], [total])
    assert flag.subtree and flag.figures == {"HTXS": 3, "base": 4, "limit": 0}
    assert "toàn Phường TP và các đơn vị trực thuộc" in flag.explanation


def test_detect_puts_the_subtree_breach_first_and_reads_only_the_year_asked_for():
    city = UnitRef("TP", "Thành phố", "party")
    rows = [*SIBLINGS, LENIENT, line("D", 9, 20, year=2020)]
    flags = detect(rows=rows, gaps=[], year=2021, unit=city)
    kinds = [(f.kind, f.unit.code, f.subtree) for f in flags]
    # D's 9 of 20 breach the quota (limit 4); so does the district total (17 of 80, limit 16).
    assert kinds == [
        (QUOTA_BREACH, "TP", True),
        (SHARE_OUTLIER, "D", False),
        (QUOTA_BREACH, "D", False),
    ]
    assert detect(rows=rows, gaps=[], year=2022, unit=city) == []


@pytest.mark.parametrize(
    ("value", "text"), [(F(175, 2), "87,5"), (F(1, 3), "0,33"), (F(90), "90"), (F(-1, 2), "-0,5")]
)
def test_figures_print_the_vietnamese_way(value, text):
    assert vn_decimal(value) == text


def test_branch_totals_add_up_the_rows_of_each_child_subtree():
    x, y = ref("X", parent="TP"), ref("Y", parent="TP")
    rows = [line("A", 2, 20), line("B", 3, 10), line("C", 1, 10), line("TP", 5, 5)]
    totals = branch_totals(rows, {"A": x, "B": x, "C": y})
    assert [(t.unit.code, t.counts) for t in totals] == [
        ("X", LevelCounts(htxs=5, htt=25)),
        ("Y", LevelCounts(htxs=1, htt=9)),
    ]


def test_a_child_without_results_below_it_is_not_flagged_twice():
    district = UnitRef("Q1", "Quận Một", "state")
    leaves = {row.unit.code: row.unit for row in [*SIBLINGS, LENIENT]}
    flags = detect(rows=[*SIBLINGS, LENIENT], gaps=[], year=2021, unit=district, branch_of=leaves)
    assert [(f.unit.code, f.subtree) for f in flags if f.kind == SHARE_OUTLIER] == [("D", False)]
