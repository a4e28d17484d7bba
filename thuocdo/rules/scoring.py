"""Scoring on 100 points, reusable on its own (monthly scoring calls these).

All arithmetic is in ``Decimal``: inputs are converted exactly (floats through their
shortest repr, so 89.99 stays 89.99), ratios keep 28 significant digits, and a derived
score (a sum of parts, a mean, results points) is rounded once, to ``decimals`` places
(2 by default) with ROUND_HALF_UP. The rounded value is the score that is banded and shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .fmt import vn_threshold
from .levels import Level
from .params import ParamError, to_decimal

ZERO = Decimal(0)
ONE = Decimal(1)
PENALTY = Decimal("0.25")
RESULTS_MAX = Decimal(70)


class ScoringError(ValueError):
    """Scoring input that cannot be scored; the message is Vietnamese."""


def round_score(value: Decimal, decimals: int = 2) -> Decimal:
    """Round a derived score once, half up, to ``decimals`` places."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _dec(value: Decimal | int | float, what: str) -> Decimal:
    try:
        d = to_decimal(value)
    except ParamError as exc:
        raise ScoringError(f"{what}: {exc}") from None
    if not d.is_finite():
        raise ScoringError(f"{what}: phải là số hữu hạn")
    return d


@dataclass(frozen=True, slots=True)
class TaskItem:
    """One task or product of the period, as NĐ 335 Điều 14 scores it.

    ``weight`` is the converted quantity (quantity × conversion factor to the standard
    product); ``objective_cause`` is a confirmed objective cause that cancels the delays and
    failed reviews of this item.
    """

    weight: Decimal
    done: bool
    meets_quality: bool = True
    failed_reviews: int = 0
    delays: int = 0
    objective_cause: bool = False


@dataclass(frozen=True, slots=True)
class TaskResults:
    """Quantity a, quality b and timeliness c, each a ratio from 0 to 1."""

    quantity: Decimal
    quality: Decimal
    timeliness: Decimal


def _keep(penalty: Decimal, count: int) -> Decimal:
    return max(ZERO, ONE - penalty * count)


def task_results(items: Iterable[TaskItem], *, penalty: Decimal = PENALTY) -> TaskResults:
    """Quantity, quality and timeliness weighted by converted quantity (NĐ 335, Điều 14)."""
    total = ZERO
    a = b = c = ZERO
    with localcontext() as ctx:
        ctx.prec = 28
        for i, it in enumerate(items, 1):
            w = _dec(it.weight, f"Nhiệm vụ thứ {i}, khối lượng quy đổi")
            if w < 0:
                raise ScoringError(f"Nhiệm vụ thứ {i}: khối lượng quy đổi không được âm")
            if it.failed_reviews < 0 or it.delays < 0:
                raise ScoringError(f"Nhiệm vụ thứ {i}: số lần trễ hạn, số lần lỗi không được âm")
            fails = 0 if it.objective_cause else it.failed_reviews
            delays = 0 if it.objective_cause else it.delays
            total += w
            if it.done:
                a += w
            if it.meets_quality:
                b += w * _keep(penalty, fails)
            c += w * _keep(penalty, delays)
        if total == 0:
            raise ScoringError("Không có nhiệm vụ nào có khối lượng quy đổi lớn hơn 0")
        return TaskResults(a / total, b / total, c / total)


def results_points(
    components: Sequence[Decimal],
    *,
    weights: Sequence[Decimal] | None = None,
    max_points: Decimal = RESULTS_MAX,
    decimals: int = 2,
) -> Decimal:
    """Task-result points: max_points × the (weighted) mean of the component ratios.

    For a non-leader the components are (a, b, c); for a leader (a, b, c, d, đ[, e]).
    The formula is configurable: pass ``weights`` (default: equal weights).
    """
    if not components:
        raise ScoringError("Cần ít nhất một thành phần để tính điểm kết quả")
    ws = list(weights) if weights is not None else [ONE] * len(components)
    if len(ws) != len(components):
        raise ScoringError("Số trọng số phải bằng số thành phần")
    for i, (x, w) in enumerate(zip(components, ws, strict=True), 1):
        if not ZERO <= x <= ONE:
            raise ScoringError(f"Thành phần thứ {i} phải là tỷ lệ từ 0 đến 1")
        if w < 0:
            raise ScoringError(f"Trọng số thứ {i} không được âm")
    wsum = sum(ws, ZERO)
    if wsum == 0:
        raise ScoringError("Tổng trọng số phải lớn hơn 0")
    with localcontext() as ctx:
        ctx.prec = 28
        mean = sum((x * w for x, w in zip(components, ws, strict=True)), ZERO) / wsum
        return round_score(max_points * mean, decimals)


def nonleader_results_points(
    results: TaskResults, *, max_points: Decimal = RESULTS_MAX, decimals: int = 2
) -> Decimal:
    """70 × mean(a, b, c) for a person who leads no one (NĐ 335, Điều 14)."""
    return results_points(
        (results.quantity, results.quality, results.timeliness),
        max_points=max_points,
        decimals=decimals,
    )


def unit_results_component(levels: Iterable[Level]) -> Decimal:
    """Leader component d: 100% if everyone managed is HTNV or better, 50% if any is KHT."""
    seen = [lv for lv in levels if lv is not Level.KXL]
    return Decimal("0.5") if any(lv is Level.KHT for lv in seen) else ONE


def leader_results_points(
    results: TaskResults,
    *,
    unit_results: Decimal,
    organising: Decimal,
    extra: Decimal | None = None,
    weights: Sequence[Decimal] | None = None,
    max_points: Decimal = RESULTS_MAX,
    decimals: int = 2,
) -> Decimal:
    """Results points of a leader from a, b, c, unit results d, organising capacity đ and an
    optional sixth component (configurable weights, equal by default)."""
    comps = [results.quantity, results.quality, results.timeliness, unit_results, organising]
    if extra is not None:
        comps.append(extra)
    return results_points(comps, weights=weights, max_points=max_points, decimals=decimals)


def total_from_parts(
    parts: Sequence[tuple[str, Decimal | int | float]],
    maxima: Sequence[tuple[str, Decimal]],
    *,
    decimals: int = 2,
) -> Decimal:
    """Sum the parts of the 100 points (30 + 70, or 20 + 70 + 10), each within its maximum."""
    limits = dict(maxima)
    total = ZERO
    seen = set()
    for name, value in parts:
        if name not in limits:
            raise ScoringError(
                f"Phần điểm '{name}' không có trong thang điểm ({', '.join(limits)})"
            )
        if name in seen:
            raise ScoringError(f"Phần điểm '{name}' bị lặp")
        seen.add(name)
        d = _dec(value, f"Phần điểm '{name}'")
        if d < 0 or d > limits[name]:
            raise ScoringError(
                f"Phần điểm '{name}' = {d} nằm ngoài khoảng 0–{vn_threshold(limits[name])}"
            )
        total += d
    return round_score(total, decimals)


def annual_mean(period_scores: Sequence[Decimal | int | float], *, decimals: int = 2) -> Decimal:
    """Annual score: the mean of the scores of the periods actually worked (NĐ 335, Điều 19,
    21); a transferred person brings the old unit's period scores along."""
    if not period_scores:
        raise ScoringError("Cần ít nhất điểm của một kỳ đã công tác để tính điểm năm")
    values = [_dec(v, f"Điểm kỳ thứ {i}") for i, v in enumerate(period_scores, 1)]
    for i, v in enumerate(values, 1):
        if v < 0 or v > 100:
            raise ScoringError(f"Điểm kỳ thứ {i} = {v} nằm ngoài khoảng 0–100")
    with localcontext() as ctx:
        ctx.prec = 28
        return round_score(sum(values, ZERO) / len(values), decimals)
