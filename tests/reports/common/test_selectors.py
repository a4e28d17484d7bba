"""The distribution report over a subtree: imported history and the system's own periods."""

from __future__ import annotations

from tests.reports.conftest import YEAR, import_as, workbook_bytes
from thuocdo.org.models import Post
from thuocdo.reports.common.levels import LevelCounts, vn_share
from thuocdo.reports.common.selectors import distribution_report, report_years, unit_ancestors
from thuocdo.reviews.models import Evaluation, Period


def _group(report, code):
    return next(group for group in report.groups if group.group == code)


def test_the_imported_can_tho_history_reproduces_the_published_figures(can_tho):
    report = distribution_report(unit=can_tho.city, year=YEAR)
    assert [group.group for group in report.groups] == ["party_member", "leader"]
    assert (report.imported, report.evaluated) == (49463 + 1236, 0)
    party = _group(report, "party_member")
    assert party.counts == LevelCounts(htxs=8714, htt=38571, htnv=2011, kht=167)
    assert vn_share(party.counts.good_or_better_share) == "95,6%"
    assert vn_share(party.counts.excellent_of_good) == "18,43%"
    assert vn_share(party.counts.share("HTNV")) == "4,07%"
    assert vn_share(party.counts.share("KHT")) == "0,34%"
    assert not party.flagged
    leaders = _group(report, "leader")
    assert (leaders.counts.htxs, leaders.counts.good_or_better) == (434, 1224)
    assert leaders.flagged
    assert "35,46%, vượt tỷ lệ 20% (tối đa 244" in leaders.quota.explanation()
    assert leaders.source == "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW"
    # Drill-down: each district's subtree, then the city's own leaders; the lines add up.
    assert [(row.unit.code, row.own) for row in leaders.rows] == [
        ("Q1", False),
        ("Q2", False),
        ("TP", True),
    ]
    assert sum((row.counts for row in party.rows), LevelCounts()) == party.counts
    district = distribution_report(unit=can_tho.q1, year=YEAR, group="party_member")
    only = _group(district, "party_member")
    assert [row.unit.code for row in only.rows] == ["P1"]
    assert only.counts.total == next(r for r in party.rows if r.unit.code == "Q1").counts.total


def test_one_group_can_be_asked_for_even_when_empty(world):
    import_as(world, "root", workbook_bytes([["CB-A", "", "P1", 2021, "Đảng viên", "HTT"]]))
    report = distribution_report(unit=world.city, year=2021, group="civil_servant")
    assert [(g.group, g.counts.is_empty) for g in report.groups] == [("civil_servant", True)]
    assert distribution_report(unit=world.city, year=2020).is_empty


def test_a_published_year_period_takes_precedence_over_history_for_the_units_it_covers(world):
    rows = [
        ["", "", "P1", 2021, "Tập thể", "HTT"],
        ["", "", "P2", 2021, "Tập thể", "KHT"],
        ["", "", "Q2", 2021, "Tập thể", "HTNV"],
    ]
    import_as(world, "root", workbook_bytes(rows))
    period = Period.objects.create(
        kind="year", year=2021, unit=world.q2, ruleset="qd-124-2023", state="published"
    )
    for unit, level in ((world.p2, "HTXS"), (world.q2, "HTT")):
        Evaluation.objects.create(
            period=period,
            kind="collective",
            unit=unit,
            group="collective",
            quota_group="G",
            level=level,
        )
    post = Post.objects.get(person=world.bob)
    Evaluation.objects.create(
        period=period,
        kind="individual",
        person=world.bob,
        post=post,
        unit=world.p2,
        group="civil_servant",
        quota_group="G",
        level="HTT",
    )
    report = distribution_report(unit=world.city, year=2021)
    collectives = _group(report, "collective")
    # Q2's subtree comes from the period (HTXS, HTT); its history (KHT, HTNV) is left out.
    assert collectives.counts == LevelCounts(htxs=1, htt=2)
    assert (report.evaluated, report.imported) == (3, 1)
    assert _group(report, "civil_servant").counts == LevelCounts(htt=1)
    # A period still in conclusion is not reported, and the history counts again.
    Period.objects.filter(pk=period.pk).update(state="conclusion")
    again = _group(distribution_report(unit=world.city, year=2021), "collective")
    assert again.counts == LevelCounts(htt=1, htnv=1, kht=1)


def test_report_years_come_from_history_and_published_periods(world):
    import_as(world, "root", workbook_bytes([["CB-A", "", "P1", 2019, "Đảng viên", "HTT"]]))
    Period.objects.create(
        kind="year", year=2025, unit=world.city, ruleset="qd-366-2025", state="locked"
    )
    Period.objects.create(kind="year", year=2026, unit=world.city, ruleset="qd-366-2025")
    assert report_years(unit=world.q1) == [2025, 2019]
    assert report_years(unit=world.q2) == [2025]


def test_ancestors_are_those_the_actor_may_see(world):
    assert unit_ancestors(actor=world.users["root"], unit=world.cell) == [
        world.city,
        world.q1,
        world.p1,
    ]
    assert unit_ancestors(actor=world.users["olga"], unit=world.cell) == [world.q1, world.p1]
