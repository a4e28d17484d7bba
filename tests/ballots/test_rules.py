"""The confidence-vote rules (Quy định 96-QĐ/TW): quorum, shares, consequences; no database."""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

import pytest

from thuocdo.rules import RulesInputError
from thuocdo.rules import confidence as c


def _one(
    low: int,
    *,
    summoned: int = 30,
    valid: int | None = None,
    invalid: int = 0,
    base: str = c.BASE_SUMMONED,
) -> c.VoteResult:
    valid = summoned - invalid if valid is None else valid
    rest = valid - low
    counts = c.CandidateCounts(
        "7", "Hoàng Văn Hải", high=rest // 2, trust=rest - rest // 2, low=low
    )
    return c.confidence_result(
        summoned=summoned,
        valid_ballots=valid,
        invalid_ballots=invalid,
        candidates=[counts],
        base=base,
    )


@pytest.mark.parametrize(
    ("low", "consequence", "rule"),
    [
        (15, None, None),
        (16, c.OUT_OF_PLANNING, c.RULE_OUT_OF_PLANNING),
        (19, c.OUT_OF_PLANNING, c.RULE_OUT_OF_PLANNING),
        (20, c.DISMISSAL, c.RULE_DISMISSAL),
        (30, c.DISMISSAL, c.RULE_DISMISSAL),
        (0, None, None),
    ],
)
def test_30_summoned_the_low_share_sets_the_consequence(low, consequence, rule) -> None:
    result = _one(low).candidates[0]
    assert result.consequence == consequence
    assert result.shares[c.LOW] == Fraction(low, 30)
    if rule:
        step = result.trace[-1]
        assert step.rule == rule and step.source == c.SOURCE
        assert f"{low}/30" in step.reason and "Hoàng Văn Hải" not in step.reason
        assert result.consequence_label in c.CONSEQUENCES.values()
    else:
        assert result.deciding_step is None and result.consequence_label == ""


def test_the_labels_are_those_of_the_regulation() -> None:
    assert _one(16).candidates[0].consequence_label == (
        "Đưa ra khỏi quy hoạch chức danh cao hơn, xem xét cho thôi giữ chức vụ"
    )
    assert _one(20).candidates[0].consequence_label == "Xem xét miễn nhiệm"


def test_the_trace_names_rule_source_and_figures_in_vietnamese() -> None:
    result = _one(20)
    assert result.status == "hợp lệ"
    assert result.trace[0].rule == c.RULE_QUORUM
    assert result.trace[0].reason.startswith("30/30 người được triệu tập tham gia bỏ phiếu (100%)")
    shares, dismissal = result.candidates[0].trace
    assert shares.rule == c.RULE_SHARES and "Hoàng Văn Hải" in shares.reason
    assert "tín nhiệm thấp 20 (66,67%)" in shares.reason
    assert "trên tổng số người được triệu tập (30)" in shares.reason
    assert dismissal.reason == ("Tín nhiệm thấp 20/30 = 66,67% ≥ 2/3 (66,67%): xem xét miễn nhiệm.")
    assert dismissal.as_json() == {
        "rule": c.RULE_DISMISSAL,
        "source": c.SOURCE,
        "reason": dismissal.reason,
    }


@pytest.mark.parametrize(("took_part", "valid"), [(19, False), (20, True), (30, True), (0, False)])
def test_the_vote_is_valid_only_if_two_thirds_of_those_summoned_took_part(took_part, valid) -> None:
    result = _one(min(took_part, 19), valid=took_part)
    assert result.is_valid is valid
    assert result.status == ("hợp lệ" if valid else "không hợp lệ")
    assert result.participated == took_part


def test_below_quorum_no_consequence_follows_even_with_every_ballot_low() -> None:
    result = _one(19, valid=19)
    assert result.status == "không hợp lệ"
    assert result.candidates[0].consequence is None
    assert "không xem xét hệ quả" in result.trace[0].reason
    assert [s.rule for s in result.candidates[0].trace] == [c.RULE_SHARES]


def test_invalid_ballots_count_as_taking_part_but_not_in_the_marks() -> None:
    result = _one(10, summoned=30, valid=18, invalid=2)
    assert (result.participated, result.valid_ballots, result.invalid_ballots) == (20, 18, 2)
    assert result.is_valid


@pytest.mark.parametrize(
    ("base", "low", "valid", "consequence"),
    [
        (c.BASE_SUMMONED, 12, 21, None),  # 12/30 = 40%
        (c.BASE_VALID, 12, 21, c.OUT_OF_PLANNING),  # 12/21 = 57,14%
        (c.BASE_VALID, 14, 21, c.DISMISSAL),  # 14/21 = 2/3
        (c.BASE_SUMMONED, 14, 21, None),  # 14/30 = 46,67%
    ],
)
def test_the_base_of_the_share_is_an_option(base, low, valid, consequence) -> None:
    result = _one(low, valid=valid, base=base)
    assert result.base_count == (30 if base == c.BASE_SUMMONED else valid)
    assert result.candidates[0].consequence == consequence


def test_the_tally_counts_marks_per_cadre_and_invalid_ballots_apart() -> None:
    ballots = [{"1": "low", "2": "high"}, None, {"1": "trust", "2": "high"}, {"1": "low"}]
    counts, valid, invalid = c.tally(ballots, ["1", "2"])
    assert (valid, invalid) == (3, 1)
    assert counts == {
        "1": {"high": 0, "trust": 1, "low": 2},
        "2": {"high": 2, "trust": 0, "low": 0},
    }


def test_bad_figures_are_refused_with_every_problem_listed() -> None:
    too_many = c.CandidateCounts("1", "Lê Thị Lan", high=10, trust=10, low=10)
    with pytest.raises(RulesInputError) as refused:
        c.confidence_result(
            summoned=10, valid_ballots=12, invalid_ballots=0, candidates=[too_many], base="all"
        )
    assert len(refused.value.problems) == 3
    assert any("Lê Thị Lan" in p for p in refused.value.problems)


def test_the_module_imports_no_django() -> None:
    tree = ast.parse(Path(c.__file__).read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    assert not any(name.startswith(("django", "rest_framework")) for name in names)
