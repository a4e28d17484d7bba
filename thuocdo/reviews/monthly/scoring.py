"""The monthly score of each person, computed from the verified work record.

Pure arithmetic over the engine's scoring functions (NĐ 335, Điều 14), plus the explanation
of every point ("điểm này từ đâu ra"): which task gave or cost what, by which rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thuocdo.rules import (
    TaskItem,
    TaskResults,
    leader_results_points,
    load_ruleset,
    nonleader_results_points,
    round_score,
    task_results,
)
from thuocdo.rules.fmt import vn_threshold

SOURCE_335 = "Nghị định 335/2025/NĐ-CP, Điều 14"
ZERO = Decimal(0)
THREE = Decimal(3)


@dataclass(frozen=True)
class Scale:
    """The parts of the 100 points under a rule-set, with their maxima."""

    general: Decimal
    results: Decimal
    bonus: Decimal
    source: str


def scale_of(ruleset_id: str) -> Scale:
    """Read the parts (30 + 70, or 20 + 70 + 10) from the rule-set's score-parts rule."""
    ruleset = load_ruleset(ruleset_id)
    rule = ruleset.rule("score-parts")
    parts: dict[str, Any] = dict(rule.params)["parts"]

    def cap(name: str) -> Decimal:
        return Decimal(str(parts[name]["max"])) if name in parts else ZERO

    return Scale(cap("general"), cap("results"), cap("bonus"), rule.citation)


@dataclass(frozen=True)
class TaskLine:
    """One task's share of the result points."""

    task_id: int
    title: str
    weight: Decimal
    done: bool
    quality: Decimal
    timeliness: Decimal
    failed_reviews: int
    delays: int
    exempted: bool
    points: Decimal


@dataclass(frozen=True)
class MonthComputation:
    """Everything the monthly score of one person is made of."""

    general: Decimal
    general_source: str
    results: TaskResults
    result_points: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    lines: tuple[TaskLine, ...]
    notes: tuple[str, ...] = field(default=())

    def explanation(self, scale: Scale) -> dict[str, Any]:
        """A JSON explanation of every point, for the page and the record."""
        return {
            "source": SOURCE_335,
            "parts_source": scale.source,
            "general": {
                "points": str(self.general),
                "max": str(scale.general),
                "from": self.general_source,
            },
            "results": {
                "points": str(self.result_points),
                "max": str(scale.results),
                "quantity": str(self.results.quantity),
                "quality": str(self.results.quality),
                "timeliness": str(self.results.timeliness),
                "formula": f"{vn_threshold(scale.results)} × (a + b + c) / 3",
            },
            "bonus": str(self.bonus),
            "deductions": str(self.deductions),
            "total": str(self.total),
            "tasks": [
                {
                    "id": line.task_id,
                    "title": line.title,
                    "weight": str(line.weight),
                    "done": line.done,
                    "quality": str(line.quality),
                    "timeliness": str(line.timeliness),
                    "failed_reviews": line.failed_reviews,
                    "delays": line.delays,
                    "exempted": line.exempted,
                    "points": str(line.points),
                }
                for line in self.lines
            ],
            "notes": list(self.notes),
        }


def _factor(count: int, exempt: bool) -> Decimal:
    """What is kept of an item after 25% per failed review or delay (NĐ 335, Điều 14)."""
    if exempt:
        return Decimal(1)
    return max(ZERO, Decimal(1) - Decimal("0.25") * count)


def task_lines(
    items: Sequence[tuple[int, str, TaskItem]], max_points: Decimal
) -> tuple[TaskResults | None, tuple[TaskLine, ...]]:
    """Each task's contribution to 70 × mean(a, b, c); the contributions add up to the total."""
    weights = sum((item.weight for _, _, item in items), ZERO)
    if weights <= 0:
        return None, ()
    results = task_results([item for _, _, item in items])
    lines = []
    shares = []
    for _, _, item in items:
        done = Decimal(1) if item.done else ZERO
        quality = _factor(item.failed_reviews, item.objective_cause) if item.meets_quality else ZERO
        timeliness = _factor(item.delays, item.objective_cause)
        shares.append(max_points * item.weight * (done + quality + timeliness) / (THREE * weights))
    points = apportion(shares, round_score(sum(shares, ZERO)))
    for (task_id, title, item), share in zip(items, points, strict=True):
        done = Decimal(1) if item.done else ZERO
        quality = _factor(item.failed_reviews, item.objective_cause) if item.meets_quality else ZERO
        timeliness = _factor(item.delays, item.objective_cause)
        lines.append(
            TaskLine(
                task_id=task_id,
                title=title,
                weight=item.weight,
                done=item.done,
                quality=quality,
                timeliness=timeliness,
                failed_reviews=item.failed_reviews,
                delays=item.delays,
                exempted=item.objective_cause,
                points=share,
            )
        )
    return results, tuple(lines)


def apportion(shares: Sequence[Decimal], total: Decimal) -> list[Decimal]:
    """Round shares to hundredths so that they add up exactly to the rounded total (largest
    remainders get the spare hundredths), so the explanation never disagrees with the score."""
    cent = Decimal("0.01")
    floors = [(s / cent).to_integral_value(rounding="ROUND_FLOOR") * cent for s in shares]
    spare = int((total - sum(floors, ZERO)) / cent)
    order = sorted(range(len(shares)), key=lambda i: (floors[i] - shares[i], i))
    for i in order[: max(spare, 0)]:
        floors[i] += cent
    return floors


def month_compute(
    *,
    scale: Scale,
    items: Sequence[tuple[int, str, TaskItem]],
    general: Decimal | None,
    general_source: str,
    bonus: Decimal = ZERO,
    deductions: Decimal = ZERO,
    unit_results: Decimal | None = None,
    organising: Decimal | None = None,
) -> MonthComputation:
    """The month's score of one person: general criteria + result points (+ bonus) − deductions.

    A leader's result points add the unit's results (d) and organising capacity (đ) when the
    organising capacity has been scored; otherwise the non-leader formula applies, noted.
    """
    notes: list[str] = []
    results, lines = task_lines(items, scale.results)
    if results is None:
        results = TaskResults(ZERO, ZERO, ZERO)
        points = ZERO
        notes.append("Không có nhiệm vụ nào trong tháng: điểm kết quả bằng 0.")
    elif unit_results is not None and organising is not None:
        points = leader_results_points(
            results, unit_results=unit_results, organising=organising, max_points=scale.results
        )
        notes.append(
            "Người quản lý: điểm kết quả = "
            f"{vn_threshold(scale.results)} × trung bình(a, b, c, d, đ) "
            f"với d = {unit_results * 100:.0f}%, đ = {organising * 100:.0f}%."
        )
    else:
        points = nonleader_results_points(results, max_points=scale.results)
    if general is None:
        general = ZERO
        notes.append("Chưa có điểm tiêu chí chung (tự chấm hoặc lãnh đạo chấm): tạm tính 0.")
    general = min(general, scale.general)
    bonus = min(bonus, scale.bonus)
    total = max(ZERO, round_score(general + points + bonus - deductions))
    return MonthComputation(
        general=general,
        general_source=general_source,
        results=results,
        result_points=points,
        bonus=bonus,
        deductions=deductions,
        total=min(total, Decimal(100)),
        lines=lines,
        notes=tuple(notes),
    )
