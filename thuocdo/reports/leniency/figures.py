"""Leniency analytics: the thresholds, the dataclasses in (per-unit counts) and out (flags),
and the statistics the detectors share (quartiles and Tukey's fences). No Django import."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

from thuocdo.reports.common.levels import LEVELS, LevelCounts
from thuocdo.rules.fmt import vn_number

# Comparable units: each with at least this many classified (or scored, or self-proposed)...
MIN_CLASSIFIED = 10
# ...and at least this many of them, the unit itself included.
MIN_PEERS = 4
# Tukey's fences: Q1 − k·IQR and Q3 + k·IQR.
FENCE_K = Fraction(3, 2)
# How far above the comparable median a flagged figure must also be.
MIN_SHARE_MARGIN = Fraction(1, 10)  # 10 percentage points of HTXS share
MIN_SCORE_MARGIN = Fraction(5)  # 5 points of mean score
MIN_GAP_MARGIN = Fraction(1, 4)  # a quarter of a level of mean gap
# "Lowered a material share": the median lowered share of the other comparable units.
MATERIAL_LOWERED_SHARE = Fraction(1, 10)
# Quota-limit streaks: HTXS from limit − slack to the limit, in every year with results, this
# many years. One below counts only from a limit of SLACK_FROM_LIMIT: under it "one below" is a
# third or half of the limit, which small units reach by chance year after year.
LIMIT_SLACK = 1
SLACK_FROM_LIMIT = 5
STREAK_YEARS = 3
# The groups whose quota is counted in the unit a result is counted in (DESIGN.md §4.5): each
# grassroots Party organisation for Party members, each unit for công chức and viên chức.
# Leaders are counted across equivalent titles and collectives among their peers, not per
# unit: they are checked on the subtree's total only.
PER_UNIT_QUOTA_GROUPS = frozenset({"party_member", "civil_servant", "public_employee"})
# Per unit, a breach needs at least this many rated HTT or better: below it the limit rounds
# down to 0 or 1, one HTXS "breaches" it, and hundreds of such lines would hide the pattern
# (the distribution page still marks every line over the quota).
MIN_BREACH_BASE = MIN_CLASSIFIED

# Level order for gaps: a positive gap means the conclusion is lower than the self-proposal.
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

METHOD = "phương pháp Tukey: Q3 + 1,5 × IQR, IQR là khoảng tứ phân vị"
LOWER_METHOD = "phương pháp Tukey: Q1 − 1,5 × IQR, IQR là khoảng tứ phân vị"
LIMIT_RULE = "giới hạn = 20% số từ HTT trở lên, làm tròn xuống"

SHARE_OUTLIER = "share_outlier"
SCORE_OUTLIER = "score_outlier"
NO_LOWERING = "no_lowering"
GAP_OUTLIER = "gap_outlier"
QUOTA_LIMIT = "quota_limit"
QUOTA_BREACH = "quota_breach"
FLAG_LABELS = {
    SHARE_OUTLIER: "Tỷ lệ HTXS cao bất thường",
    SCORE_OUTLIER: "Điểm bình quân cao bất thường",
    NO_LOWERING: "Không hạ mức tự đề xuất của ai",
    GAP_OUTLIER: "Kết luận sát mức tự đề xuất bất thường",
    QUOTA_LIMIT: "Sát giới hạn tỷ lệ HTXS nhiều năm liền",
    QUOTA_BREACH: "Vượt tỷ lệ HTXS 20%",
}
# The order of the list: the whole subtree's breaches, then the patterns, then the breaches of
# single units (many in a large history, where they would bury the patterns).
FLAG_ORDER = list(FLAG_LABELS)

# What a flag's `value`, `median` and `threshold` measure.
SHARE, SCORE, LEVELS_GAP = "share", "score", "levels"


@dataclass(frozen=True)
class UnitRef:
    """A unit as the detectors see it: its code, name, kind and parent."""

    code: str
    name: str
    kind: str = ""
    kind_label: str = ""
    parent_code: str | None = None
    parent_name: str = ""
    path: str = ""  # where the unit sits in the tree, to find its branch


@dataclass(frozen=True)
class UnitYear:
    """One unit's results in one group and year; `imported` of them come from history."""

    unit: UnitRef
    group: str
    year: int
    counts: LevelCounts
    score_sum: Fraction = Fraction(0)
    scored: int = 0
    imported: int = 0

    @property
    def mean_score(self) -> Fraction | None:
        """The mean score of those scored; None when nobody was."""
        return self.score_sum / self.scored if self.scored else None


@dataclass(frozen=True)
class UnitGap:
    """Self-proposed against concluded levels in one unit, group and year (system periods)."""

    unit: UnitRef
    group: str
    year: int
    lowered: int = 0
    equal: int = 0
    raised: int = 0
    gap_sum: int = 0

    @classmethod
    def of(
        cls, unit: UnitRef, group: str, year: int, pairs: Mapping[tuple[str, str], int]
    ) -> UnitGap:
        """From {(self level, concluded level): count}; other levels (KXL, blank) are left out."""
        lowered = equal = raised = gap = 0
        for (proposed, concluded), n in pairs.items():
            if proposed not in LEVEL_RANK or concluded not in LEVEL_RANK:
                continue
            step = LEVEL_RANK[concluded] - LEVEL_RANK[proposed]
            gap += step * n
            if step > 0:
                lowered += n
            elif step < 0:
                raised += n
            else:
                equal += n
        return cls(unit, group, year, lowered, equal, raised, gap)

    @property
    def proposed(self) -> int:
        """Self-proposals that were concluded."""
        return self.lowered + self.equal + self.raised

    @property
    def lowered_share(self) -> Fraction | None:
        """The share concluded lower than proposed."""
        return Fraction(self.lowered, self.proposed) if self.proposed else None

    @property
    def mean_gap(self) -> Fraction | None:
        """The mean number of levels between proposal and conclusion (positive: lowered)."""
        return Fraction(self.gap_sum, self.proposed) if self.proposed else None


@dataclass(frozen=True)
class Flag:
    """One leniency warning with its figures and a Vietnamese explanation."""

    kind: str
    unit: UnitRef
    group: str
    years: tuple[int, ...]
    explanation: str
    source: str
    measure: str = SHARE
    value: Fraction | None = None
    median: Fraction | None = None
    threshold: Fraction | None = None
    peers: int = 0
    figures: Mapping[str, int] = field(default_factory=dict)
    subtree: bool = False

    @property
    def label(self) -> str:
        """The flag's name in Vietnamese."""
        return FLAG_LABELS[self.kind]

    @property
    def year_text(self) -> str:
        """The year, or the first and last of a streak (2019–2023)."""
        if len(self.years) == 1:
            return str(self.years[0])
        return f"{self.years[0]}–{self.years[-1]}"


@dataclass(frozen=True)
class Fence:
    """Quartiles of comparable figures and Tukey's fences."""

    median: Fraction
    q1: Fraction
    q3: Fraction
    n: int

    @property
    def upper(self) -> Fraction:
        """Q3 + 1,5 × IQR: above it a figure is an outlier."""
        return self.q3 + FENCE_K * (self.q3 - self.q1)

    @property
    def lower(self) -> Fraction:
        """Q1 − 1,5 × IQR: below it a figure is an outlier."""
        return self.q1 - FENCE_K * (self.q3 - self.q1)


def quantile(values: Sequence[Fraction], p: Fraction) -> Fraction:
    """The p-quantile by linear interpolation between order statistics (Excel QUARTILE.INC)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * p
    low = floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def fence(values: Sequence[Fraction]) -> Fence:
    """The median, quartiles and fences of a non-empty list of figures."""
    half, quarter = Fraction(1, 2), Fraction(1, 4)
    return Fence(
        quantile(values, half),
        quantile(values, quarter),
        quantile(values, 1 - quarter),
        len(values),
    )


def vn_decimal(value: Fraction, places: int = 2) -> str:
    """A figure rounded half up, without trailing zeros (87,5; 0,33; 90)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return vn_number(rounded.to_integral_value())
    return vn_number(rounded.normalize())
