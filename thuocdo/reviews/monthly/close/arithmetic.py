"""The month close's arithmetic in integers, the facts it stores, and the levels from the
engine's native path."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from thuocdo.reviews.models import Period
from thuocdo.reviews.monthly.close.reading import Given, Work, hundredths
from thuocdo.reviews.monthly.scoring import Scale
from thuocdo.rules import Period as RulesPeriod
from thuocdo.rules import (
    TaskResults,
    classify,
    compile_ruleset,
    leader_results_points,
    load_ruleset,
    results_points,
)
from thuocdo.rules.model import scored_subject

FACTS_VERSION = 2


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
