"""Leniency analytics ("Cảnh báo nể nang"): the detectors and their statistics in pure Python
(`detectors`, `figures`, re-exported here; importing this package loads no Django), the
per-unit counts and gaps they read (`selectors`), the page and its filter (`views`, `forms`),
the JSON, Excel and PDF files (`exports`) and the API endpoint (`api`).

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
- `limit_streaks`: a unit whose HTXS count equals its 20% quota limit (or one below a limit of
  `SLACK_FROM_LIMIT` or more) in every year with results, at least `STREAK_YEARS` years.
- `quota_breaches`: HTXS above 20% of "HTT or better", where a regulation set the quota.

`figures` holds the thresholds, the dataclasses and the statistics (quartiles, fences);
`detectors` the detectors and `detect`, which runs them all.
"""

from __future__ import annotations

from thuocdo.reports.leniency.detectors import (
    branch_totals,
    detect,
    gap_findings,
    limit_streaks,
    quota_breaches,
    score_outliers,
    share_outliers,
    totals_of,
)
from thuocdo.reports.leniency.figures import (
    FENCE_K,
    FLAG_LABELS,
    FLAG_ORDER,
    GAP_OUTLIER,
    LEVEL_RANK,
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
    SHARE,
    SHARE_OUTLIER,
    SLACK_FROM_LIMIT,
    STREAK_YEARS,
    Fence,
    Flag,
    UnitGap,
    UnitRef,
    UnitYear,
    fence,
    quantile,
    vn_decimal,
)

__all__ = [
    "FENCE_K", "FLAG_LABELS", "FLAG_ORDER", "GAP_OUTLIER", "LEVELS_GAP", "LEVEL_RANK",
    "LIMIT_RULE", "LIMIT_SLACK", "LOWER_METHOD", "MATERIAL_LOWERED_SHARE", "METHOD",
    "MIN_BREACH_BASE", "MIN_CLASSIFIED", "MIN_GAP_MARGIN", "MIN_PEERS", "MIN_SCORE_MARGIN",
    "MIN_SHARE_MARGIN", "NO_LOWERING", "PER_UNIT_QUOTA_GROUPS", "QUOTA_BREACH", "QUOTA_LIMIT",
    "SCORE", "SCORE_OUTLIER", "SHARE", "SHARE_OUTLIER", "SLACK_FROM_LIMIT", "STREAK_YEARS",
    "Fence", "Flag", "UnitGap", "UnitRef", "UnitYear", "branch_totals", "detect", "fence",
    "gap_findings", "limit_streaks", "quantile", "quota_breaches", "score_outliers",
    "share_outliers", "totals_of", "vn_decimal",
]  # fmt: skip
