"""Confidence votes (lấy phiếu tín nhiệm) under Quy định 96-QĐ/TW (2023), DESIGN §4.6.

Pure Python: the tally of a vote goes in as counts, the result comes out with its quorum, the
shares per cadre as exact fractions, the consequence of each cadre's low-confidence share and a
Vietnamese trace naming the rule, its source and the figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .fmt import vn_number, vn_percent
from .model import RulesInputError

SOURCE = "Quy định 96-QĐ/TW (2023) về lấy phiếu tín nhiệm"
QUORUM = Fraction(2, 3)
HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)

HIGH, TRUST, LOW = "high", "trust", "low"
CHOICES = (HIGH, TRUST, LOW)
CHOICE_LABELS = {HIGH: "Tín nhiệm cao", TRUST: "Tín nhiệm", LOW: "Tín nhiệm thấp"}

# The base of the shares (DESIGN §4.6, configurable): those summoned (default) or valid ballots.
BASE_SUMMONED, BASE_VALID = "summoned", "valid"
BASES = {BASE_SUMMONED: "số người được triệu tập", BASE_VALID: "số phiếu hợp lệ"}

OUT_OF_PLANNING, DISMISSAL = "out_of_planning", "dismissal"
CONSEQUENCES = {
    OUT_OF_PLANNING: "Đưa ra khỏi quy hoạch chức danh cao hơn, xem xét cho thôi giữ chức vụ",
    DISMISSAL: "Xem xét miễn nhiệm",
}
VALID, INVALID = "hợp lệ", "không hợp lệ"

RULE_QUORUM = "confidence-quorum"
RULE_SHARES = "confidence-shares"
RULE_OUT_OF_PLANNING = "confidence-low-over-half"
RULE_DISMISSAL = "confidence-low-two-thirds"


@dataclass(frozen=True)
class Step:
    """One step of a confidence result: the rule, its source and the Vietnamese reason."""

    rule: str
    source: str
    reason: str

    def as_json(self) -> dict[str, str]:
        """The step as plain JSON."""
        return {"rule": self.rule, "source": self.source, "reason": self.reason}


@dataclass(frozen=True)
class CandidateCounts:
    """The valid ballots' marks on one cadre: key is the caller's id, name is for the trace."""

    key: str
    name: str
    high: int
    trust: int
    low: int

    @property
    def marked(self) -> int:
        """Valid ballots that marked this cadre."""
        return self.high + self.trust + self.low


@dataclass(frozen=True)
class CandidateResult:
    """Counts, shares of the base and the consequence of one cadre."""

    key: str
    name: str
    counts: Mapping[str, int]
    shares: Mapping[str, Fraction]
    consequence: str | None
    trace: tuple[Step, ...]

    @property
    def consequence_label(self) -> str:
        """The consequence in words, or empty."""
        return CONSEQUENCES.get(self.consequence or "", "")

    @property
    def deciding_step(self) -> Step | None:
        """The step that set the consequence, if any."""
        return self.trace[-1] if self.consequence else None


@dataclass(frozen=True)
class VoteResult:
    """The whole vote: quorum, ballots, base and each cadre's result."""

    summoned: int
    participated: int
    valid_ballots: int
    invalid_ballots: int
    base: str
    base_count: int
    is_valid: bool
    trace: tuple[Step, ...]
    candidates: tuple[CandidateResult, ...]

    @property
    def status(self) -> str:
        """ "hợp lệ" or "không hợp lệ"."""
        return VALID if self.is_valid else INVALID

    @property
    def participation(self) -> Fraction:
        """Those who took part, as a share of those summoned."""
        return Fraction(self.participated, self.summoned) if self.summoned else Fraction(0)


def pct(value: Fraction) -> str:
    """A share as Vietnamese percent with two decimals (2/3 -> 66,67%)."""
    return vn_percent(value, 2)


def quorum_met(*, summoned: int, participated: int) -> bool:
    """At least 2/3 of those summoned took part."""
    return summoned > 0 and Fraction(participated, summoned) >= QUORUM


def consequence_of(low_share: Fraction) -> str | None:
    """2/3 or more low: dismissal; more than 1/2 but less than 2/3: out of planning."""
    if low_share >= TWO_THIRDS:
        return DISMISSAL
    if low_share > HALF:
        return OUT_OF_PLANNING
    return None


def _check(
    summoned: int, valid: int, invalid: int, base: str, candidates: Sequence[CandidateCounts]
) -> None:
    problems = []
    if summoned <= 0:
        problems.append("Số người được triệu tập phải lớn hơn 0.")
    if min(valid, invalid) < 0:
        problems.append("Số phiếu không được âm.")
    if valid + invalid > summoned:
        problems.append(
            f"Số phiếu thu về ({valid + invalid}) nhiều hơn số người được triệu tập ({summoned})."
        )
    if base not in BASES:
        problems.append(f"Cách tính tỷ lệ «{base}» không có (summoned hoặc valid).")
    for c in candidates:
        if min(c.high, c.trust, c.low) < 0:
            problems.append(f"{c.name}: số phiếu không được âm.")
        if c.marked > valid:
            problems.append(
                f"{c.name}: tổng số phiếu ({c.marked}) nhiều hơn số phiếu hợp lệ ({valid})."
            )
    if len({c.key for c in candidates}) != len(candidates):
        problems.append("Một người được lấy phiếu hai lần.")
    if problems:
        raise RulesInputError(problems)


def _candidate(
    c: CandidateCounts, *, base: str, base_count: int, vote_valid: bool
) -> CandidateResult:
    counts = {HIGH: c.high, TRUST: c.trust, LOW: c.low}
    shares = {k: Fraction(n, base_count) if base_count else Fraction(0) for k, n in counts.items()}
    low = shares[LOW]
    figures = ", ".join(
        f"{CHOICE_LABELS[k].lower()} {counts[k]} ({pct(shares[k])})" for k in CHOICES
    )
    trace = [
        Step(
            RULE_SHARES,
            SOURCE,
            f"{c.name}: {figures}, trên tổng {BASES[base]} ({vn_number(base_count)}).",
        )
    ]
    if not vote_valid:
        return CandidateResult(c.key, c.name, counts, shares, None, tuple(trace))
    consequence = consequence_of(low)
    if consequence == DISMISSAL:
        trace.append(
            Step(
                RULE_DISMISSAL,
                SOURCE,
                f"Tín nhiệm thấp {c.low}/{base_count} = {pct(low)} ≥ 2/3 (66,67%): "
                f"{CONSEQUENCES[DISMISSAL].lower()}.",
            )
        )
    elif consequence == OUT_OF_PLANNING:
        trace.append(
            Step(
                RULE_OUT_OF_PLANNING,
                SOURCE,
                f"Tín nhiệm thấp {c.low}/{base_count} = {pct(low)}, trên 1/2 (50%) và dưới 2/3 "
                f"(66,67%): {CONSEQUENCES[OUT_OF_PLANNING].lower()}.",
            )
        )
    return CandidateResult(c.key, c.name, counts, shares, consequence, tuple(trace))


def confidence_result(
    *,
    summoned: int,
    valid_ballots: int,
    invalid_ballots: int,
    candidates: Sequence[CandidateCounts],
    base: str = BASE_SUMMONED,
) -> VoteResult:
    """The result of a vote: quorum on those who took part, shares on the base, consequences.

    Those who took part are the ballots cast, valid or not. Below quorum the vote is "không hợp
    lệ": the counts are shown but no consequence follows.
    """
    _check(summoned, valid_ballots, invalid_ballots, base, candidates)
    participated = valid_ballots + invalid_ballots
    is_valid = quorum_met(summoned=summoned, participated=participated)
    share = Fraction(participated, summoned)
    comparison = "≥" if is_valid else "<"
    quorum = Step(
        RULE_QUORUM,
        SOURCE,
        f"{participated}/{summoned} người được triệu tập tham gia bỏ phiếu ({pct(share)}) "
        f"{comparison} 2/3 (66,67%): cuộc lấy phiếu {VALID if is_valid else INVALID}"
        + ("." if is_valid else ", không xem xét hệ quả đối với cán bộ."),
    )
    base_count = summoned if base == BASE_SUMMONED else valid_ballots
    results = tuple(
        _candidate(c, base=base, base_count=base_count, vote_valid=is_valid) for c in candidates
    )
    return VoteResult(
        summoned=summoned,
        participated=participated,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
        base=base,
        base_count=base_count,
        is_valid=is_valid,
        trace=(quorum,),
        candidates=results,
    )


def tally(
    ballots: Sequence[Mapping[str, str] | None], keys: Sequence[str]
) -> tuple[dict[str, dict[str, int]], int, int]:
    """Count ballots (a choice per cadre key; None for an invalid ballot): marks per key and
    choice, valid and invalid ballots."""
    counts = {k: dict.fromkeys(CHOICES, 0) for k in keys}
    valid = invalid = 0
    for ballot in ballots:
        if ballot is None:
            invalid += 1
            continue
        valid += 1
        for key, choice in ballot.items():
            if key in counts and choice in CHOICES:
                counts[key][choice] += 1
    return counts, valid, invalid
