"""The comparison of equivalent positions: grouped by duty group or title, ranked by score."""

from __future__ import annotations

from decimal import Decimal

from tests.reports.trend_data import evaluate, person_in, year_period
from thuocdo.reports.common.levels import LevelCounts
from thuocdo.reports.positions.selectors import position_comparison, position_years

D = Decimal


def test_positions_are_grouped_by_duty_group_or_title_and_ranked(world):
    period = year_period(world, 2025, world.city, state="locked")
    extra = [
        ("CB-D", "Đỗ Thị Dung", world.p2, "Công chức Văn phòng - Thống kê", "CC-VP"),
        ("CB-E", "Phan Văn Em", world.p1, "Văn thư", "CC-VP"),
        ("CB-F", "Lý Thị Gấm", world.p2, "Công chức Tư pháp - Hộ tịch", ""),
        ("CB-G", "Vũ Văn Giang", world.p2, "Công chức Văn phòng - Thống kê", "CC-VP"),
    ]
    people = {
        code: person_in(world, code, name, unit, title, duty)
        for code, name, unit, title, duty in extra
    }
    results = [
        (world.alice, "HTT", D(88)),
        (world.bob, "HTXS", D(93)),
        (people["CB-D"], "HTT", D(88)),
        (people["CB-E"], "HTNV", D(60)),
        (people["CB-G"], "KXL", D(99)),  # not classified: not ranked, even with a score
        (world.carol, "HTT", None),  # duty group CC-TP
        (people["CB-F"], "HTT", D(80)),  # no duty group: compared by title
    ]
    for person, level, score in results:
        evaluate(period, person, level, score, group="civil_servant")
    evaluate(period, world.alice, "HTXS", D(97), group="party_member")
    comparison = position_comparison(unit=world.city, year=2025, group="civil_servant")
    assert [g.position for g in comparison.groups] == [
        "CC-TP",
        "CC-VP",
        "Công chức Tư pháp - Hộ tịch",
    ]
    office = comparison.groups[1]
    assert [(r.name, r.rank) for r in office.rows] == [
        ("Bùi Văn Bình", 1),
        ("Đỗ Thị Dung", 2),  # tied at 88 with Nhung, in Vietnamese name order
        ("Nguyễn Thị Hồng Nhung", 2),
        ("Phan Văn Em", 4),
        ("Vũ Văn Giang", None),
    ]
    assert office.titles == ["Công chức Văn phòng - Thống kê", "Văn thư"]
    assert office.counts == LevelCounts(htxs=1, htt=2, htnv=1, kxl=1)
    assert office.mean_score == ((D(93) + 88 + 88 + 60) / 4).quantize(D("0.01"))
    assert [(r.name, r.rank, r.score) for r in comparison.groups[0].rows] == [
        ("Trần Văn Ánh", None, None)
    ]
    # One position, by duty group or by title (when no duty group is set).
    only = position_comparison(unit=world.city, year=2025, position="CC-VP")
    assert [(g.group, g.position, len(g.rows)) for g in only.groups] == [
        ("party_member", "CC-VP", 1),  # groups in their order: Party members first
        ("civil_servant", "CC-VP", 5),
    ]
    titled = position_comparison(unit=world.city, year=2025, position="Công chức Tư pháp - Hộ tịch")
    assert [(r.name, r.rank) for g in titled.groups for r in g.rows] == [("Lý Thị Gấm", 1)]
    assert titled.groups[0].is_title and not office.is_title
    both = position_comparison(unit=world.city, year=2025)
    assert (both.groups[0].group, both.groups[0].position) == ("party_member", "CC-VP")
    # A sibling district sees only its own people; another year or a draft period: nothing.
    q2 = position_comparison(unit=world.q2, year=2025, group="civil_servant")
    assert {r.unit.code for g in q2.groups for r in g.rows} == {"P2"}
    assert position_comparison(unit=world.city, year=2024).is_empty
    period.state = "conclusion"
    period.save()
    assert position_comparison(unit=world.city, year=2025).is_empty


def test_position_years_are_the_published_years_with_people_in_the_subtree(world):
    evaluate(year_period(world, 2024, world.city), world.alice, "HTT", D(80))
    evaluate(year_period(world, 2025, world.city, state="locked"), world.bob, "HTT", D(80))
    evaluate(year_period(world, 2026, world.city, state="conclusion"), world.alice, "HTT", D(80))
    assert position_years(unit=world.city) == [2025, 2024]
    assert position_years(unit=world.q1) == [2024]
