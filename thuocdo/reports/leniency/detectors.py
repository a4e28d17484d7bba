"""Leniency detectors: per-unit counts in, flags out, each with its figures and a Vietnamese
explanation that names its method or legal source. No Django import."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction

from thuocdo.reports.common.levels import (
    LevelCounts,
    QuotaCheck,
    quota_check,
    quota_source,
    vn_share,
)
from thuocdo.reports.leniency.figures import (
    FLAG_ORDER,
    GAP_OUTLIER,
    LEVELS_GAP,
    LIMIT_RULE,
    LIMIT_SLACK,
    LOWER_METHOD,
    MATERIAL_LOWERED_SHARE,
    METHOD,
    MIN_BREACH_BASE,
    MIN_CLASSIFIED,
    MIN_GAP_MARGIN,
    MIN_PEERS,
    MIN_SCORE_MARGIN,
    MIN_SHARE_MARGIN,
    NO_LOWERING,
    PER_UNIT_QUOTA_GROUPS,
    QUOTA_BREACH,
    QUOTA_LIMIT,
    SCORE,
    SCORE_OUTLIER,
    SHARE_OUTLIER,
    SLACK_FROM_LIMIT,
    STREAK_YEARS,
    Flag,
    UnitGap,
    UnitRef,
    UnitYear,
    fence,
    quantile,
    vn_decimal,
)
from thuocdo.rules.fmt import vn_number


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
