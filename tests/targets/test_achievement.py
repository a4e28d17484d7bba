"""The arithmetic of achievement, without a database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from thuocdo.targets.achievement import (
    LESS,
    MORE,
    Achievement,
    Scored,
    achievement,
    count,
    review_signal,
    veto_applies,
)


@pytest.mark.parametrize(
    ("target", "actual", "direction", "pct", "met"),
    [
        (D(2000), D(2100), MORE, D(105), True),  # seed 004: 2.100 / 2.000 = 105%
        (D(2000), D(2000), MORE, D(100), True),
        (D(2000), D(1999), MORE, D("99.95"), False),
        (D(2000), D(0), MORE, D(0), False),
        (D(50), D(40), LESS, D(125), True),  # 40 accidents against at most 50
        (D(50), D(60), LESS, D(50) / D(60) * 100, False),
        (D(0), D(0), LESS, D(100), True),  # a zero target held exactly
        (D(0), D(3), LESS, D(0), False),  # any occurrence misses a zero target
    ],
)
def test_achievement_in_both_directions(target, actual, direction, pct, met):
    result = achievement(target, actual, direction)
    assert result.pct == pct
    assert result.met is met


def test_less_is_better_with_nothing_happening_is_met_and_counts_at_the_ceiling():
    result = achievement(D(50), D(0), LESS)
    assert result.unbounded and result.met and result.pct is None
    assert result.capped(D(120)) == D(120)


def test_an_indicator_without_an_actual_is_not_met_and_counts_zero():
    result = achievement(D(10), None, MORE)
    assert not result.measured and not result.met
    assert result.capped(D(120)) == 0


def test_more_is_better_refuses_a_zero_target():
    with pytest.raises(ValueError, match="lớn hơn 0"):
        achievement(D(0), D(5), MORE)


def test_the_weighted_total_caps_each_indicator_but_the_figure_is_not_capped():
    big = Achievement(pct=D(300), measured=True)
    half = Achievement(pct=D(50), measured=True)
    counts = count([Scored(D(1), False, False, big), Scored(D(1), False, False, half)], D(120))
    assert counts.achievement_pct == D(85)  # (120 + 50) / 2, not (300 + 50) / 2
    assert big.pct == D(300)


def _scored(met: bool, main: bool = False, force_majeure: bool = False) -> Scored:
    pct = D(100) if met else D(10)
    return Scored(D(1), main, force_majeure, Achievement(pct=pct, measured=True))


def test_counts_met_and_main_missed():
    items = [_scored(True, main=True), _scored(False, main=True), _scored(False), _scored(True)]
    counts = count(items)
    assert (counts.assigned, counts.met, counts.main_missed) == (4, 2, 1)
    assert not veto_applies(counts.met, counts.assigned, counts.main_missed)  # 50% is not under


def test_under_half_met_with_a_main_target_missed_is_the_kht_veto():
    items = [_scored(True), _scored(False, main=True), _scored(False), _scored(False)]
    counts = count(items)
    assert veto_applies(counts.met, counts.assigned, counts.main_missed)
    assert not counts.force_majeure


def test_under_half_met_without_a_main_target_missed_is_no_veto():
    counts = count([_scored(True), _scored(False), _scored(False)])
    assert not veto_applies(counts.met, counts.assigned, counts.main_missed)


def test_a_main_target_missed_for_force_majeure_is_set_aside():
    items = [_scored(True), _scored(False, main=True, force_majeure=True), _scored(False)]
    counts = count(items)
    assert counts.main_missed == 0 and counts.main_missed_force_majeure == 1
    assert counts.force_majeure
    assert not veto_applies(counts.met, counts.assigned, counts.main_missed)


@pytest.mark.parametrize(("met", "assigned", "signal"), [(12, 18, True), (13, 18, False)])
def test_under_seventy_percent_met_signals_a_replacement_review(met, assigned, signal):
    assert review_signal(met, assigned) is signal
