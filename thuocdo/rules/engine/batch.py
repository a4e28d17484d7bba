"""Batch classification (DESIGN §4.4): collectives first, the lower before the higher, their
quota applied; then individuals (heads capped by their unit's final level), then their quota.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

from ..levels import COLLECTIVE, INDIVIDUAL, LEVELS_BEST_FIRST
from ..model import BatchResult, Decision, Period, RulesInputError, Subject
from .compiled import CompiledRuleSet
from .facts import _Ctx
from .quotas import _apply_quota
from .validation import _batch_problems

_id_of = itemgetter(0)
_level_of = itemgetter(1)


def _depths(collectives: Iterable[Subject], by_id: Mapping[str, Subject]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for s in collectives:
        chain = []
        cur: Subject | None = s
        while cur is not None and cur.id not in depth:
            chain.append(cur.id)
            cur = by_id.get(cur.parent) if cur.parent is not None else None
        d = depth[cur.id] if cur is not None else -1
        for cid in reversed(chain):
            d += 1
            depth[cid] = d
    return depth


def classify(
    subjects: Sequence[Subject],
    compiled: CompiledRuleSet,
    period: Period,
    *,
    validate: bool = True,
    group_names: Mapping[str, str] | None = None,
) -> BatchResult:
    """Classify a batch; raises RulesInputError listing every problem of a bad batch.
    `group_names` names the quota groups in the reasons (else their ids)."""
    # A batch allocates millions of small acyclic tuples; the cyclic garbage collector would
    # only rescan them. It is paused for the batch and restored as it was.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _classify(subjects, compiled, period, validate=validate, names=group_names)
    finally:
        if was_enabled:
            gc.enable()


def _classify(
    subjects: Sequence[Subject],
    compiled: CompiledRuleSet,
    period: Period,
    *,
    validate: bool,
    names: Mapping[str, str] | None,
) -> BatchResult:
    """The batch classification proper (see `classify`)."""
    by_id = {s.id: s for s in subjects}
    if validate:
        problems = _batch_problems(subjects, compiled, period, by_id, ())
        if problems:
            raise RulesInputError(problems)
    collectives = [s for s in subjects if s.kind == COLLECTIVE]
    depth = _depths(collectives, by_id)
    children: dict[str, list[str]] = {}
    for s in collectives:
        if s.parent is not None and s.parent in by_id:
            children.setdefault(s.parent, []).append(s.id)
    for v in children.values():
        v.sort()
    ctx = _Ctx(period, by_id, children)
    if names:
        ctx.group_names.update(names)
    name = ctx.group_name
    quota = compiled.quota
    run = compiled.run

    # Collectives: the lower before the higher, then their quota. Decisions by id as if each
    # had been written into one dict when made: with a repeated id (possible only without
    # validation) the later wins, and a decision the quota lowered wins over all made before.
    qc = quota is not None and COLLECTIVE in quota.kinds
    ranked = sorted(collectives, key=lambda s: (-depth[s.id], s.id))
    out: list[Decision] = []
    groups = run(ranked, COLLECTIVE, ctx, out, qc)
    lowered = _apply_quota(quota, groups, out, name) if quota is not None and groups else []
    decisions = dict(zip(map(_id_of, out), out, strict=True))
    decisions.update((out[i][0], out[i]) for i in lowered)
    levels = ctx.levels
    for s in collectives:
        levels[s.id] = decisions[s.id].level

    # Individuals: heads capped by their unit's final level, then the quota. Their decisions
    # stay in a list, the quota replacing the ones it lowers in place: filling or even reading
    # a dict keyed by a million ids (random memory access) costs as much as classifying them.
    qi = quota is not None and INDIVIDUAL in quota.kinds
    out = []
    groups = run(subjects, INDIVIDUAL, ctx, out, qi)
    lowered = _apply_quota(quota, groups, out, name) if quota is not None and groups else []

    # sorted() and map() with C-level callables: a million decisions are ordered and counted
    # without a Python-level loop.
    if len(by_id) == len(subjects):
        ordered = sorted([*decisions.values(), *out], key=_id_of)
    else:
        # Repeated ids (only without validation): one decision per id, as for collectives.
        decisions.update(zip(map(_id_of, out), out, strict=True))
        decisions.update((out[i][0], out[i]) for i in lowered)
        ordered = list(map(decisions.__getitem__, sorted(decisions)))
    counts = Counter(map(_level_of, ordered))
    return BatchResult(
        compiled.id,
        tuple(ordered),
        tuple((lv, counts[lv]) for lv in LEVELS_BEST_FIRST),
        compiled.unconfirmed,
    )


def summary_counts(result: BatchResult) -> dict[str, int]:
    """Counts per level name, best first, for the JSON summary."""
    return {lv.name: n for lv, n in result.by_level}
