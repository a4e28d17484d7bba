"""Internal values in words: numbers, durations, rules, rule-sets, quota groups, units."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tests.conftest import World
from thuocdo.web import words


def test_numbers_never_carry_an_exponent() -> None:
    assert words.number(Decimal("70").normalize()) == "70"
    assert words.number(Decimal("3E+1")) == "30"
    assert words.number(Decimal("2.50")) == "2,5"
    assert words.number(Decimal("1252")) == "1.252"
    assert words.number(None) == "—"


def test_days_in_vietnamese() -> None:
    assert words.days_between(datetime.date(2026, 5, 1), datetime.date(2026, 5, 4)) == "3 ngày"


def test_rule_and_ruleset_in_words() -> None:
    assert words.rule_label("score-band", "nd-335-2025") == "Xếp loại theo khung điểm"
    assert words.rule_label("score-band", "hn-3814-2018") == "Xếp loại A, B, C, D theo khung điểm"
    assert words.rule_label("fail-two-years") == "Hai năm liên tiếp không hoàn thành nhiệm vụ"
    assert words.rule_label("khong-co") == ""
    assert words.ruleset_name("nd-335-2025").startswith("Nghị định 335/2025/NĐ-CP")


def test_quota_group_and_unit_in_words(world: World) -> None:
    text = words.quota_group("CC:P1:CC-VP")
    assert (
        text == "Công chức, viên chức — Phường Một – Quận Một — nhóm Công chức Văn phòng - Thống kê"
    )
    assert words.quota_group("TT:Q1") == "Tập thể trực thuộc Quận Một – Thành phố Mẫu"
    assert words.unit_name(world.city) == "Thành phố Mẫu"


def test_monthly_formula_has_no_exponent() -> None:
    from thuocdo.reviews.monthly.scoring import scale_of

    scale = scale_of("nd-335-2025")
    assert "E+" not in f"{words.number(scale.results)}"
