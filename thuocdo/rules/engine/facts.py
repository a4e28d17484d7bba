"""What the checks of a batch read: the batch context, and the facts of each check kind that
let the run skip the checks that cannot speak for a subject (most subjects have no fact at all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from ..levels import Level
from ..model import Decision, Period, Subject, TraceStep


class _Ctx:
    """What the checks of one batch may read besides the subject itself."""

    __slots__ = ("by_id", "children", "group_names", "levels", "period", "start", "until", "year")

    def __init__(
        self, period: Period, by_id: dict[str, Subject], children: dict[str, list[str]]
    ) -> None:
        self.period = period
        self.start = period.start
        self.until = period.known_until
        self.year = period.year
        self.by_id = by_id
        self.levels: dict[str, Level] = {}
        self.children = children
        self.group_names: dict[str, str] = {}

    def name(self, subject_id: str) -> str:
        """How reasons name a subject: the name the caller gave it, else its id (which the
        caller typed)."""
        s = self.by_id.get(subject_id)
        return s.name if s is not None and s.name else subject_id

    def group_name(self, group: str) -> str:
        """How reasons name a quota group: the name the caller gave it, else its id."""
        return self.group_names.get(group, group)


Check = Callable[[Subject, Level, _Ctx], "TraceStep | None"]
GuardedCheck = tuple[Callable[[Subject], Any] | None, int, Check]
# One pass over the subjects of a kind: (subjects, kind, ctx, out, grouped) -> the positions
# in `out` of the decisions of each quota group.
Run = Callable[[Iterable[Subject], str, _Ctx, list[Decision], bool], dict[str, list[int]]]

# The facts each kind of check reads before it can say anything: with all of them absent
# (None, or an empty tuple) the check returns None whatever the level.
_FACTS_READ: dict[str, tuple[str, ...]] = {
    "task_condition": ("tasks",),
    "subunits_condition": ("subunits", "leadership_disciplined"),
    "leader_units_condition": ("heads", "leads"),
    "shortcomings_condition": ("shortcomings",),
    "state_level_condition": ("state_level",),
    "discipline_veto": ("disciplines",),
    "subunits_discipline_veto": ("subunits",),
    "finding_veto": ("findings",),
    "led_unit_finding_veto": ("heads", "leads"),
    "targets_veto": ("targets", "heads"),
    "state_level_cap": ("state_level",),
    "state_level_veto": ("state_level",),
    "absence": ("absent_months",),
    "head_cap": ("heads",),
}
# The absent value of each fact. In this order: comparing a present str, tuple, int or level
# with its absent value stays in C, comparing a Decimal or a dataclass record with None runs
# Python-level code, so these come last (a comparison stops at the first difference).
_ABSENT: dict[str, object] = {
    "heads": None,
    "leads": (),
    "disciplines": (),
    "findings": (),
    "state_level": None,
    "leadership_disciplined": None,
    "absent_months": None,
    "tasks": None,
    "targets": None,
    "subunits": None,
    "shortcomings": None,
}


class _Facts:
    """The facts the checks of one subject kind read, to run only the checks that can speak.

    Most subjects have none of these facts: for them no check can say anything and the
    decision is the base level alone. `read(s)` reads the kind and the facts in one C-level
    call; a subject of this kind without any fact reads as `absent` (equal, not identical:
    the kind may be another str object). For the others, the checks to run depend only on
    which facts are present, `tuple(map(is_not, values, absent))`, and each such pattern
    selects its checks once (file order kept) into `selected`.

    A fact counts as present unless it *is* the absent value: anything else (an empty list,
    say) keeps its check, which then decides as it always would.
    """

    __slots__ = ("_reads", "absent", "checks", "read", "selected")

    def __init__(self, kind: str, rule_kinds: Sequence[str], checks: tuple[GuardedCheck, ...]):
        names = [n for n in _ABSENT if any(n in _FACTS_READ[k] for k in rule_kinds)]
        # attrgetter with one name returns the bare value, not a tuple; a kind without checks
        # reads one fact anyway (with no check to select, both paths decide the same).
        names = names or ["heads"]
        self.read: Callable[[Subject], tuple[object, ...]] = attrgetter("kind", *names)
        self.absent: tuple[object, ...] = (kind, *(_ABSENT[n] for n in names))
        self.checks = checks
        # Positions in read(s) of the facts of each check (0 is the kind).
        self._reads = tuple(tuple(1 + names.index(n) for n in _FACTS_READ[k]) for k in rule_kinds)
        self.selected: dict[tuple[bool, ...], tuple[GuardedCheck, ...]] = {}

    def select(self, present: tuple[bool, ...]) -> tuple[GuardedCheck, ...]:
        """The checks that can speak when these facts are present (the first flag, the
        kind's, selects nothing), kept in `selected`."""
        checks = tuple(
            c
            for c, reads in zip(self.checks, self._reads, strict=True)
            if any(present[i] for i in reads)
        )
        # A race between threads only computes the same tuple twice.
        self.selected[present] = checks
        return checks


# Checks that say nothing when a subject lacks one fact: a C-level attribute test skips the
# Python call for the many subjects without it (each check also tests the fact itself).
_GUARDS: dict[str, Callable[[Subject], Any]] = {
    "discipline_veto": attrgetter("disciplines"),
    "finding_veto": attrgetter("findings"),
    "state_level_cap": attrgetter("state_level"),  # KXL (0) is skipped by the check as well
    "state_level_condition": attrgetter("state_level"),
    "state_level_veto": attrgetter("state_level"),
    "head_cap": attrgetter("heads"),
}
