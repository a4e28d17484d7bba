"""A monthly score's explanation and trace in Vietnamese, rendered from the facts the close
stored (`close.facts_of`, `thuocdo.rules.stored`) when someone reads them.

The explanation is recomputed from the facts by `scoring.month_compute`, the arithmetic that
gave the score, so every task's share and every note is what it was. Scores stored before the
facts (a dict with its sentences) are shown as they were stored.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from thuocdo.reviews.models import MonthlyScore
from thuocdo.reviews.monthly.scoring import month_compute, scale_of
from thuocdo.rules import TaskItem, load_ruleset
from thuocdo.rules.stored import steps_render
from thuocdo.work.models import Task

DONE, MEETS_QUALITY, OBJECTIVE = 1, 2, 4
GENERAL_FROM = {
    "leader": "lãnh đạo trực tiếp chấm",
    "self": "tự chấm (lãnh đạo chưa chấm)",
    "": "chưa chấm",
}
GONE = "(nhiệm vụ đã xóa)"


def missing_words(
    count: int, unfinished: int, awaiting: int, has_self: bool, has_leader: bool
) -> list[str]:
    """What a person's month still lacks, in words."""
    missing = []
    if not count:
        missing.append("chưa có nhiệm vụ nào trong tháng")
    if unfinished:
        missing.append(f"{unfinished} nhiệm vụ chưa hoàn thành")
    if awaiting:
        missing.append(f"{awaiting} nhiệm vụ chờ lãnh đạo xác nhận")
    if not has_self:
        missing.append("chưa tự đánh giá")
    if not has_leader:
        missing.append("lãnh đạo trực tiếp chưa chấm điểm")
    return missing


def is_facts(explanation: dict[str, Any]) -> bool:
    """Whether a stored explanation holds facts (the set-based close) or sentences."""
    return explanation.get("v") == 2


def explanation_missing(explanation: dict[str, Any]) -> list[str]:
    """What the month still lacked when it was computed."""
    if is_facts(explanation):
        return missing_words(*explanation["m"])
    return list(explanation.get("missing", []))


def explanation_provisional(explanation: dict[str, Any]) -> bool:
    """Whether the score was computed while its month ran."""
    return bool(explanation.get("p") if is_facts(explanation) else explanation.get("provisional"))


def _hundredths(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def facts_render(
    explanation: dict[str, Any],
    ruleset: str,
    tasks: dict[int, tuple[str, datetime.date]],
) -> dict[str, Any]:
    """The explanation of every point from the stored facts, in the shape the pages read;
    `tasks` gives each task's title and due date (the order the tasks are scored and shown in:
    due date, then id; a task deleted since comes last)."""
    if not is_facts(explanation):
        return explanation
    last = datetime.date.max
    ordered = sorted(explanation["t"], key=lambda t: (tasks.get(t[0], ("", last))[1], t[0]))
    items = [
        (
            task_id,
            tasks[task_id][0] if task_id in tasks else GONE,
            TaskItem(
                weight=Decimal(weight).scaleb(-5),
                done=bool(bits & DONE),
                meets_quality=bool(bits & MEETS_QUALITY),
                failed_reviews=failed,
                delays=delays,
                objective_cause=bool(bits & OBJECTIVE),
            ),
        )
        for task_id, weight, bits, failed, delays in ordered
    ]
    scale = scale_of(ruleset)
    source = explanation["s"]
    organising = explanation["o"]
    computation = month_compute(
        scale=scale,
        items=items,
        general=_hundredths(explanation["g"]),
        general_source=GENERAL_FROM[source],
        bonus=_hundredths(explanation["b"]) or Decimal(0),
        deductions=_hundredths(explanation["x"]) or Decimal(0),
        unit_results=Decimal(explanation["d"]) if explanation["d"] is not None else None,
        organising=Decimal(organising) / 100 if organising is not None else None,
    )
    return computation.explanation(scale) | {
        "provisional": bool(explanation["p"]),
        "missing": missing_words(*explanation["m"]),
    }


def score_explanation(score: MonthlyScore) -> dict[str, Any]:
    """Where every point of a stored score came from, in Vietnamese."""
    explanation: dict[str, Any] = score.explanation
    if not is_facts(explanation):
        return explanation
    ids = [task[0] for task in explanation["t"]]
    tasks = {
        pk: (title, due)
        for pk, title, due in Task.objects.filter(pk__in=ids).values_list("pk", "title", "due_date")
    }
    return facts_render(explanation, score.period.ruleset, tasks)


def score_trace(score: MonthlyScore) -> list[dict[str, Any]]:
    """How the level was reached, step by step, in Vietnamese with each rule's source."""
    return steps_render(score.trace, load_ruleset(score.period.ruleset))
