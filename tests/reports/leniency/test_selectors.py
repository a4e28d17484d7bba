"""Leniency reads over a subtree: constructed history, system periods, and the flags they raise."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tests.reports.leniency.cast import SELF_VS_CONCLUDED, history, lenient_wards, system_year
from thuocdo.org import services as org
from thuocdo.reports.common.levels import LevelCounts
from thuocdo.reports.leniency import (
    NO_LOWERING,
    QUOTA_BREACH,
    QUOTA_LIMIT,
    SCORE_OUTLIER,
    SHARE_OUTLIER,
)
from thuocdo.reports.leniency.selectors import leniency_gaps, leniency_report, leniency_rows
from thuocdo.reviews.models import Period


@pytest.fixture
def wards(world):
    return lenient_wards(world)


def _kinds(report):
    return [(flag.kind, flag.unit.code, flag.group) for flag in report.flags]


def test_a_lenient_ward_among_comparable_siblings_is_flagged_and_the_others_are_not(world, wards):
    report = leniency_report(unit=world.q1, year=2021)
    assert (report.lines, report.imported, report.evaluated) == (5, 100, 0)
    assert _kinds(report) == [
        (QUOTA_BREACH, "Q1", "party_member"),  # the district's 21 HTXS of 100: limit 20
        (SHARE_OUTLIER, "P1", "party_member"),
        (SCORE_OUTLIER, "P1", "party_member"),
        (QUOTA_BREACH, "P1", "party_member"),  # 9 of 20: the limit is 4
    ]
    assert report.flags[0].subtree and not report.flags[3].subtree
    share = report.flags[1]
    assert share.peers == 5 and share.median == pytest.approx(0.15)
    assert "Tỷ lệ HTXS 45% (9/20 người được xếp loại) so với trung vị 15% của 5 đơn vị" in (
        share.explanation
    )
    assert "trực thuộc Quận Một, cùng loại Cơ quan nhà nước" in share.explanation
    assert report.flags[2].value == 95
    city = leniency_report(unit=world.city, year=2021)
    assert (QUOTA_BREACH, "TP", "party_member") in _kinds(city)
    assert next(f for f in city.flags if f.subtree).figures == {
        "HTXS": 21,
        "base": 100,
        "limit": 20,
    }


def test_the_rows_are_counted_in_their_own_unit_with_scores_and_origin(world, wards):
    history(world.cell, 2021, "party_member", {"HTT": 2, "KXL": 1})
    rows = {(r.unit.code, r.group): r for r in leniency_rows(unit=world.q1, first_year=2021,
                                                             last_year=2021)}  # fmt: skip
    assert rows[("CB1", "party_member")].counts == LevelCounts(htt=2, kxl=1)
    assert rows[("CB1", "party_member")].unit.parent_code == "P1"  # not folded into P1
    p1 = rows[("P1", "party_member")]
    assert (p1.counts, p1.scored, p1.mean_score, p1.imported) == (
        LevelCounts(htxs=9, htt=11),
        20,
        Fraction(95),
        20,
    )
    assert leniency_rows(unit=world.q1, first_year=2021, last_year=2021, group="leader") == []


def test_the_history_of_a_unit_that_a_published_period_covers_is_left_out(world, wards):
    Period.objects.create(
        kind="year", year=2021, unit=world.p1, ruleset="qd-124-2023", state="published"
    )
    report = leniency_report(unit=world.q1, year=2021)
    assert report.flags == []  # P1's history no longer counts; its 4 siblings are alike
    assert report.lines == 4
    # Another year's period does not hide 2021.
    Period.objects.filter(unit=world.p1).update(year=2022)
    assert (SHARE_OUTLIER, "P1", "party_member") in _kinds(
        leniency_report(unit=world.q1, year=2021)
    )


def test_a_unit_at_the_quota_limit_three_years_running_is_flagged(world, wards):
    w2, w3 = wards["W2"], wards["W3"]
    for year in (2019, 2020, 2021):
        history(w2, year, "leader", {"HTXS": 4, "HTT": 16, "HTNV": 1})  # limit 4 every year
        # W3 fills its quota in 2019 and 2021, not in 2020 (1 of a limit of 4).
        history(
            w3,
            year,
            "leader",
            {"HTXS": 1 if year == 2020 else 4, "HTT": 19 if year == 2020 else 16},
        )
    report = leniency_report(unit=world.q1, year=2021, group="leader")
    (flag,) = report.flags
    assert (flag.kind, flag.unit.code, flag.years) == (QUOTA_LIMIT, "W2", (2019, 2020, 2021))
    assert "2019: 4/4; 2020: 4/4; 2021: 4/4" in flag.explanation
    assert report.first_year == 2017
    # Two years later the window still holds the three years; from 2025 it holds one.
    assert [f.kind for f in leniency_report(unit=world.q1, year=2023, group="leader").flags] == [
        QUOTA_LIMIT
    ]
    assert leniency_report(unit=world.q1, year=2025, group="leader").flags == []


def test_the_can_tho_leaders_are_flagged_over_the_quota(can_tho):
    report = leniency_report(unit=can_tho.city, year=2021, group="leader")
    whole = report.flags[0]
    assert (whole.kind, whole.subtree, whole.figures) == (
        QUOTA_BREACH,
        True,
        {"HTXS": 434, "base": 1224, "limit": 244},
    )
    assert "434 HTXS trên 1.224 người" in whole.explanation and "35,46%" in whole.explanation
    assert "Căn cứ: Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW" in whole.explanation
    # Leaders are counted across equivalent titles, so each unit's ~35% is not a flag of its own.
    assert [f for f in report.flags if not f.subtree] == []


def test_a_ward_that_lowered_nobody_while_its_siblings_did_is_flagged(world, wards):
    period = system_year(world, wards)
    report = leniency_report(unit=world.q1, year=2026)
    gaps = {g.unit.code: g for g in report.gaps}
    assert {code: (g.lowered, g.equal, g.raised) for code, g in gaps.items()} == {
        code: (p.lowered, p.equal, 0) for code, p in SELF_VS_CONCLUDED.items()
    }
    assert gaps["W4"].mean_gap == pytest.approx(4 / 12)
    assert [(f.kind, f.unit.code) for f in report.flags if f.kind == NO_LOWERING] == [
        (NO_LOWERING, "P1")
    ]
    flag = next(f for f in report.flags if f.kind == NO_LOWERING)
    assert "Không ai trong 12 người tự đề xuất mức bị hạ khi kết luận" in flag.explanation
    assert report.evaluated == 48 and report.imported == 0
    # A period still in conclusion is not a result yet.
    Period.objects.filter(pk=period.pk).update(state="conclusion")
    assert leniency_gaps(unit=world.q1, year=2026) == []


def test_it_reads_a_subtree_in_a_fixed_number_of_queries(
    world, wards, django_assert_max_num_queries
):
    system_year(world, wards)
    with django_assert_max_num_queries(7):
        leniency_report(unit=world.q1, year=2026)


def test_an_empty_year_is_empty(world):
    report = leniency_report(unit=world.q1, year=2021)
    assert report.is_empty and report.flags == [] and report.gaps == []


def test_a_district_whose_wards_are_all_lenient_stands_out_among_the_districts(world):
    """Inside the district its wards look alike; the city compares the districts' subtrees."""
    districts = [world.q1, world.q2] + [
        org.unit_create(actor=None, code=f"Q{n}", name=f"Quận {n}", kind="state", parent=world.city)
        for n in (3, 4, 5)
    ]
    lenient = districts[-1]
    for district in districts:
        for n in range(4):
            ward = org.unit_create(
                actor=None, code=f"{district.code}-W{n}", name=f"Phường {district.code}-{n}",
                kind="state", parent=district,
            )  # fmt: skip
            htxs = 9 if district == lenient else 2 + n % 2  # 45% against 10% or 15%
            history(ward, 2021, "party_member", {"HTXS": htxs, "HTT": 20 - htxs})
    inside = leniency_report(unit=lenient, year=2021)
    assert [f.kind for f in inside.flags if f.kind == SHARE_OUTLIER] == []
    city = leniency_report(unit=world.city, year=2021)
    (flag,) = [f for f in city.flags if f.kind == SHARE_OUTLIER]
    assert (flag.unit.code, flag.subtree, flag.figures) == ("Q5", True, {"HTXS": 36, "total": 80})
    assert flag.explanation.startswith("Toàn Quận 5 và các đơn vị trực thuộc: Tỷ lệ HTXS 45%")
    assert "so với trung vị 12,5% của 5 đơn vị cùng cấp (trực thuộc Thành phố Mẫu" in (
        flag.explanation
    )


def test_a_ward_whose_cells_together_sit_at_the_limit_is_flagged_on_its_subtree(world, wards):
    cells = [
        org.unit_create(actor=None, code=f"W2-C{n}", name=f"Chi bộ {n}", kind="party_cell",
                        parent=wards["W2"])
        for n in range(3)
    ]  # fmt: skip
    # 2 + 1 + 1 HTXS of 24 Party members in three cells of 8: the limit of 4, every year; no
    # cell has 10 rated HTT or better, so only the ward's subtree tells.
    for year in (2019, 2020, 2021):
        for cell, htxs in zip(cells, (2, 1, 1), strict=True):
            history(cell, year, "party_member", {"HTXS": htxs, "HTT": 8 - htxs})
    report = leniency_report(unit=world.q1, year=2021, group="party_member")
    streaks = [f for f in report.flags if f.kind == QUOTA_LIMIT]
    assert [(f.unit.code, f.subtree, f.years) for f in streaks] == [
        ("W2", True, (2019, 2020, 2021))
    ]
    assert streaks[0].explanation.startswith("Toàn Phường W2 và các đơn vị trực thuộc: Cả 3 năm")
    # 2021 adds the ward's own 3 HTXS of 20: 7 of 44, limit 8.
    assert "2019: 4/4; 2020: 4/4; 2021: 7/8 (HTXS/tối đa" in streaks[0].explanation
    assert leniency_report(unit=wards["W2"], year=2021, group="party_member").flags == []
