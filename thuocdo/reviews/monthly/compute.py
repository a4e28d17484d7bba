"""Computing the monthly scores of a period from the work record and the assessments: everyone
at once (`period_scores_compute`), or one person the moment their month changes
(`person_score_refresh`, on every save of a self-score, a leader's score, a verification or an
exemption), so that what the user saved is what the board shows.

A month that is not over is provisional ("tạm tính"): its scores are stored with what is still
missing and without a level, which would come from missing data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from thuocdo.audit.services import audit_event_build, audit_record, audit_record_many
from thuocdo.memory import no_cyclic_gc
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import today
from thuocdo.reviews.models import (
    MonthlyScore,
    Period,
    PeriodState,
)
from thuocdo.reviews.monthly.close import (
    NOBODY,
    Given,
    IntScale,
    Month,
    PostRow,
    ScoreRow,
    Stored,
    Work,
    assessments_given,
    facts_of,
    hundredths,
    month_classify,
    month_of,
    post_rows,
    rows_insert,
    rows_update,
    scope_posts,
    score_row,
    statistics_refresh,
    stored_audited,
    stored_scores,
    work_sums,
)
from thuocdo.reviews.monthly.explain import explanation_provisional
from thuocdo.reviews.monthly.opening import (
    deeper_periods,
    month_end,
    month_is_running,
    period_of_person,
)
from thuocdo.reviews.monthly.scoring import scale_of
from thuocdo.rules import load_ruleset, unit_results_component
from thuocdo.rules.levels import LEVEL_BY_NAME

MONTHLY_CAP_RULE = "monthly-cap"
SCORE_TYPE = MonthlyScore._meta.label_lower


def as_at(period: Period, at: datetime.date) -> datetime.date:
    """The day unfinished tasks are judged late on: the month's last day, or today while the
    month runs (as "Tháng của tôi" shows it)."""
    return min(month_end(period), at)


def is_capped(period: Period) -> bool:
    """Whether the rule-set caps the share of the top level within each unit (Hà Nội 3814)."""
    return any(rule.id == MONTHLY_CAP_RULE for rule in load_ruleset(period.ruleset).rules)


@dataclass
class Inputs:
    """What a close reads: the people's posts, their work, what the assessments give them."""

    posts: dict[int, PostRow]
    work: dict[int, Work]
    given: dict[int, Given]


def _unit_names(codes: set[str]) -> dict[str, str]:
    # Reasons name the unit whose share is counted by its name, not its code (issue 18).
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def months_compute(
    period: Period,
    inputs: Inputs,
    *,
    leaders: set[int] | None = None,
    others: dict[int, tuple[PostRow, int]] | None = None,
) -> tuple[dict[int, Month], dict[int, Any]]:
    """Everyone's month and level. Leaders are scored after their people: their unit-results
    component (d) is whether anyone they lead is KHT (DESIGN.md §4.2). `others` are stored
    totals (hundredths) the people are classified among, `leaders` the unit's heads and
    deputies (one person's save); by default, whoever holds a head's or deputy's post."""
    scale = IntScale.of(scale_of(period.ruleset))
    capped = is_capped(period)
    posts, work, given = inputs.posts, inputs.work, inputs.given
    months = {pid: month_of(scale, work.get(pid), given.get(pid, NOBODY)) for pid in posts}
    where = {pid: post for pid, (post, _) in (others or {}).items()} | posts
    totals = {pid: (post.unit_code, total) for pid, (post, total) in (others or {}).items()}
    totals |= {pid: (posts[pid].unit_code, m.total) for pid, m in months.items()}
    names = _unit_names({code for code, _ in totals.values()}) if capped else {}
    decisions = month_classify(period, totals, capped=capped, names=names)
    if leaders is None:
        leaders = {pid for pid, post in posts.items() if post.leads}
    organised = sorted(
        pid for pid in posts if pid in leaders and given.get(pid, NOBODY).organising is not None
    )
    if not organised:
        return months, decisions
    # The levels of each unit's people who lead no one there, grouped once: scanning everyone
    # for every leader was quadratic (hours for a city whose superiors enter đ).
    by_unit: dict[int, list[Any]] = {}
    for pid, decision in decisions.items():
        if pid not in leaders:
            by_unit.setdefault(where[pid].unit_id, []).append(LEVEL_BY_NAME[decision.level.name])
    changed = []
    for pid in organised:
        levels = by_unit.get(posts[pid].unit_id)
        if levels:
            months[pid] = month_of(scale, work.get(pid), given[pid], unit_results_component(levels))
            totals[pid] = (posts[pid].unit_code, months[pid].total)
            changed.append(pid)
    if changed:
        # Only a leader's new total can change a level: their own, or their unit's under a cap.
        groups = {posts[pid].unit_code for pid in changed}
        again = (
            {pid: t for pid, t in totals.items() if t[0] in groups}
            if capped
            else {pid: totals[pid] for pid in changed}
        )
        decisions |= month_classify(period, again, capped=capped, names=names)
    return months, decisions


def period_scores_compute(actor: Any, period: Period, at: datetime.date | None = None) -> int:
    """Compute and classify the month of everyone in the period; returns the count.

    Set-based (`close`): a few plain reads, the arithmetic in integers, the engine once (twice
    where superiors entered leaders' đ), and only the scores that changed written.
    """
    at = at or today()
    statistics_refresh()
    with no_cyclic_gc():
        deeper = deeper_periods(period)
        people = scope_posts(period, deeper=deeper).values("person_id")
        inputs = Inputs(
            post_rows(period, deeper=deeper),
            work_sums(period, people, as_at(period, at)),
            assessments_given(period),
        )
        months, decisions = months_compute(period, inputs)
        stored = stored_scores(period)
        rows = _rows(period, inputs, months, decisions, stored, at)
        return _write(actor, period, rows, stored, partial=False)


def _rows(
    period: Period,
    inputs: Inputs,
    months: dict[int, Month],
    decisions: dict[int, Any],
    stored: dict[int, Stored],
    at: datetime.date,
) -> Iterator[ScoreRow]:
    running = month_is_running(period, at)
    for pid, month in months.items():
        given = inputs.given.get(pid, NOBODY)
        before = stored.get(pid)
        yield score_row(
            pid,
            inputs.posts[pid],
            month,
            facts_of(inputs.work.get(pid), given, month, running),
            decisions[pid],
            running=running,
            kept_level=before.level if before is not None and before.decided else None,
        )


def _write(
    actor: Any,
    period: Period,
    rows: Iterator[ScoreRow],
    stored: dict[int, Stored],
    *,
    partial: bool,
) -> int:
    """Insert the new scores, update the changed ones, and audit: the first scores of a whole
    period as one batch event (who, when, which period, how many, under which rule-set: they
    follow from the work record, which is itself audited); every later change of a score, and
    every score of one person, one by one with its before and after."""
    changed: list[tuple[Stored, ScoreRow]] = []
    created: list[ScoreRow] = []
    count = 0

    def new_rows() -> Iterator[ScoreRow]:
        # The new scores stream to the database as they are built; the others are compared.
        nonlocal count
        for row in rows:
            count += 1
            before = stored.get(row.person_id)
            if before is None:
                if partial:
                    created.append(row)
                yield row
            elif before.digest != row.digest:
                changed.append((before, row))

    inserted = rows_insert(period, new_rows())
    # The values before the change, for the audit, read before they are overwritten.
    audited = stored_audited([before.id for before, _ in changed]) if changed else {}
    rows_update([(before.id, row) for before, row in changed])
    if inserted and not partial:
        audit_record(
            actor=actor,
            action="monthly_score.compute_batch",
            obj=period,
            after={"created": inserted, "ruleset": period.ruleset},
        )
    label = str(period)
    events: list[tuple[int, dict[str, Any] | None, ScoreRow]] = [
        (before.id, audited[before.id], row) for before, row in changed
    ]
    if created:
        ids = dict(
            MonthlyScore.objects.filter(
                period=period, person_id__in=[row.person_id for row in created]
            ).values_list("person_id", "id")
        )
        events += [(ids[row.person_id], None, row) for row in created]
    if events:
        names = dict(
            Person.objects.filter(pk__in=[row.person_id for _, _, row in events]).values_list(
                "pk", "full_name"
            )
        )
        audit_record_many(
            audit_event_build(
                actor=actor,
                action="monthly_score.refresh" if partial else "monthly_score.compute",
                object_type=SCORE_TYPE,
                object_id=str(pk),
                object_repr=f"{names.get(row.person_id, '')} — {label}",
                before=before,
                after=row.audited,
            )
            for pk, before, row in events
        )
    return count


def person_score_refresh(*, actor: Any, period: Period, person_id: int) -> int:
    """Recompute one person's month right after a change, and the month of the heads and
    deputies of their unit whose result part (d) counts the unit's levels; returns how many
    scores were stored.

    Where the unit matters (a cap on the top level per unit under Hà Nội 3814, or a head's d)
    the person is classified among the stored totals of their unit, as the whole computation
    would; otherwise alone. Either way only a few rows are read: a save stays fast in a city.
    """
    if period.state == PeriodState.LOCKED:
        return 0
    deeper = deeper_periods(period)
    own = post_rows(period, [person_id], deeper)
    if person_id not in own:
        return 0
    post = own[person_id]
    at = today()
    heads = Post.objects.active(month_end(period)).filter(
        Q(is_head=True) | Q(is_deputy=True), unit_id=post.unit_id
    )
    leader_posts = {
        pid: p
        for pid, p in post_rows(
            period, list(heads.values_list("person_id", flat=True)), deeper
        ).items()
        if p.unit_id == post.unit_id and p.leads
    }
    given = assessments_given(period, sorted({person_id} | set(leader_posts)))
    organised = {pid for pid in leader_posts if given.get(pid, NOBODY).organising is not None}
    targets = {person_id} | (organised if person_id not in leader_posts else set())
    posts = {pid: leader_posts.get(pid, post) if pid != person_id else post for pid in targets}
    people = scope_posts(period, sorted(targets), deeper).values("person_id")
    inputs = Inputs(posts, work_sums(period, people, as_at(period, at)), given)
    others: dict[int, tuple[PostRow, int]] = {}
    if is_capped(period) or organised & targets:
        member = PostRow(post.unit_id, post.unit_code, False)
        for pid, total in MonthlyScore.objects.filter(
            period=period, unit_id=post.unit_id
        ).values_list("person_id", "total"):
            if pid not in targets:
                others[pid] = (member, hundredths(total))
    months, decisions = months_compute(period, inputs, leaders=set(leader_posts), others=others)
    stored = stored_scores(period, sorted(targets))
    rows = _rows(period, inputs, months, decisions, stored, at)
    return _write(actor, period, rows, stored, partial=True)


def score_json(s: MonthlyScore) -> dict[str, Any]:
    """The audited part of a score. Fixed two decimals: a value read back from the database
    compares equal to a fresh one."""
    return {
        "total": f"{s.total:.2f}",
        "results": f"{s.results:.2f}",
        "general": f"{s.general:.2f}",
        "proposed_level": s.proposed_level,
        "level": s.level,
    }


def score_is_provisional(score: MonthlyScore) -> bool:
    """A score computed while its month ran, not yet given a level."""
    return explanation_provisional(score.explanation) or not score.level


def on_month_changed(
    sender: Any, *, actor: Any, person_id: int, year: int, month: int, **kwargs: Any
) -> None:
    """thuocdo.work.signals.month_changed: the person's score follows their work at once."""
    period = period_of_person(person_id, year, month)
    if period is not None:
        person_score_refresh(actor=actor, period=period, person_id=person_id)
