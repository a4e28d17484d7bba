"""A rule-set compiled once into closures, and the hot loop that runs them on every subject.

Each subject's own steps run in a fixed order: base level (score band or criteria),
conditions of the levels (best first), vetoes and caps (file order), absence, head cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from operator import is_not
from typing import Any

from .. import reasons as R
from ..levels import COLLECTIVE, FLAG_UNCONFIRMED, INDIVIDUAL, RATINGS, Level
from ..model import Decision, RulesInputError, Subject, TraceStep
from ..ruleset import Rule, RuleSet, resolve_params
from ..scoring import annual_mean, total_from_parts
from .conditions import (
    _leader_units_condition,
    _shortcomings_condition,
    _state_level_condition,
    _subunits_condition,
    _task_condition,
)
from .facts import _GUARDS, Check, GuardedCheck, Run, _Ctx, _Facts
from .quotas import _Quota
from .vetoes import (
    _absence,
    _discipline_veto,
    _finding_veto,
    _head_cap,
    _led_unit_finding_veto,
    _state_level_cap,
    _state_level_veto,
    _subunits_discipline_veto,
    _targets_veto,
)

HTXS, HTT, HTNV, KHT = Level.HTXS, Level.HTT, Level.HTNV, Level.KHT
_EMPTY: tuple[str, ...] = ()
# tuple.__new__ skips the Python-level NamedTuple constructor on the hot path.
_tnew = tuple.__new__


class CompiledRuleSet:
    """A rule-set with its options resolved, ready to classify many batches."""

    def __init__(self, ruleset: RuleSet, options: Mapping[str, Any]) -> None:
        self.ruleset = ruleset
        self.options = dict(options)
        self.id = ruleset.id
        self.scale = ruleset.scale
        self.unconfirmed = frozenset(r.id for r in ruleset.rules if not r.confirmed)
        self.checks: dict[str, tuple[GuardedCheck, ...]] = {}
        self.facts: dict[str, _Facts] = {}
        self.quota: _Quota | None = None
        self.bands: tuple[tuple[Level, Decimal], ...] = ()
        self.band_rule: Rule | None = None
        self.criteria_rule: Rule | None = None
        self.criteria_groups: tuple[tuple[str, str], ...] = ()
        self.criteria_results: frozenset[str] = frozenset()
        self.criteria_req: tuple[tuple[Level, int, int], ...] = ()
        self.criteria_not_met = RATINGS["kem"]
        self.criteria_htnv_max: Fraction | None = None
        self.criteria_kht_over: Fraction | None = None
        self.parts_rule: Rule | None = None
        self.parts: tuple[tuple[str, str, Decimal], ...] = ()
        self.parts_decimals = 2
        self.mean_rule: Rule | None = None
        self.mean_decimals = 2
        self.requires_duty_related = False
        self.has_head_cap = False
        self._band_id = ""
        self._band_src = ""
        problems: list[str] = []
        staged: list[tuple[int, int, Rule, Check]] = []
        for pos, rule in enumerate(ruleset.rules):
            prm, errs = resolve_params(rule, self.options)
            if errs:
                problems.extend(errs)
                continue
            self._compile(rule, prm, pos, staged)
        if problems:
            raise RulesInputError(problems)
        for kind in (INDIVIDUAL, COLLECTIVE):
            ordered = sorted(
                (s for s in staged if kind in s[2].applies_to), key=lambda s: (s[0], s[1])
            )
            # Conditions (stages below 20) concern one level and above: a subject already below
            # it is skipped without a call; other checks have a fact guard where one is known.
            self.checks[kind] = tuple(
                (_GUARDS.get(s[2].kind), 10 - s[0] if s[0] < 20 else 0, s[3]) for s in ordered
            )
            self.facts[kind] = _Facts(kind, [s[2].kind for s in ordered], self.checks[kind])
        self.prepare()

    # Stage numbers order the checks: conditions (best level first), vetoes, absence, head.
    def _compile(
        self, rule: Rule, p: Mapping[str, Any], pos: int, staged: list[tuple[int, int, Rule, Check]]
    ) -> None:
        k = rule.kind
        if k == "score_band":
            self.band_rule, self.bands = rule, p["bands"]
        elif k == "criteria_rating":
            self.criteria_rule = rule
            self.criteria_groups = p["groups"]
            self.criteria_results = frozenset(p["results_groups"])
            self.criteria_req = p["requirements"]
            self.criteria_not_met = p["not_met_rating"]
            self.criteria_htnv_max = p["htnv_max_not_met"]
            self.criteria_kht_over = p["kht_over_not_met"]
        elif k == "score_parts":
            self.parts_rule, self.parts, self.parts_decimals = rule, p["parts"], p["decimals"]
        elif k == "score_mean":
            self.mean_rule, self.mean_decimals = rule, p["decimals"]
        elif k == "quota":
            self.quota = _Quota(rule, p)
        elif k == "task_condition":
            staged.append((10 - int(p["level"]), pos, rule, _task_condition(rule, p)))
        elif k == "subunits_condition":
            staged.append((10 - int(p["level"]), pos, rule, _subunits_condition(rule, p)))
        elif k == "leader_units_condition":
            staged.append((10 - int(p["level"]), pos, rule, _leader_units_condition(rule, p)))
        elif k == "shortcomings_condition":
            staged.append((10 - int(p["level"]), pos, rule, _shortcomings_condition(rule, p)))
        elif k == "state_level_condition":
            staged.append((10 - int(p["level"]), pos, rule, _state_level_condition(rule, p)))
        elif k == "discipline_veto":
            self.requires_duty_related |= bool(p["require_duty_related"])
            staged.append((20, pos, rule, _discipline_veto(rule, p)))
        elif k == "subunits_discipline_veto":
            staged.append((20, pos, rule, _subunits_discipline_veto(rule, p)))
        elif k == "finding_veto":
            staged.append((20, pos, rule, _finding_veto(rule, p)))
        elif k == "led_unit_finding_veto":
            staged.append((20, pos, rule, _led_unit_finding_veto(rule, p)))
        elif k == "targets_veto":
            staged.append((20, pos, rule, _targets_veto(rule, p)))
        elif k == "state_level_cap":
            staged.append((20, pos, rule, _state_level_cap(rule)))
        elif k == "state_level_veto":
            staged.append((20, pos, rule, _state_level_veto(rule, p)))
        elif k == "absence":
            staged.append((30, pos, rule, _absence(rule, p)))
        elif k == "head_cap":
            # An option may switch it off (NĐ 335, NĐ 90: the Party's principle, not the
            # decree's; DESIGN §4.7.3).
            if p["enabled"]:
                self.has_head_cap = True
                staged.append((40, pos, rule, _head_cap(rule)))
        else:  # pragma: no cover - the loader rejects unknown kinds
            raise AssertionError(k)

    # -- the base level ------------------------------------------------------------------

    def _derived_score(self, s: Subject) -> Decimal | None:
        """Score given, or the mean of the periods, or the sum of the parts (the trace holds
        only steps that set or change a level, as in DESIGN §5)."""
        if s.period_scores is not None and self.mean_rule is not None:
            return annual_mean(s.period_scores, decimals=self.mean_decimals)
        if s.parts is not None and self.parts_rule is not None:
            return total_from_parts(
                s.parts, [(n, m) for n, _, m in self.parts], decimals=self.parts_decimals
            )
        return None

    def _criteria(self, s: Subject) -> tuple[Level, TraceStep]:
        assert self.criteria_rule is not None and s.criteria is not None
        ratings = dict(s.criteria)
        results = [
            RATINGS[ratings[g]] for g, _ in self.criteria_groups if g in self.criteria_results
        ]
        others = [
            RATINGS[ratings[g]] for g, _ in self.criteria_groups if g not in self.criteria_results
        ]
        r = self.criteria_rule
        items = tuple((label, ratings[g]) for g, label in self.criteria_groups)
        by_share = self.criteria_htnv_max is not None or self.criteria_kht_over is not None
        if not by_share:
            level = KHT
            if min(results + others) > RATINGS["kem"]:
                level = self._criteria_level(results, others, with_htnv=True)
            return level, TraceStep(r.id, r.source, None, level, R.criteria, (level.name, items))
        # NĐ 90 Điều 14, 15: by the share of criteria not met.
        n = len(results) + len(others)
        failed = sum(1 for x in results + others if x <= self.criteria_not_met)
        share = Fraction(failed, n) if n else Fraction(0)
        kht_over, htnv_max = self.criteria_kht_over, self.criteria_htnv_max
        level = self._criteria_level(results, others, with_htnv=False)
        if kht_over is not None and share > kht_over:
            level = KHT
        elif level is KHT and (htnv_max is None or share <= htnv_max):
            level = HTNV
        shown = (failed, n, htnv_max, kht_over)
        return level, TraceStep(
            r.id, r.source, None, level, R.criteria_share, (level.name, items, *shown)
        )

    def _criteria_level(self, results: list[int], others: list[int], *, with_htnv: bool) -> Level:
        """The best level whose minimum ratings hold (HTNV's only `with_htnv`), else KHT."""
        for lv, need_results, need_others in self.criteria_req:
            if lv is HTNV and not with_htnv:
                continue
            if all(x >= need_results for x in results) and all(x >= need_others for x in others):
                return lv
        return KHT

    def prepare(self) -> None:
        """Build the hot-path loop once, with everything it reads bound to locals."""
        self.run = self._make_run()

    def _make_run(self) -> Run:
        criteria = self.criteria_rule is not None
        unconfirmed = self.unconfirmed
        derived = self._derived_score
        rate_criteria = self._criteria
        facts_by_kind = self.facts
        band_id = self.band_rule.id if self.band_rule is not None else ""
        band_src = self.band_rule.source if self.band_rule is not None else ""
        (l1, t1), (l2, t2), (l3, t3) = self.bands or (
            (HTXS, Decimal(0)),
            (HTT, Decimal(0)),
            (HTNV, Decimal(0)),
        )
        render_band = R.band
        empty = _EMPTY
        unconfirmed_flag = (FLAG_UNCONFIRMED,)

        def apply_checks(
            s: Subject,
            score: Decimal | None,
            level: Level,
            first: TraceStep,
            ctx: _Ctx,
            facts: _Facts,
            values: tuple[object, ...],
        ) -> Decision:
            """The checks that can speak for a subject whose facts `read` as `values`, in
            order, after the base level (`first` set it)."""
            present = tuple(map(is_not, values, facts.absent))
            checks = facts.selected.get(present)
            if checks is None:
                checks = facts.select(present)
            score_level = level
            steps: list[TraceStep] | None = None
            flags = empty
            for guard, min_level, check in checks:
                if level < min_level or (guard is not None and not guard(s)):
                    continue
                st = check(s, level, ctx)
                if st is not None:
                    if steps is None:
                        steps = [first]
                    steps.append(st)
                    if st[3] is not level and st[0] in unconfirmed:
                        flags = unconfirmed_flag
                    level = st[3]  # type: ignore[assignment]  # checks always set to_level
            trace = (first,) if steps is None else tuple(steps)
            return _tnew(Decision, (s.id, level, score, score_level, flags, trace))

        def run(
            subjects: Iterable[Subject],
            kind: str,
            ctx: _Ctx,
            out: list[Decision],
            grouped: bool,
        ) -> dict[str, list[int]]:
            """Classify the subjects of `kind` before the quota, appending to `out` in their
            order; subjects of the other kind are passed over (an unknown kind counts as an
            individual). Returns the positions in `out` by quota group if `grouped`."""
            facts = facts_by_kind[kind]
            read, absent = facts.read, facts.absent
            other = COLLECTIVE if kind == INDIVIDUAL else None
            groups: dict[str, list[int]] = {}
            append = out.append
            pos = len(out)
            for s in subjects:
                # One C-level read and comparison tells a subject without any fact a check
                # reads (the many) from the others, and an individual from a collective.
                values = read(s)
                plain = values == absent
                if not plain and s.kind == other:
                    continue
                score = s.score
                if score is None:
                    score = derived(s)
                if criteria:
                    level, first = rate_criteria(s)
                else:
                    assert score is not None
                    facts_band: tuple[object, ...]
                    if score >= t1:
                        level, facts_band = l1, (score, t1, None)
                    elif score >= t2:
                        level, facts_band = l2, (score, t2, t1)
                    elif score >= t3:
                        level, facts_band = l3, (score, t3, t2)
                    else:
                        level, facts_band = KHT, (score, None, t3)
                    first = _tnew(
                        TraceStep, (band_id, band_src, None, level, render_band, facts_band)
                    )
                if plain:
                    d = _tnew(Decision, (s.id, level, score, level, empty, (first,)))
                else:
                    d = apply_checks(s, score, level, first, ctx, facts, values)
                append(d)
                if grouped:
                    g = s.quota_group
                    if g is not None:
                        lst = groups.get(g)
                        if lst is None:
                            groups[g] = [pos]
                        else:
                            lst.append(pos)
                pos += 1
            return groups

        return run


def compile_ruleset(ruleset: RuleSet, options: Mapping[str, Any] | None = None) -> CompiledRuleSet:
    """Resolve per-batch option overrides and compile; raises RulesInputError."""
    merged = ruleset.option_defaults()
    problems = []
    for name, value in sorted((options or {}).items()):
        if name not in merged:
            problems.append(
                f"Tùy chọn '{name}' không có trong bộ quy tắc {ruleset.id}; các tùy chọn: "
                f"{', '.join(sorted(merged)) or '(không có)'}"
            )
        else:
            merged[name] = value
    if problems:
        raise RulesInputError(problems)
    return CompiledRuleSet(ruleset, merged)
