"""Decisions stored as facts: a trace step kept as its rule, levels, renderer and facts (plain
JSON, a few dozen bytes), and rendered into the Vietnamese reason only when someone reads it.

A city's month close stores 200.000 traces; rendering every reason at the close and storing
its sentence made most of the bytes written. `step_facts` and `steps_render` are inverse:
``steps_render([step_facts(s)], ...)`` gives what `decision_json` gives for the same step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import reasons
from .model import TraceStep
from .ruleset import RuleSet

Stored = list[Any]


def _encode(value: object) -> Any:
    """A fact as JSON: numbers and dates keep their exact value behind a one-letter tag."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, Fraction):
        return {"f": [value.numerator, value.denominator]}
    if isinstance(value, dt.date):
        return {"t": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    raise TypeError(f"a trace fact of type {type(value).__name__} cannot be stored")


def _decode(value: Any) -> object:
    if isinstance(value, dict):
        if "d" in value:
            return Decimal(value["d"])
        if "f" in value:
            return Fraction(*value["f"])
        return dt.date.fromisoformat(value["t"])
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    return value


def step_facts(step: TraceStep) -> Stored:
    """One trace step as [rule, from, to, renderer, facts]."""
    return [
        step.rule,
        step.from_level.name if step.from_level is not None else None,
        step.to_level.name if step.to_level is not None else None,
        step.render.__name__,
        _encode(step.facts),
    ]


def trace_facts(trace: Iterable[TraceStep]) -> list[Stored]:
    """A decision's trace as facts."""
    return [step_facts(step) for step in trace]


def steps_render(stored: Sequence[Any], ruleset: RuleSet) -> list[dict[str, Any]]:
    """Stored steps in the shape of `decision_json`'s trace, reasons in Vietnamese. Steps
    stored before facts (a dict with its sentence) are returned as they are."""
    sources: Mapping[str, str] = {rule.id: rule.source for rule in ruleset.rules}
    confirmed = {rule.id: rule.confirmed for rule in ruleset.rules}
    shown = []
    for step in stored:
        if isinstance(step, dict):
            shown.append(step)
            continue
        rule, before, after, renderer, facts = step
        render = getattr(reasons, renderer)
        decoded = _decode(facts)
        assert isinstance(decoded, tuple)
        shown.append(
            {
                "rule": rule,
                "source": sources.get(rule, ""),
                "from": before,
                "to": after,
                "reason": render(*decoded),
                "confirmed": confirmed.get(rule, True),
            }
        )
    return shown
