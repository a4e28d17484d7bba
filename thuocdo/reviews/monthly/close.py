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

from __future__ import annotations

import datetime
import gc
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from thuocdo.org.models import Post
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, MonthlyScore, Period
from thuocdo.reviews.monthly.opening import deeper_periods, month_end, period_months
from thuocdo.reviews.monthly.scoring import Scale
from thuocdo.rules import Period as RulesPeriod
from thuocdo.rules import (
    TaskResults,
    classify,
    compile_ruleset,
    leader_results_points,
    load_ruleset,
    reasons,
    results_points,
)
from thuocdo.rules.levels import LEVEL_BY_NAME, Level
from thuocdo.rules.model import TraceStep, scored_subject
from thuocdo.rules.stored import trace_facts
from thuocdo.work.models import Exemption, ExemptionKind, ExemptionState, Task, TaskState

FACTS_VERSION = 2
# Bits of a task's flags in the facts.
DONE, MEETS_QUALITY, OBJECTIVE = 1, 2, 4
VERIFIED = TaskState.VERIFIED.value
UNFINISHED = {TaskState.PLANNED.value, TaskState.IN_PROGRESS.value}
AWAITING = TaskState.DONE.value
DELAY, ERROR = ExemptionKind.DELAY.value, ExemptionKind.ERROR.value
SELF, LEADER = AssessmentSource.SELF.value, AssessmentSource.LEADER.value


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic collector: a close allocates millions of small acyclic objects that it
    would only rescan (a third of the time when it ran)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def hundredths(value: Decimal) -> int:
    """A Decimal of at most two places as an integer count of hundredths."""
    scaled = value * 100
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than two decimals")
    return int(scaled)


def _cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}{whole}.{part:02d}"


def _ten_thousandths(value: int) -> str:
    whole, part = divmod(value, 10000)
    return f"{whole}.{part:04d}"


# Scores lie between 0 and 100 and ratios between 0 and 1: their texts are looked up.
_CENTS = [_cents(v) for v in range(10001)]
_RATIOS = [_ten_thousandths(v) for v in range(10001)]


def cents(value: int) -> str:
    """Hundredths as the decimal text PostgreSQL and SQLite read ("-0.05", "93.50")."""
    return _CENTS[value] if 0 <= value <= 10000 else _cents(value)


def ten_thousandths(value: int) -> str:
    """Ten-thousandths as decimal text ("0.8750")."""
    return _RATIOS[value] if 0 <= value <= 10000 else _ten_thousandths(value)


def half_even(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half to even (Decimal.quantize's default)."""
    q, r = divmod(numerator, denominator)
    if 2 * r > denominator or (2 * r == denominator and q % 2):
        q += 1
    return q


@dataclass(frozen=True, slots=True)
class IntScale:
    """A rule-set's parts in hundredths."""

    general: int
    results: int
    bonus: int
    results_decimal: Decimal

    @classmethod
    def of(cls, scale: Scale) -> IntScale:
        return cls(
            hundredths(scale.general),
            hundredths(scale.results),
            hundredths(scale.bonus),
            scale.results,
        )


# -- Reading plain rows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostRow:
    """The post a person's month is scored in."""

    unit_id: int
    unit_code: str
    leads: bool


def post_rows(
    period: Period,
    person_ids: list[int] | None = None,
    deeper: list[Period] | None = None,
) -> dict[int, PostRow]:
    """Each person's post in the month's subtree, a head post first (as `primary_posts`);
    people of a deeper period of the same month are left to it."""
    rows: dict[int, PostRow] = {}
    for pid, unit_id, code, head, deputy in (
        scope_posts(period, person_ids, deeper)
        .order_by("person_id", "-is_head", "-is_deputy", "start_date", "id")
        .values_list("person_id", "unit_id", "unit__code", "is_head", "is_deputy")
    ):
        if pid not in rows:
            rows[pid] = PostRow(unit_id, code, head or deputy)
    return rows


def scope_posts(
    period: Period, person_ids: list[int] | None = None, deeper: list[Period] | None = None
) -> QuerySet[Post]:
    """The posts held at the month's end in the period's subtree, outside deeper periods."""
    posts = Post.objects.active(month_end(period)).filter(unit__path__startswith=period.unit.path)
    for inner in deeper_periods(period) if deeper is None else deeper:
        posts = posts.exclude(unit__path__startswith=inner.unit.path)
    if person_ids is not None:
        posts = posts.filter(person_id__in=person_ids)
    return posts


class Work:
    """One person's month as integer sums, and the facts of each task (in due-date order)."""

    __slots__ = ("awaiting", "count", "done", "quality", "tasks", "timely", "total", "unfinished")

    def __init__(self) -> None:
        self.total = self.done = self.quality = self.timely = 0
        self.count = self.unfinished = self.awaiting = 0
        # Each task's facts as JSON text: [id, converted quantity, flags, failed, delays].
        self.tasks: list[str] = []


def month_tasks(period: Period, people: QuerySet[Any]) -> QuerySet[Task]:
    """The tasks of the period's months of the given people (a subquery of person ids)."""
    return Task.objects.filter(
        plan__year=period.year, plan__month__in=period_months(period), plan__person_id__in=people
    )


def _stream(cursor: Any, sql: str, params: Any) -> Iterator[tuple[Any, ...]]:
    """A query's rows; on PostgreSQL streamed in chunks as the server produces them (libpq's
    chunked mode), so reading overlaps the server's work."""
    if connection.vendor == "postgresql":
        yield from cursor.cursor.stream(sql, params, size=10000)
        return
    cursor.execute(sql, params)
    while batch := cursor.fetchmany(20000):
        yield from batch


def work_sums(period: Period, people: QuerySet[Any], judged: datetime.date) -> dict[int, Work]:
    """Everyone's month from plain task rows: converted quantities as integers computed by the
    database, lateness judged by the database (unfinished and past due on `judged`)."""
    tasks = month_tasks(period, people)
    exempt: dict[int, set[str]] = {}
    for task_id, kind in Exemption.objects.filter(
        task__in=tasks.values("pk"), state=ExemptionState.CONFIRMED
    ).values_list("task_id", "kind"):
        exempt.setdefault(task_id, set()).add(kind)
    weight = Cast(Round(F("quantity") * 100), BigIntegerField()) * Coalesce(
        Cast(Round(F("product_type__conversion_factor") * 1000), BigIntegerField()),
        Value(1000),
    )
    late = Case(
        When(completed_on__isnull=True, due_date__lt=judged, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    rows = tasks.annotate(w=weight, late=late).order_by().values_list(
        "plan__person_id", "id", "w", "state", "quality_passed", "delays", "failed_reviews",
        "late",
    )  # fmt: skip
    # Plain rows from the driver: Django's per-value converters were a third of the reading.
    # Booleans may come back as 0/1 (SQLite), hence the truthiness tests. No order: the
    # explanation puts the tasks in due-date order when it is shown, and without a sort
    # PostgreSQL streams rows while they are summed.
    sql, params = rows.query.sql_with_params()
    sums: dict[int, Work] = {}
    get = sums.get
    with connection.cursor() as cursor:
        for pid, tid, w, state, passed, delays, failed, is_late in _stream(cursor, sql, params):
            work = get(pid)
            if work is None:
                work = sums[pid] = Work()
            delays += is_late
            bits = 0
            kinds = exempt.get(tid)
            if kinds:
                if DELAY in kinds:
                    delays = 0
                if ERROR in kinds:
                    failed = 0
                if delays == 0 and failed == 0:
                    bits = OBJECTIVE
            work.total += w
            work.count += 1
            if state == VERIFIED:
                bits |= DONE
                work.done += w
                if passed:
                    bits |= MEETS_QUALITY
                    if failed < 4:
                        work.quality += w * (4 - failed)
            elif state in UNFINISHED:
                work.unfinished += 1
            elif state == AWAITING:
                work.awaiting += 1
            if delays < 4:
                work.timely += w * (4 - delays)
            work.tasks.append(f"[{tid},{w},{bits},{failed},{delays}]")
    return sums


@dataclass(frozen=True, slots=True)
class Given:
    """What the assessments give a person: general criteria (None if nobody scored it), who
    gave it, bonus, deductions (hundredths), and a superior's đ (percent, as entered)."""

    general: int | None
    source: str
    bonus: int
    deductions: int
    organising: Decimal | None
    has_self: bool
    has_leader: bool


NOBODY = Given(None, "", 0, 0, None, False, False)


def assessments_given(period: Period, person_ids: list[int] | None = None) -> dict[int, Given]:
    """The period's assessments by person, as `general_of` reads them: the leader's general
    criteria, bonus and deductions if given, else the self-assessment's (without bonus)."""
    found = MonthlyAssessment.objects.filter(period=period)
    if person_ids is not None:
        found = found.filter(person_id__in=person_ids)
    by_person: dict[int, dict[str, tuple[Decimal, Decimal, Decimal, Decimal | None]]] = {}
    for pid, source, general, bonus, deductions, organising in found.values_list(
        "person_id", "source", "general", "bonus", "deductions", "organising"
    ):
        by_person.setdefault(pid, {})[source] = (general, bonus, deductions, organising)
    given: dict[int, Given] = {}
    for pid, sources in by_person.items():
        leader, own = sources.get(LEADER), sources.get(SELF)
        if leader is not None:
            general, bonus, deductions, organising = leader
            given[pid] = Given(
                hundredths(general),
                LEADER,
                hundredths(bonus),
                hundredths(deductions),
                organising,
                own is not None,
                True,
            )
        elif own is not None:
            given[pid] = Given(hundredths(own[0]), SELF, 0, hundredths(own[2]), None, True, False)
    return given


# -- The arithmetic ------------------------------------------------------------------------------


@dataclass(slots=True)
class Month:
    """One person's computed month, in hundredths (a, b, c in ten-thousandths)."""

    general: int
    quantity: int
    quality: int
    timeliness: int
    results: int
    bonus: int
    deductions: int
    total: int
    unit_results: Decimal | None = None


def _decimal_results(work: Work) -> TaskResults:
    """a, b and c as `task_results` gives them (28 significant digits)."""
    with localcontext() as ctx:
        ctx.prec = 28
        total = Decimal(work.total)
        return TaskResults(
            Decimal(work.done) / total,
            Decimal(work.quality) / (4 * total),
            Decimal(work.timely) / (4 * total),
        )


def month_of(
    scale: IntScale,
    work: Work | None,
    given: Given,
    unit_results: Decimal | None = None,
) -> Month:
    """One person's month: general criteria + result points (+ bonus) − deductions, as
    `scoring.month_compute` gives it. A leader's result points add d and đ when a superior
    entered đ and `unit_results` (d) is given."""
    if work is None or work.total <= 0:
        a = b = c = points = 0
    else:
        total = work.total
        a = half_even(work.done * 10000, total)
        b = half_even(work.quality * 10000, 4 * total)
        c = half_even(work.timely * 10000, 4 * total)
        if unit_results is not None and given.organising is not None:
            dec = leader_results_points(
                _decimal_results(work),
                unit_results=unit_results,
                organising=given.organising / 100,
                max_points=scale.results_decimal,
            )
            points = hundredths(dec)
        else:
            # results × (a + b + c) / 3 in hundredths, rounded half up; a tie is left to the
            # Decimal function, whose 28 digits decide it as before.
            numerator = scale.results * (4 * work.done + work.quality + work.timely)
            denominator = 12 * total
            q, r = divmod(2 * numerator + denominator, 2 * denominator)
            if r == 0:
                r_dec = _decimal_results(work)
                points = hundredths(
                    results_points(
                        (r_dec.quantity, r_dec.quality, r_dec.timeliness),
                        max_points=scale.results_decimal,
                    )
                )
            else:
                points = q
    general = min(given.general or 0, scale.general)
    bonus = min(given.bonus, scale.bonus)
    total_points = min(max(0, general + points + bonus - given.deductions), 10000)
    return Month(general, a, b, c, points, bonus, given.deductions, total_points, unit_results)


def _json_int(value: int | None) -> str:
    return "null" if value is None else str(value)


def _json_str(value: object | None) -> str:
    return "null" if value is None else f'"{value}"'


def facts_of(work: Work | None, given: Given, month: Month, provisional: bool) -> str:
    """What the explanation is rendered from (`explain.facts_render`), as JSON text: numbers
    and fixed codes only, written directly (a city's close writes 200.000 of them)."""
    if work is None:
        tasks, missing = "[]", "0,0,0"
    else:
        tasks = f"[{','.join(work.tasks)}]"
        missing = f"{work.count},{work.unfinished},{work.awaiting}"
    return (
        f'{{"v":{FACTS_VERSION},"g":{_json_int(given.general)},"s":"{given.source}",'
        f'"b":{given.bonus},"x":{given.deductions},"t":{tasks},'
        f'"d":{_json_str(month.unit_results)},"o":{_json_str(given.organising)},'
        f'"p":{"true" if provisional else "false"},'
        f'"m":[{missing},{int(given.has_self)},{int(given.has_leader)}]}}'
    )


# -- Levels ------------------------------------------------------------------------------------


_SCORES = [Decimal(v).scaleb(-2) for v in range(10001)]


def month_classify(
    period: Period,
    totals: dict[int, tuple[str, int]],
    *,
    capped: bool,
    names: dict[str, str],
) -> dict[int, Any]:
    """Levels from the engine's native path for people given as id → (unit code, total in
    hundredths): the bands, and the unit's monthly cap where the rule-set has one."""
    if not totals:
        return {}
    compiled = compile_ruleset(load_ruleset(period.ruleset), period.options)
    scores = _SCORES
    subjects = [
        scored_subject(
            str(pid),
            scores[total] if 0 <= total <= 10000 else Decimal(total).scaleb(-2),
            code if capped else None,
        )
        for pid, (code, total) in totals.items()
    ]
    assert period.number is not None
    rules_period = RulesPeriod(kind=period.kind, year=period.year, number=period.number)
    result = classify(subjects, compiled, rules_period, validate=False, group_names=names)
    return {int(d.id): d for d in result.decisions}


def unit_levels(
    decisions: dict[int, Any], posts: dict[int, PostRow], leaders: set[int]
) -> dict[int, list[Any]]:
    """The levels of each unit's people who lead no one there (DESIGN.md §4.2, d)."""
    levels: dict[int, list[Any]] = {}
    for pid, post in posts.items():
        if pid not in leaders and pid in decisions:
            levels.setdefault(post.unit_id, []).append(LEVEL_BY_NAME[decisions[pid].level.name])
    return levels


# -- Rows --------------------------------------------------------------------------------------

COLUMNS = (
    "unit_id",
    "general",
    "quantity",
    "quality",
    "timeliness",
    "results",
    "bonus",
    "deductions",
    "total",
    "proposed_level",
    "level",
    "flags",
    "trace",
    "explanation",
    "digest",
)
BAND = reasons.band
LEVEL_NAMES = {level: level.name for level in Level}


def trace_text(trace: tuple[TraceStep, ...]) -> str:
    """A decision's trace as facts in JSON text. The usual trace, the score band alone, is
    written directly; any other goes through `trace_facts`."""
    if len(trace) == 1:
        rule, _, before, after, render, facts = trace[0]
        if render is BAND and before is None and after is not None:
            score, lo, hi = facts  # the band's facts, see engine.compiled
            low = "null" if lo is None else f'{{"d":"{lo}"}}'
            high = "null" if hi is None else f'{{"d":"{hi}"}}'
            level = LEVEL_NAMES[after]
            return f'[["{rule}",null,"{level}","band",[{{"d":"{score}"}},{low},{high}]]]'
    return json.dumps(trace_facts(trace), ensure_ascii=False, separators=(",", ":"))


NO_FLAGS = "[]"


@dataclass(slots=True)
class ScoreRow:
    """A score ready to write: the columns above as text."""

    person_id: int
    values: tuple[str, ...]
    digest: str

    @property
    def audited(self) -> dict[str, Any]:
        """The audited part of the score (as `compute.score_json`)."""
        v = self.values
        return {
            "total": v[8],
            "results": v[5],
            "general": v[1],
            "proposed_level": v[9],
            "level": v[10],
        }


def score_row(
    person_id: int,
    post: PostRow,
    month: Month,
    facts: str,
    decision: Any,
    *,
    running: bool,
    kept_level: str | None,
) -> ScoreRow:
    """A score's columns as text. While the month runs no level is proposed; a level the head
    decided (`kept_level`) stays once the month is over."""
    proposed = "" if running else LEVEL_NAMES[decision.level]
    level = proposed if kept_level is None or running else kept_level
    flags = (
        json.dumps(list(decision.flags), ensure_ascii=False, separators=(",", ":"))
        if decision.flags
        else NO_FLAGS
    )
    values = (
        str(post.unit_id),
        cents(month.general),
        ten_thousandths(month.quantity),
        ten_thousandths(month.quality),
        ten_thousandths(month.timeliness),
        cents(month.results),
        cents(month.bonus),
        cents(month.deductions),
        cents(month.total),
        proposed,
        level,
        flags,
        trace_text(decision.trace),
        facts,
    )
    digest = hashlib.blake2b("\t".join(values).encode(), digest_size=16).hexdigest()
    return ScoreRow(person_id, (*values, digest), digest)


@dataclass(frozen=True, slots=True)
class Stored:
    """What a close needs of a score already there."""

    id: int
    decided: bool
    level: str
    digest: str
    audited: dict[str, Any]


def stored_scores(period: Period, person_ids: list[int] | None = None) -> dict[int, Stored]:
    """The period's scores by person, as plain rows."""
    found = MonthlyScore.objects.filter(period=period)
    if person_ids is not None:
        found = found.filter(person_id__in=person_ids)
    stored = {}
    for pk, pid, decided, level, digest, total, results, general, proposed in found.values_list(
        "id", "person_id", "decided_by_id", "level", "digest", "total", "results", "general",
        "proposed_level",
    ):  # fmt: skip
        stored[pid] = Stored(
            pk,
            decided is not None,
            level,
            digest,
            {
                "total": f"{total:.2f}",
                "results": f"{results:.2f}",
                "general": f"{general:.2f}",
                "proposed_level": proposed,
                "level": level,
            },
        )
    return stored


# -- Writing -----------------------------------------------------------------------------------

# COPY's text format: a backslash starts an escape (JSON's own escapes are backslashes too).
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
COPY_CHUNK = 1 << 20


def rows_insert(period: Period, rows: Iterable[ScoreRow]) -> int:
    """New scores: streamed with COPY on PostgreSQL, so the server stores rows while the next
    ones are built; one multi-row INSERT per batch on SQLite. Returns how many."""
    table = MonthlyScore._meta.db_table
    columns = ("period_id", "person_id", *COLUMNS, "decision_reason", "computed_at")
    now = timezone.now()
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            head = f"{period.pk}\t"
            tail = f"\t\t{now.isoformat()}\n"
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                lines: list[str] = []
                size = 0
                for row in rows:
                    body = "\t".join(row.values)
                    if "\\" in body:  # JSON text with an escape, e.g. a unit's name with a quote
                        body = "\t".join(value.translate(COPY_ESCAPES) for value in row.values)
                    line = f"{head}{row.person_id}\t{body}{tail}"
                    lines.append(line)
                    size += len(line)
                    count += 1
                    if size >= COPY_CHUNK:
                        copy.write("".join(lines).encode())
                        lines, size = [], 0
                if lines:
                    copy.write("".join(lines).encode())
            return count
        marks = ", ".join(["%s"] * len(columns))
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append((period.pk, row.person_id, *row.values, "", now))
            count += 1
            if len(batch) >= 5000:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - names are ours
                    batch,
                )
                batch = []
        if batch:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608 - names are ours
                batch,
            )
    return count


def rows_update(rows: list[tuple[int, ScoreRow]]) -> None:
    """Changed scores by id: COPY into a temporary table and one UPDATE on PostgreSQL, an
    UPDATE per row in one prepared batch on SQLite."""
    if not rows:
        return
    table = MonthlyScore._meta.db_table
    now = timezone.now()
    assignments = ", ".join(f"{c} = %s" for c in (*COLUMNS, "computed_at"))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608 - names are ours
                [(*row.values, now, pk) for pk, row in rows],
            )
            return
        cursor.execute(
            f"CREATE TEMPORARY TABLE score_changes ON COMMIT DROP AS "  # noqa: S608 - names are ours
            f"SELECT id, {', '.join(COLUMNS)} FROM {table} WITH NO DATA"
        )
        names = ", ".join(COLUMNS)
        with cursor.cursor.copy(f"COPY score_changes (id, {names}) FROM STDIN") as copy:
            for pk, row in rows:
                copy.write_row((pk, *row.values))
        sets = ", ".join(f"{c} = c.{c}" for c in COLUMNS)
        cursor.execute(
            f"UPDATE {table} AS s SET {sets}, computed_at = %s "  # noqa: S608 - names are ours
            f"FROM score_changes AS c WHERE s.id = c.id",
            [now],
        )
        cursor.execute("DROP TABLE score_changes")
