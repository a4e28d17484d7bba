"""The month close, set-based: plain rows in, integer arithmetic, the engine once on its native
path, facts out, written with COPY on PostgreSQL (one INSERT per batch on SQLite).

A city's close computes 200.000 people from 600.000 tasks. Every point is reproducible from
what is stored: each person's facts (the tasks' ids, converted quantities and counts, the
general criteria, bonus, deductions, d and đ, what is still missing) and the engine's trace as
facts (`thuocdo.rules.stored`). The Vietnamese explanation is rendered from them when someone
reads it (`thuocdo.reviews.monthly.explain`), by the same arithmetic as before
(`scoring.month_compute`), so a stored score and its explanation cannot disagree.

Amounts are integers: converted quantities in 1/100.000 (a quantity has two decimals, a
conversion factor three), points in hundredths, a, b and c in ten-thousandths; NĐ 335's
"−25% per failed review or delay" keeps quarters. Where exact rounding meets a tie, the
Decimal functions of the rules engine decide, so the results are those of `month_compute`.
"""

from thuocdo.reviews.monthly.close.arithmetic import (
    FACTS_VERSION,
    IntScale,
    Month,
    cents,
    facts_of,
    half_even,
    month_classify,
    month_of,
    ten_thousandths,
)
from thuocdo.reviews.monthly.close.reading import (
    NOBODY,
    Given,
    PostRow,
    Work,
    assessments_given,
    hundredths,
    month_tasks,
    post_rows,
    scope_posts,
    statistics_refresh,
    work_sums,
)
from thuocdo.reviews.monthly.close.writing import (
    COLUMNS,
    ScoreRow,
    Stored,
    rows_insert,
    rows_update,
    score_row,
    stored_audited,
    stored_scores,
    trace_text,
)

__all__ = [
    "COLUMNS",
    "FACTS_VERSION",
    "NOBODY",
    "Given",
    "IntScale",
    "Month",
    "PostRow",
    "ScoreRow",
    "Stored",
    "Work",
    "assessments_given",
    "cents",
    "facts_of",
    "half_even",
    "hundredths",
    "month_classify",
    "month_of",
    "month_tasks",
    "post_rows",
    "rows_insert",
    "rows_update",
    "scope_posts",
    "score_row",
    "statistics_refresh",
    "stored_audited",
    "stored_scores",
    "ten_thousandths",
    "trace_text",
    "work_sums",
]
