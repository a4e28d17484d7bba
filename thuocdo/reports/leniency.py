"""Leniency analytics ("Cảnh báo nể nang"), in pure Python (no Django import).

The seeds describe units that rate everyone high to keep the peace ("nể nang, dĩ hòa vi quý":
93,13% excellent in one city, 36,4% once points were used). These detectors read per-unit
counts (frozen dataclasses in) and raise flags (frozen dataclasses out), each with the figures
and a Vietnamese explanation that states the numbers and the method or the legal source:

- `share_outliers`, `score_outliers`: a unit whose HTXS share (over those classified) or mean
  score is above Tukey's upper fence, Q3 + 1,5 × IQR, of its comparable units, and above their
  median by a material margin (a fence on a tight group would otherwise flag 19% against 18%).
  Comparable units have the same parent and the same unit kind, in the same group and year,
  each with at least `MIN_CLASSIFIED` classified; at least `MIN_PEERS` of them are needed.
  Units are compared on the results counted in them, and the children of the report's unit
  also on their whole subtrees (`branch_totals`).
  Tukey's fences are used because quartiles ignore the outlier being tested, need no
  assumption of normality and are what an organiser can redo in Excel (QUARTILE.INC).
- `gap_findings`: per unit, how many self-proposed levels were concluded lower, equal or
  higher; a unit where nobody was lowered while comparable units lowered a material share,
  or whose mean gap is below the lower fence of theirs, is flagged.
- `limit_streaks`: a unit whose HTXS count fills the 20% quota (at most one below its limit, or
  above it) in every year with results, at least `STREAK_YEARS` years.
- `quota_breaches`: HTXS above 20% of "HTT or better", where a regulation set the quota.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

from thuocdo.reports.distribution import (
    LEVELS,
    LevelCounts,
    QuotaCheck,
    quota_check,
    quota_source,
    vn_share,
)
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


def _peers_text(unit: UnitRef, n: int) -> str:
    """The comparable units in words: 12 đơn vị cùng cấp (trực thuộc Quận Một, ...)."""
    where = f"trực thuộc {unit.parent_name}" if unit.parent_name else "cùng cấp trên"
    kind = f", cùng loại {unit.kind_label}" if unit.kind_label else ""
    return f"{vn_number(n)} đơn vị cùng cấp ({where}{kind})"


def _comparable(
    items: Iterable[UnitYear], enough: Callable[[UnitYear], bool]
) -> list[list[UnitYear]]:
    """Items grouped by (parent, kind, group, year), those large enough, groups of MIN_PEERS+."""
    groups: dict[tuple[str | None, str, str, int], list[UnitYear]] = defaultdict(list)
    for item in items:
        if item.unit.parent_code is not None and enough(item):
            groups[(item.unit.parent_code, item.unit.kind, item.group, item.year)].append(item)
    return [members for members in groups.values() if len(members) >= MIN_PEERS]


def _subjects(group: str) -> str:
    """What is counted in a group: people, or collectives."""
    return "tập thể" if group == "collective" else "người"


def _whole(unit: UnitRef, subtree: bool) -> str:
    """The prefix of a flag on a whole subtree."""
    return f"Toàn {unit.name} và các đơn vị trực thuộc: " if subtree else ""


def share_outliers(rows: Iterable[UnitYear], *, subtree: bool = False) -> list[Flag]:
    """Units whose HTXS share is above Q3 + 1,5 × IQR of comparable units, and 10 points over
    their median (`subtree`: the rows are child subtrees' totals)."""
    flags = []
    for members in _comparable(rows, lambda r: r.counts.total >= MIN_CLASSIFIED):
        shares = [Fraction(r.counts.htxs, r.counts.total) for r in members]
        bounds = fence(shares)
        for row, share in zip(members, shares, strict=True):
            if share <= bounds.upper or share - bounds.median < MIN_SHARE_MARGIN:
                continue
            text = (
                f"{_whole(row.unit, subtree)}"
                f"Tỷ lệ HTXS {vn_share(share)} ({vn_number(row.counts.htxs)}/"
                f"{vn_number(row.counts.total)} {_subjects(row.group)} được xếp loại) so với "
                f"trung vị {vn_share(bounds.median)} của {_peers_text(row.unit, bounds.n)}; "
                f"ngưỡng bất thường {vn_share(bounds.upper)} ({METHOD}), cao hơn trung vị từ "
                f"{vn_share(MIN_SHARE_MARGIN)} trở lên."
            )
            flags.append(
                Flag(
                    kind=SHARE_OUTLIER,
                    unit=row.unit,
                    group=row.group,
                    years=(row.year,),
                    explanation=text,
                    source=METHOD,
                    value=share,
                    median=bounds.median,
                    threshold=bounds.upper,
                    peers=bounds.n,
                    figures={"HTXS": row.counts.htxs, "total": row.counts.total},
                    subtree=subtree,
                )
            )
    return flags


def score_outliers(rows: Iterable[UnitYear], *, subtree: bool = False) -> list[Flag]:
    """Units whose mean score is above Q3 + 1,5 × IQR of comparable units, and 5 points over
    their median; only units with at least MIN_CLASSIFIED scores take part."""
    flags = []
    for members in _comparable(rows, lambda r: r.scored >= MIN_CLASSIFIED):
        means = [r.score_sum / r.scored for r in members]
        bounds = fence(means)
        for row, mean in zip(members, means, strict=True):
            if mean <= bounds.upper or mean - bounds.median < MIN_SCORE_MARGIN:
                continue
            text = (
                f"{_whole(row.unit, subtree)}"
                f"Điểm bình quân {vn_decimal(mean)} ({vn_number(row.scored)} {_subjects(row.group)}"
                " có điểm) so "
                f"với trung vị {vn_decimal(bounds.median)} của {_peers_text(row.unit, bounds.n)};"
                f" ngưỡng bất thường {vn_decimal(bounds.upper)} điểm ({METHOD}), cao hơn trung "
                f"vị từ {vn_decimal(MIN_SCORE_MARGIN)} điểm trở lên."
            )
            flags.append(
                Flag(
                    kind=SCORE_OUTLIER,
                    unit=row.unit,
                    group=row.group,
                    years=(row.year,),
                    explanation=text,
                    source=METHOD,
                    measure=SCORE,
                    value=mean,
                    median=bounds.median,
                    threshold=bounds.upper,
                    peers=bounds.n,
                    figures={"scored": row.scored},
                    subtree=subtree,
                )
            )
    return flags


def _gap_figures(gap: UnitGap) -> dict[str, int]:
    """The counts of a gap line, for the flag's figures."""
    return {
        "proposed": gap.proposed,
        "lowered": gap.lowered,
        "equal": gap.equal,
        "raised": gap.raised,
    }


def gap_findings(gaps: Iterable[UnitGap]) -> list[Flag]:
    """Units where nobody's self-proposal was lowered while comparable units lowered a median
    of 10% or more, or whose mean gap is below Q1 − 1,5 × IQR of theirs (and a quarter of a
    level under their median)."""
    groups: dict[tuple[str | None, str, str, int], list[UnitGap]] = defaultdict(list)
    for gap in gaps:
        if gap.unit.parent_code is not None and gap.proposed >= MIN_CLASSIFIED:
            groups[(gap.unit.parent_code, gap.unit.kind, gap.group, gap.year)].append(gap)
    flags = []
    for members in groups.values():
        if len(members) < MIN_PEERS:
            continue
        bounds = fence([Fraction(g.gap_sum, g.proposed) for g in members])
        for gap in members:
            others = [Fraction(g.lowered, g.proposed) for g in members if g is not gap]
            others_median = quantile(others, Fraction(1, 2))
            mean = Fraction(gap.gap_sum, gap.proposed)
            peers = _peers_text(gap.unit, len(members))
            if gap.lowered == 0 and others_median >= MATERIAL_LOWERED_SHARE:
                text = (
                    f"Không ai trong {vn_number(gap.proposed)} người tự đề xuất mức bị hạ khi kết"
                    f" luận ({vn_number(gap.equal)} giữ nguyên, {vn_number(gap.raised)} được "
                    f"nâng), trong khi trung vị tỷ lệ bị hạ mức của {len(others)} đơn vị còn lại "
                    f"trong {peers} là {vn_share(others_median)} (đáng kể từ "
                    f"{vn_share(MATERIAL_LOWERED_SHARE)}). Chênh lệch bình quân "
                    f"{vn_decimal(mean)} mức, trung vị cùng cấp {vn_decimal(bounds.median)} mức."
                )
                source = "so sánh tỷ lệ bị hạ mức với trung vị của các đơn vị cùng cấp"
                flags.append(
                    Flag(
                        kind=NO_LOWERING,
                        unit=gap.unit,
                        group=gap.group,
                        years=(gap.year,),
                        explanation=text,
                        source=source,
                        value=Fraction(0),
                        median=others_median,
                        threshold=MATERIAL_LOWERED_SHARE,
                        peers=len(members),
                        figures=_gap_figures(gap),
                    )
                )
            elif mean < bounds.lower and bounds.median - mean >= MIN_GAP_MARGIN:
                text = (
                    f"Chênh lệch bình quân giữa mức tự đề xuất và mức kết luận {vn_decimal(mean)}"
                    f" mức ({vn_number(gap.lowered)} bị hạ, {vn_number(gap.equal)} giữ nguyên, "
                    f"{vn_number(gap.raised)} được nâng trong {vn_number(gap.proposed)} người) so"
                    f" với trung vị {vn_decimal(bounds.median)} mức của {peers}; ngưỡng bất "
                    f"thường {vn_decimal(bounds.lower)} mức ({LOWER_METHOD})."
                )
                flags.append(
                    Flag(
                        kind=GAP_OUTLIER,
                        unit=gap.unit,
                        group=gap.group,
                        years=(gap.year,),
                        explanation=text,
                        source=LOWER_METHOD,
                        measure=LEVELS_GAP,
                        value=mean,
                        median=bounds.median,
                        threshold=bounds.lower,
                        peers=len(members),
                        figures=_gap_figures(gap),
                    )
                )
    return flags


def _at_limit(check: QuotaCheck) -> bool:
    """True when HTXS is the limit, or one below a limit of SLACK_FROM_LIMIT or more."""
    slack = LIMIT_SLACK if check.limit >= SLACK_FROM_LIMIT else 0
    return check.limit - slack <= check.excellent <= check.limit


def limit_streaks(rows: Iterable[UnitYear], *, subtree: bool = False) -> list[Flag]:
    """Units (per group) whose HTXS equals the 20% quota limit, or is one below a limit of 5 or
    more, in every year with results under a regulated quota, for at least STREAK_YEARS years
    (`subtree`: the rows are child subtrees' totals, as a ward's Party committee counts its
    cells): HTXS shared out up to the quota rather than earned.

    A year above the limit breaks the streak (it is a breach, flagged as such); a year with
    fewer than MIN_CLASSIFIED rated HTT or better (a limit of one) tells nothing and is skipped.
    """
    series: dict[tuple[str, str], list[UnitYear]] = defaultdict(list)
    for row in rows:
        if row.counts.good_or_better >= MIN_CLASSIFIED and quota_source(row.group, row.year):
            series[(row.unit.code, row.group)].append(row)
    flags = []
    for items in series.values():
        items.sort(key=lambda r: r.year)
        checks = [quota_check(r.counts) for r in items]
        if len(items) < STREAK_YEARS or not all(_at_limit(c) for c in checks):
            continue
        years = tuple(r.year for r in items)
        detail = "; ".join(
            f"{r.year}: {vn_number(c.excellent)}/{vn_number(c.limit)}"
            for r, c in zip(items, checks, strict=True)
        )
        text = (
            f"{_whole(items[-1].unit, subtree)}"
            f"Cả {len(items)} năm có kết quả ({years[0]}–{years[-1]}) số HTXS bằng giới hạn "
            f"hoặc chỉ kém {LIMIT_SLACK} (khi giới hạn từ {SLACK_FROM_LIMIT} trở lên): {detail} "
            f"(HTXS/tối đa; {LIMIT_RULE})."
        )
        last = items[-1]
        sources = sorted({quota_source(r.group, r.year) or "" for r in items})
        flags.append(
            Flag(
                kind=QUOTA_LIMIT,
                unit=last.unit,
                group=last.group,
                years=years,
                explanation=text,
                source="; ".join(sources),
                value=checks[-1].share,
                threshold=checks[-1].rate,
                figures={
                    "years": len(items),
                    "HTXS": checks[-1].excellent,
                    "limit": checks[-1].limit,
                },
                subtree=subtree,
            )
        )
    return flags


def _origin(row: UnitYear) -> str:
    """Where a line's results come from, in words."""
    if row.imported == 0:
        return "kết quả kỳ đánh giá trong hệ thống"
    if row.imported >= row.counts.total + row.counts.kxl:
        return "kết quả nhập từ các năm trước"
    return "kết quả trong hệ thống và nhập từ các năm trước"


def _breach(row: UnitYear, *, subtree: bool) -> Flag | None:
    """The breach flag of one line, if a regulation set the quota and HTXS exceeds it."""
    source = quota_source(row.group, row.year)
    check = quota_check(row.counts)
    if source is None or not check.breached:
        return None
    where = f"toàn {row.unit.name} và các đơn vị trực thuộc" if subtree else f"tại {row.unit.name}"
    text = (
        f"Năm {row.year}, {where}: {check.explanation()}. Căn cứ: {source}. Nguồn: {_origin(row)}."
    )
    return Flag(
        kind=QUOTA_BREACH,
        unit=row.unit,
        group=row.group,
        years=(row.year,),
        explanation=text,
        source=source,
        value=check.share,
        threshold=check.rate,
        figures={"HTXS": check.excellent, "base": check.base, "limit": check.limit},
        subtree=subtree,
    )


def quota_breaches(rows: Iterable[UnitYear], totals: Iterable[UnitYear] = ()) -> list[Flag]:
    """HTXS above 20% of "HTT or better" on the subtree's totals, and per unit where the quota
    is counted per unit (with at least MIN_BREACH_BASE rated HTT or better), only where
    `quota_source` names a regulation."""
    flags = [_breach(t, subtree=True) for t in totals]
    flags += [
        _breach(r, subtree=False)
        for r in rows
        if r.group in PER_UNIT_QUOTA_GROUPS and r.counts.good_or_better >= MIN_BREACH_BASE
    ]
    return [flag for flag in flags if flag is not None]


def totals_of(rows: Iterable[UnitYear], unit: UnitRef) -> list[UnitYear]:
    """Per group and year, every row added up and attributed to the subtree's unit."""
    sums: dict[tuple[str, int], UnitYear] = {}
    for row in rows:
        key = (row.group, row.year)
        now = sums.get(key) or UnitYear(unit, row.group, row.year, LevelCounts())
        sums[key] = UnitYear(
            unit,
            row.group,
            row.year,
            now.counts + row.counts,
            now.score_sum + row.score_sum,
            now.scored + row.scored,
            now.imported + row.imported,
        )
    return [sums[key] for key in sorted(sums)]


def branch_totals(rows: Iterable[UnitYear], branch_of: Mapping[str, UnitRef]) -> list[UnitYear]:
    """Per child subtree (`branch_of` maps a unit's code to its branch), group and year: the
    rows added up; rows of units outside every branch (the report's own unit) are left out."""
    parts: dict[tuple[str, str, int], list[UnitYear]] = defaultdict(list)
    for row in rows:
        branch = branch_of.get(row.unit.code)
        if branch is not None:
            parts[(branch.code, row.group, row.year)].append(row)
    branches = {ref.code: ref for ref in branch_of.values()}
    return [
        total
        for (code, _, _), members in sorted(parts.items())
        for total in totals_of(members, branches[code])
    ]


def _subtree_flags(
    rows: Sequence[UnitYear], branch_of: Mapping[str, UnitRef], year: int
) -> list[Flag]:
    """Outliers in `year` and streaks up to it among the child subtrees' totals. A child without
    results below it is already checked as a unit: its subtree flag would repeat that one and
    is left out."""
    own = {(r.unit.code, r.group, r.year): (r.counts, r.scored) for r in rows}
    totals = branch_totals(rows, branch_of)
    leaves = {
        (t.unit.code, t.group, t.year)
        for t in totals
        if own.get((t.unit.code, t.group, t.year)) == (t.counts, t.scored)
    }
    this_year = [t for t in totals if t.year == year]
    flags = share_outliers(this_year, subtree=True) + score_outliers(this_year, subtree=True)
    flags += limit_streaks(totals, subtree=True)
    return [f for f in flags if any((f.unit.code, f.group, y) not in leaves for y in f.years)]


def _flag_key(flag: Flag) -> tuple[int, bool, int, str, str]:
    """Flags in order: the subtree's breaches, then by kind (subtrees first), newest year first,
    then unit and group."""
    whole_breach = flag.kind == QUOTA_BREACH and flag.subtree
    order = -1 if whole_breach else FLAG_ORDER.index(flag.kind)
    return (order, not flag.subtree, -flag.years[-1], flag.unit.code, flag.group)


def detect(
    *,
    rows: Sequence[UnitYear],
    gaps: Sequence[UnitGap],
    year: int,
    unit: UnitRef,
    branch_of: Mapping[str, UnitRef] | None = None,
) -> list[Flag]:
    """Every flag for a subtree: outliers, gaps and breaches in `year`, streaks up to `year`.

    `branch_of` maps each unit's code to the child of `unit` whose subtree holds it: the child
    subtrees are then also checked on their totals, so that a district whose wards are all
    lenient stands out among the districts even though its wards look alike among themselves,
    and a ward whose Party committee sits at the quota limit is seen across its cells.
    """
    this_year = [row for row in rows if row.year == year]
    up_to = [row for row in rows if row.year <= year]
    flags = quota_breaches(this_year, totals_of(this_year, unit))
    flags += _subtree_flags(up_to, branch_of or {}, year)
    flags += share_outliers(this_year)
    flags += score_outliers(this_year)
    flags += gap_findings([gap for gap in gaps if gap.year == year])
    flags += limit_streaks(up_to)
    return sorted(flags, key=_flag_key)
