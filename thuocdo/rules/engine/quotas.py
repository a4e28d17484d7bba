"""The quota of HTXS (DESIGN §4.4): per group, the highest scores keep HTXS up to the limit,
the others are lowered to HTT with a step in their trace (ties flagged).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any

from .. import reasons as R
from ..levels import FLAG_QUOTA_TIE, FLAG_QUOTA_WARNING, FLAG_UNCONFIRMED, Level
from ..model import Decision, TraceStep
from ..ruleset import Rule

HTXS, HTT, KXL = Level.HTXS, Level.HTT, Level.KXL
_NEG_INF = Decimal("-Infinity")
# tuple.__new__ skips the Python-level NamedTuple constructor on the hot path.
_tnew = tuple.__new__


class _Quota:
    """A compiled quota rule."""

    __slots__ = (
        "base",
        "kinds",
        "outstanding",
        "outstanding_rate",
        "outstanding_warn",
        "rate",
        "rule",
        "shares",
    )

    def __init__(self, rule: Rule, p: Mapping[str, Any]) -> None:
        self.rule = rule
        self.rate: Fraction | None = p["rate"]
        self.base: str = p["base"]
        self.outstanding_rate: Fraction | None = p["outstanding_rate"]
        self.outstanding = frozenset(p["outstanding_groups"])
        self.outstanding_warn: bool = p["outstanding_warn"]
        self.shares: dict[str, Fraction] = dict(p["party_shares"])
        self.kinds = frozenset(rule.applies_to)

    def rate_of(self, group: str) -> Fraction | None:
        """The hard rate of a group: none for an outstanding group whose rate is guidance."""
        if self.outstanding_rate is not None and group in self.outstanding:
            return None if self.outstanding_warn else self.outstanding_rate
        return self.rate


def quota_limit(rate: Fraction, base: str, n_htxs: int, n_htt: int, n_classified: int) -> int:
    """Largest number of HTXS that satisfies the quota on the final counts."""
    if base == "good_and_above":
        b = n_htt + n_htxs
        return (rate.numerator * b) // rate.denominator
    if base == "good_only":
        # Moving k' people to HTT raises the base: keep k with k <= rate * (T - k).
        t = n_htt + n_htxs
        return (rate.numerator * t) // (rate.numerator + rate.denominator)
    return (rate.numerator * n_classified) // rate.denominator


_rank_of = itemgetter(2)


def _apply_quota(
    q: _Quota, groups: dict[str, list[int]], out: list[Decision], name: Callable[[str], str]
) -> list[int]:
    """Apply the quota to each group (positions in `out`), replacing in `out` the decisions
    it lowers or warns; returns the positions of those it lowered, in the order lowered.
    `name` gives the name reasons show for a group."""
    rid, src = q.rule.id, q.rule.source
    unconfirmed = not q.rule.confirmed
    render_quota = R.quota
    lowered: list[int] = []
    for g, positions in groups.items():
        # Candidates as (id, position, ranking score): no score (criteria rule-sets) ranks
        # last and ties.
        cands: list[tuple[str, int, Any]] = []
        n_htt = n_kxl = 0
        for i in positions:
            d = out[i]
            lv = d[1]
            if lv is HTXS:
                cands.append((d[0], i, _NEG_INF if d[2] is None else d[2]))
            elif lv is HTT:
                n_htt += 1
            elif lv is KXL:
                n_kxl += 1
        n_htxs = len(cands)
        if n_htxs == 0:
            continue
        n_cls = len(positions) - n_kxl
        rate = q.rate_of(g)
        if rate is None and q.outstanding_warn and g in q.outstanding:
            _warn(q, g, name(g), cands, len(positions), out)
        k = n_htxs if rate is None else quota_limit(rate, q.base, n_htxs, n_htt, n_cls)
        share = q.shares.get(g)
        k2 = k if share is None else (share.numerator * n_cls) // share.denominator
        if n_htxs <= min(k, k2):
            continue
        if share is not None and k2 < k:
            k = k2
            prefix = R.party_share_prefix(share, name(g), n_htxs, n_cls)
        else:
            assert rate is not None
            base_n = {"good_and_above": n_htt + n_htxs, "good_only": n_htt}.get(q.base, n_cls)
            prefix = R.quota_prefix(rate, name(g), n_htxs, base_n)
        # Highest score first, then by id: two stable sorts, by (id, position) (a repeated id
        # keeps the order of the group) and by score descending, instead of a key that negates
        # a Decimal for every candidate.
        cands.sort()
        cands.sort(key=_rank_of, reverse=True)
        boundary = cands[k][2]
        tie = k > 0 and cands[k - 1][2] == boundary
        kept = sum(1 for c in cands if c[2] > boundary)
        n_tied = sum(1 for c in cands if c[2] == boundary) if tie else 0
        for _, i, key in cands:
            if key > boundary:
                continue
            d = out[i]
            flags = d[4]
            if tie and key == boundary:
                st = _tnew(
                    TraceStep,
                    (rid, src, HTXS, HTT, R.quota_tie, (prefix, k, d[2], n_tied, k - kept)),
                )
                flags = tuple(sorted({*flags, FLAG_QUOTA_TIE}))
            else:
                st = _tnew(TraceStep, (rid, src, HTXS, HTT, render_quota, (prefix, k, d[2])))
            if unconfirmed and FLAG_UNCONFIRMED not in flags:
                flags = tuple(sorted({*flags, FLAG_UNCONFIRMED}))
            out[i] = _tnew(Decision, (d[0], HTT, d[2], d[3], flags, d[5] + (st,)))
            lowered.append(i)
        # The quota must hold on the final counts; anything else is a bug of the engine.
        final_htt = n_htt + (n_htxs - kept)
        holds = rate is None or _holds(rate, q.base, kept, final_htt, n_cls)
        if share is not None:
            holds = holds and kept * share.denominator <= share.numerator * n_cls
        if not (kept <= k and holds):
            raise AssertionError(f"quota broken in group {g}")  # pragma: no cover
    return lowered


def _warn(
    q: _Quota,
    g: str,
    shown: str,
    cands: list[tuple[str, int, Any]],
    n_all: int,
    out: list[Decision],
) -> None:
    """A guidance ceiling over all the group's subjects: above it, each HTXS keeps its level
    with a warning step and flag for the authority."""
    rate = q.outstanding_rate
    assert rate is not None
    limit = (rate.numerator * n_all) // rate.denominator
    if len(cands) <= limit:
        return
    rid, src = q.rule.id, q.rule.source
    facts = (rate, shown, len(cands), n_all, limit)
    for _, i, _score in cands:
        d = out[i]
        st = _tnew(TraceStep, (rid, src, HTXS, HTXS, R.quota_warning, facts))
        flags = tuple(sorted({*d[4], FLAG_QUOTA_WARNING}))
        out[i] = _tnew(Decision, (d[0], d[1], d[2], d[3], flags, d[5] + (st,)))


def _holds(rate: Fraction, base: str, n_htxs: int, n_htt: int, n_cls: int) -> bool:
    if base == "good_and_above":
        b = n_htxs + n_htt
    elif base == "good_only":
        b = n_htt
    else:
        b = n_cls
    return n_htxs * rate.denominator <= rate.numerator * b
