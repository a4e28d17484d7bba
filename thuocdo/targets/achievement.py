"""Achievement of targets: the pure arithmetic of evaluation by products (no Django import).

More is better: achievement = actual / target (2.100 / 2.000 = 105%).
Less is better (incidents, poverty rate...): achievement = target / actual, so that halving the
incidents allowed doubles the achievement. Zeros, which a ratio cannot take:
- more is better with a target of 0 is refused when the indicator is saved (nothing to measure);
- less is better with an actual of 0: against a positive target it is the best possible result,
  "unbounded"; it is met and counts at the ceiling in the weighted total; against a target of 0
  it is exactly 100%;
- less is better with a target of 0 and a positive actual: 0% (any occurrence misses it).
An indicator is met at 100% or more. The weighted total caps each indicator at a configurable
ceiling (120% by default) so that one spectacular result cannot hide missed ones; the figure
shown for each indicator is never capped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MORE = "more"
LESS = "less"
HUNDRED = Decimal(100)
DEFAULT_CEILING = Decimal(120)
# DESIGN §4.4 (Quy định 366-QĐ/TW, 124-QĐ/TW): a collective that completed under half of its
# targets with main targets missed is KHT, and so is its head.
VETO_MET_SHARE = Decimal("0.5")
# Issue 8: heads whose units meet under 70% of their targets are reviewed for replacement.
REVIEW_MET_SHARE = Decimal("0.7")


@dataclass(frozen=True)
class Achievement:
    """How far one indicator got: the uncapped percentage (None if not measured or unbounded)."""

    pct: Decimal | None
    measured: bool
    unbounded: bool = False

    @property
    def met(self) -> bool:
        """Met at 100% or more; an unbounded result (0 incidents) is met."""
        return self.unbounded or (self.pct is not None and self.pct >= HUNDRED)

    def capped(self, ceiling: Decimal) -> Decimal:
        """The percentage counted in the weighted total: at most the ceiling, 0 if not measured."""
        if self.unbounded:
            return ceiling
        if self.pct is None:
            return Decimal(0)
        return min(self.pct, ceiling)


def achievement(target: Decimal, actual: Decimal | None, direction: str) -> Achievement:
    """The achievement of an actual against a target in a direction (MORE or LESS)."""
    if actual is None:
        return Achievement(pct=None, measured=False)
    if direction == MORE:
        if target <= 0:
            raise ValueError("Chỉ tiêu «càng cao càng tốt» phải lớn hơn 0.")
        return Achievement(pct=actual / target * HUNDRED, measured=True)
    if direction != LESS:
        raise ValueError(f"Chiều chỉ tiêu không hợp lệ: {direction!r}.")
    if actual == 0:
        if target == 0:
            return Achievement(pct=HUNDRED, measured=True)
        return Achievement(pct=None, measured=True, unbounded=True)
    return Achievement(pct=max(target, Decimal(0)) / actual * HUNDRED, measured=True)


@dataclass(frozen=True)
class Scored:
    """One indicator as the summary needs it."""

    weight: Decimal
    is_main: bool
    force_majeure: bool
    result: Achievement


@dataclass(frozen=True)
class Counts:
    """Counts and weighted achievement of a set of indicators."""

    assigned: int
    met: int
    measured: int
    main_missed: int
    main_missed_force_majeure: int
    force_majeure: bool
    achievement_pct: Decimal | None


def _under(met: int, assigned: int, share: Decimal) -> bool:
    """True when met / assigned < share (exact, no rounding)."""
    return assigned > 0 and Decimal(met) < share * assigned


def count(items: Sequence[Scored], ceiling: Decimal = DEFAULT_CEILING) -> Counts:
    """Met and main-missed counts and the weighted achievement (unmeasured indicators count 0).

    A main target missed for a recorded force majeure is set aside (DESIGN §4.4): it is not
    counted in `main_missed`, and `force_majeure` says that setting it aside is what lifted
    the veto, so the engine's trace can say so.
    """
    met = sum(1 for s in items if s.result.met)
    main_missed_all = [s for s in items if s.is_main and not s.result.met]
    main_missed = sum(1 for s in main_missed_all if not s.force_majeure)
    excused = len(main_missed_all) - main_missed
    under = _under(met, len(items), VETO_MET_SHARE)
    total_weight = sum((s.weight for s in items), Decimal(0))
    pct = (
        sum((s.weight * s.result.capped(ceiling) for s in items), Decimal(0)) / total_weight
        if total_weight > 0
        else None
    )
    return Counts(
        assigned=len(items),
        met=met,
        measured=sum(1 for s in items if s.result.measured),
        main_missed=main_missed,
        main_missed_force_majeure=excused,
        force_majeure=under and excused > 0 and main_missed == 0,
        achievement_pct=pct,
    )


def veto_applies(met: int, assigned: int, main_missed: int) -> bool:
    """Under 50% of the targets met with a main target missed: KHT for the unit and its head."""
    return main_missed > 0 and _under(met, assigned, VETO_MET_SHARE)


def review_signal(met: int, assigned: int) -> bool:
    """Under 70% of the targets met: a signal to review the head for replacement (issue 8)."""
    return _under(met, assigned, REVIEW_MET_SHARE)


def rounded(pct: Decimal, places: int = 1) -> Decimal:
    """A percentage rounded half up for display (104,95 -> 105,0)."""
    return pct.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
