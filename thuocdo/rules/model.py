"""Frozen input records and the immutable decisions the engine returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from decimal import Decimal
from typing import Any, NamedTuple

from .levels import LEVEL_LABELS, Level


class RulesInputError(ValueError):
    """A batch or a rule-set was rejected; ``problems`` lists every reason in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems: list[str] = list(problems)


@dataclass(frozen=True, slots=True)
class Tasks:
    """Tasks assigned to a subject in the period; ``on_time`` counts those done on time with
    quality, ``late`` defaults to completed minus on_time."""

    assigned: int
    completed: int
    on_time: int
    exceeded: int
    late: int | None = None

    @property
    def late_count(self) -> int:
        """Tasks completed late (given, or completed minus on time)."""
        return self.late if self.late is not None else max(0, self.completed - self.on_time)


@dataclass(frozen=True, slots=True)
class Targets:
    """Targets (chỉ tiêu) assigned to a unit or a head for the period."""

    assigned: int
    met: int
    main_missed: int
    force_majeure: bool = False


@dataclass(frozen=True, slots=True)
class Subunits:
    """Subordinate units of a collective, how many of them had a violation disciplined in the
    period, and of those how many detected it themselves and remedied its consequences."""

    total: int
    disciplined: int
    self_remedied: int = 0


@dataclass(frozen=True, slots=True)
class Shortcomings:
    """The shortcomings pointed out at earlier reviews and how many have been remedied."""

    total: int
    remedied: int


@dataclass(frozen=True, slots=True)
class Discipline:
    """A disciplinary decision; ``violation`` groups decisions about one violation."""

    id: str
    form: str
    date: dt.date
    duty_related: bool | None = None
    self_remedied: bool = False
    violation: str | None = None
    counted_year: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A competent conclusion about a subject (e.g. degradation)."""

    id: str
    kind: str
    date: dt.date
    concluded: bool = True


@dataclass(frozen=True, slots=True)
class Period:
    """The period classified; ``as_at`` is the date facts are known at (default: its end)."""

    kind: str
    year: int
    number: int | None = None
    as_at: dt.date | None = None

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        if self.kind == "month":
            return dt.date(self.year, self.number or 1, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * ((self.number or 1) - 1) + 1, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        if self.kind == "month":
            m = self.number or 1
            nxt = dt.date(self.year + 1, 1, 1) if m == 12 else dt.date(self.year, m + 1, 1)
            return nxt - dt.timedelta(days=1)
        if self.kind == "quarter":
            q = self.number or 1
            nxt = dt.date(self.year + 1, 1, 1) if q == 4 else dt.date(self.year, 3 * q + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    @property
    def known_until(self) -> dt.date:
        """Last date whose facts count: the earlier of the period end and ``as_at``."""
        return min(self.end, self.as_at) if self.as_at is not None else self.end


@dataclass(frozen=True, slots=True)
class Subject:
    """One person or collective to classify; ``None`` means "not applicable". ``name`` is how
    reasons name the subject (a person's or a unit's name); without it, its id."""

    id: str
    kind: str = "individual"
    parent: str | None = None
    unit: str | None = None
    heads: str | None = None
    leads: tuple[str, ...] = ()
    group: str | None = None
    quota_group: str | None = None
    score: Decimal | None = None
    period_scores: tuple[Decimal, ...] | None = None
    parts: tuple[tuple[str, Decimal], ...] | None = None
    criteria: tuple[tuple[str, str], ...] | None = None
    tasks: Tasks | None = None
    targets: Targets | None = None
    subunits: Subunits | None = None
    leadership_disciplined: int | None = None
    disciplines: tuple[Discipline, ...] = ()
    findings: tuple[Finding, ...] = ()
    absent_months: Decimal | None = None
    maternity: bool = False
    state_level: Level | None = None
    shortcomings: Shortcomings | None = None
    name: str | None = None


_SUBJECT_DEFAULTS: list[tuple[Callable[[object, object], None], object]] = []
_SUBJECT_SETTERS: dict[str, Callable[[object, object], None]] = {}


def scored_subject(id: str, score: Decimal, quota_group: str | None = None) -> Subject:
    """An individual with a score and nothing else, built without the dataclass's __init__:
    a month close builds 200.000 of them and the generated __init__ of 24 frozen fields took
    about 10 µs each. Equal to ``Subject(id=id, score=score, quota_group=quota_group)``."""
    if not _SUBJECT_SETTERS:
        for f in fields(Subject):
            # The slot's own descriptor writes past the frozen dataclass's __setattr__.
            setter = getattr(Subject, f.name).__set__
            _SUBJECT_SETTERS[f.name] = setter
            if f.name not in ("id", "score", "quota_group"):
                factory: Any = f.default_factory
                _SUBJECT_DEFAULTS.append((setter, f.default if factory is MISSING else factory()))
    subject: Subject = object.__new__(Subject)
    for setter, default in _SUBJECT_DEFAULTS:
        setter(subject, default)
    set_ = _SUBJECT_SETTERS
    set_["id"](subject, id)
    set_["score"](subject, score)
    set_["quota_group"](subject, quota_group)
    return subject


def _no_reason() -> str:
    return ""


class TraceStep(NamedTuple):
    """One step of a decision: the rule, its source, the level before and after, and the
    facts; the Vietnamese reason is rendered from them on demand (cheap to build)."""

    rule: str
    source: str
    from_level: Level | None
    to_level: Level | None
    render: Callable[..., str] = _no_reason
    facts: tuple[object, ...] = ()

    @property
    def reason(self) -> str:
        """The Vietnamese reason naming the facts."""
        return self.render(*self.facts)


class Decision(NamedTuple):
    """The engine's proposal for one subject, with the full trace."""

    id: str
    level: Level
    score: Decimal | None
    score_level: Level | None
    flags: tuple[str, ...]
    trace: tuple[TraceStep, ...]

    @property
    def level_label(self) -> str:
        """Vietnamese name of the level."""
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Decisions of a batch, sorted by subject id, and the count per level; `unconfirmed`
    holds the ids of the rule-set's rules whose legal basis is not confirmed."""

    ruleset: str
    decisions: tuple[Decision, ...]
    by_level: tuple[tuple[Level, int], ...]
    unconfirmed: frozenset[str] = frozenset()

    def decision(self, subject_id: str) -> Decision:
        """The decision of one subject (KeyError if absent)."""
        for d in self.decisions:
            if d.id == subject_id:
                return d
        raise KeyError(subject_id)
