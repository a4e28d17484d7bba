"""The month close's writes: each score's columns as text, compared by digest, new scores
streamed with COPY on PostgreSQL, changed ones updated from a temporary table."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from thuocdo.reviews.models import MonthlyScore, Period
from thuocdo.reviews.monthly.close.arithmetic import Month, cents, ten_thousandths
from thuocdo.reviews.monthly.close.reading import PostRow
from thuocdo.rules import (
    reasons,
)
from thuocdo.rules.levels import Level
from thuocdo.rules.model import TraceStep
from thuocdo.rules.stored import trace_facts

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


def stored_scores(period: Period, person_ids: list[int] | None = None) -> dict[int, Stored]:
    """The period's scores by person, as plain rows: only what tells whether a score changed
    (its digest) and whether a head decided its level. The audited values of the few that
    changed are read afterwards (`stored_audited`): reading them for a whole city was a
    quarter of a recompute."""
    found = MonthlyScore.objects.filter(period=period)
    if person_ids is not None:
        found = found.filter(person_id__in=person_ids)
    return {
        pid: Stored(pk, decided, level, digest)
        for pk, pid, decided, level, digest in found.annotate(
            decided=Q(decided_by__isnull=False)
        ).values_list("id", "person_id", "decided", "level", "digest")
    }


def stored_audited(ids: list[int]) -> dict[int, dict[str, Any]]:
    """The audited part of the given scores (as `compute.score_json`), by score id."""
    found = MonthlyScore.objects.filter(pk__in=ids).values_list(
        "id", "total", "results", "general", "proposed_level", "level"
    )
    return {
        pk: {
            "total": f"{total:.2f}",
            "results": f"{results:.2f}",
            "general": f"{general:.2f}",
            "proposed_level": proposed,
            "level": level,
        }
        for pk, total, results, general, proposed, level in found
    }


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
