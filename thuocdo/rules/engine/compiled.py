"""Batch classification: compile a rule-set once into closures, then run every subject.

Order of work (DESIGN §4.4): collectives first, the lower ones before the higher, their
quota applied; then individuals (heads capped by their unit's final level); then the
individuals' quota. Each subject's own steps run in a fixed order: base level (score band
or criteria), conditions of the levels (best first), vetoes and caps (file order),
absence, head cap. The result does not depend on the order of the input: decisions are
sorted by id and every grouping is sorted.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter, is_not, itemgetter
from typing import Any

from .. import reasons as R
from ..levels import (
    COLLECTIVE,
    DISCIPLINE_FORMS,
    FLAG_QUOTA_TIE,
    FLAG_UNCONFIRMED,
    INDIVIDUAL,
    LEVELS_BEST_FIRST,
    RATINGS,
    Level,
)
from ..model import BatchResult, Decision, Period, RulesInputError, Subject, TraceStep
from ..ruleset import Rule, RuleSet, resolve_params
from ..scoring import annual_mean, total_from_parts

HTXS, HTT, HTNV, KHT, KXL = Level.HTXS, Level.HTT, Level.HTNV, Level.KHT, Level.KXL
_NEG_INF = Decimal("-Infinity")
_EMPTY: tuple[str, ...] = ()
# tuple.__new__ skips the Python-level NamedTuple constructor on the hot path.
_tnew = tuple.__new__


class _Ctx:
    """What the checks of one batch may read besides the subject itself."""

    __slots__ = ("by_id", "children", "levels", "period", "start", "until", "year")

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
    "discipline_veto": ("disciplines",),
    "subunits_discipline_veto": ("subunits",),
    "finding_veto": ("findings",),
    "targets_veto": ("targets", "heads"),
    "state_level_cap": ("state_level",),
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


class _Quota:
    """A compiled quota rule."""

    __slots__ = ("base", "kinds", "outstanding", "outstanding_rate", "rate", "rule", "shares")

    def __init__(self, rule: Rule, p: Mapping[str, Any]) -> None:
        self.rule = rule
        self.rate: Fraction = p["rate"]
        self.base: str = p["base"]
        self.outstanding_rate: Fraction | None = p["outstanding_rate"]
        self.outstanding = frozenset(p["outstanding_groups"])
        self.shares: dict[str, Fraction] = dict(p["party_shares"])
        self.kinds = frozenset(rule.applies_to)


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
        elif k == "discipline_veto":
            self.requires_duty_related |= bool(p["require_duty_related"])
            staged.append((20, pos, rule, _discipline_veto(rule, p)))
        elif k == "subunits_discipline_veto":
            staged.append((20, pos, rule, _subunits_discipline_veto(rule, p)))
        elif k == "finding_veto":
            staged.append((20, pos, rule, _finding_veto(rule, p)))
        elif k == "targets_veto":
            staged.append((20, pos, rule, _targets_veto(rule, p)))
        elif k == "state_level_cap":
            staged.append((20, pos, rule, _state_level_cap(rule)))
        elif k == "absence":
            staged.append((30, pos, rule, _absence(rule, p)))
        elif k == "head_cap":
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
        level = KHT
        if min(results + others) > RATINGS["kem"]:
            for lv, need_results, need_others in self.criteria_req:
                if all(x >= need_results for x in results) and all(
                    x >= need_others for x in others
                ):
                    level = lv
                    break
        r = self.criteria_rule
        items = tuple((label, ratings[g]) for g, label in self.criteria_groups)
        return level, TraceStep(r.id, r.source, None, level, R.criteria, (level.name, items))

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


# -- checks ----------------------------------------------------------------------------------
# Each returns None (nothing to say) or a TraceStep whose to_level is the new level. A cap
# whose subject is already at or below it returns a step with from == to, so the authority
# still sees the fact.


# Checks that say nothing when a subject lacks one fact: a C-level attribute test skips the
# Python call for the many subjects without it (each check also tests the fact itself).
_GUARDS: dict[str, Callable[[Subject], Any]] = {
    "discipline_veto": attrgetter("disciplines"),
    "finding_veto": attrgetter("findings"),
    "state_level_cap": attrgetter("state_level"),  # KXL (0) is skipped by the check as well
    "head_cap": attrgetter("heads"),
}


def _frac_ge(n: int, d: int, f: Fraction) -> bool:
    return n * f.denominator >= f.numerator * d


# The task limits in the order they are reported: parameter, Tasks attribute, what it counts,
# and whether the limit is a minimum (else a maximum).
_TASK_LIMITS = (
    ("min_completed", "completed", "nhiệm vụ hoàn thành", True),
    ("min_on_time", "on_time", "nhiệm vụ hoàn thành đúng hạn, bảo đảm chất lượng", True),
    ("min_exceeded", "exceeded", "nhiệm vụ vượt yêu cầu", True),
    ("max_late", "late_count", "nhiệm vụ chậm tiến độ", False),
)
# One given limit: attribute, what, the limit, its numerator and denominator, minimum or not.
TaskLimit = tuple[str, str, Fraction, int, int, bool]


def _task_limits(p: Mapping[str, Any]) -> tuple[TaskLimit, ...]:
    """The task limits a rule gives, with the integer parts of each ratio taken once
    (Fraction's numerator and denominator are Python-level properties)."""
    return tuple(
        (attr, what, f, f.numerator, f.denominator, at_least)
        for name, attr, what, at_least in _TASK_LIMITS
        if (f := p.get(name)) is not None
    )


def _task_failures(t: Any, limits: tuple[TaskLimit, ...], prefix: str = "") -> list[object]:
    """Failed task ratios as raw facts; R.not_met renders them only when read."""
    out: list[object] = []
    a = t.assigned
    if a <= 0:
        return out
    for attr, what, f, num, den, at_least in limits:
        n = getattr(t, attr)
        if (n * den < num * a) if at_least else (n * den > num * a):
            out.append((prefix, what, n, a, f, at_least))
    return out


def _ratio_ints(f: Fraction | None) -> tuple[bool, int, int]:
    """(given, numerator, denominator) of an optional limit."""
    return (False, 0, 1) if f is None else (True, f.numerator, f.denominator)


def _task_condition(rule: Rule, p: Mapping[str, Any]) -> Check:
    level: Level = p["level"]
    level_name = level.name
    lower = Level(level - 1)
    rid, src = rule.id, rule.source
    limits = _task_limits(p)
    # The usual case, every limit met, is told by the tests of _task_failures inline.
    has_mc, mc_n, mc_d = _ratio_ints(p.get("min_completed"))
    has_mo, mo_n, mo_d = _ratio_ints(p.get("min_on_time"))
    has_me, me_n, me_d = _ratio_ints(p.get("min_exceeded"))
    has_mx, mx_n, mx_d = _ratio_ints(p.get("max_late"))

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        t = s.tasks
        if cur < level or t is None:
            return None
        a = t.assigned
        if a <= 0 or (
            (not has_mc or t.completed * mc_d >= mc_n * a)
            and (not has_mo or t.on_time * mo_d >= mo_n * a)
            and (not has_me or t.exceeded * me_d >= me_n * a)
            and (not has_mx or t.late_count * mx_d <= mx_n * a)
        ):
            return None
        fails = _task_failures(t, limits)
        if not fails:
            return None
        return _tnew(TraceStep, (rid, src, cur, lower, R.not_met, (level_name, tuple(fails))))

    return check


def _subunits_condition(rule: Rule, p: Mapping[str, Any]) -> Check:
    level: Level = p["level"]
    lower = Level(level - 1)
    max_sub: int = p["max_disciplined_subunits"]
    max_lead: int = p["max_leadership_disciplined"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if cur < level:
            return None
        fails: list[object] = []
        su = s.subunits
        if su is not None and su.disciplined > max_sub:
            fails.append(f"có {su.disciplined}/{su.total} đơn vị trực thuộc bị kỷ luật")
        ld = s.leadership_disciplined
        if ld is not None and ld > max_lead:
            fails.append(f"có {ld} thành viên tập thể lãnh đạo bị kỷ luật")
        if not fails:
            return None
        return TraceStep(rid, src, cur, lower, R.not_met, (level.name, tuple(fails)))

    return check


def _leader_units(s: Subject, ctx: _Ctx, scope: str) -> list[str]:
    if s.leads:
        return sorted(s.leads)
    if s.heads is None:
        return []
    if scope == "led":
        return [s.heads]
    return ctx.children.get(s.heads, [])


def _leader_units_condition(rule: Rule, p: Mapping[str, Any]) -> Check:
    level: Level = p["level"]
    lower = Level(level - 1)
    scope: str = p["scope"]
    share_pass: Fraction | None = p["min_share_pass"]
    share_good: Fraction | None = p["min_share_good"]
    task_limits = _task_limits({"min_on_time": p["min_on_time"], "min_exceeded": p["min_exceeded"]})
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if cur < level or (s.heads is None and not s.leads):
            return None
        units = _leader_units(s, ctx, scope)
        if not units:
            return None
        fails: list[object] = []
        for u in units:
            t = ctx.by_id[u].tasks
            if t is not None:
                fails.extend(_task_failures(t, task_limits, f"đơn vị {u}: "))
        levels = [ctx.levels[u] for u in units if ctx.levels.get(u, KXL) is not KXL]
        if levels and share_pass is not None:
            n = sum(1 for lv in levels if lv >= HTNV)
            if not _frac_ge(n, len(levels), share_pass):
                fails.append(
                    (
                        "",
                        "đơn vị thuộc quyền quản lý từ HTNV trở lên",
                        n,
                        len(levels),
                        share_pass,
                        True,
                    )
                )
        if levels and share_good is not None:
            n = sum(1 for lv in levels if lv >= HTT)
            if not _frac_ge(n, len(levels), share_good):
                fails.append(
                    (
                        "",
                        "đơn vị thuộc quyền quản lý từ HTT trở lên",
                        n,
                        len(levels),
                        share_good,
                        True,
                    )
                )
        if not fails:
            return None
        return TraceStep(rid, src, cur, lower, R.not_met, (level.name, tuple(fails)))

    return check


def _cap_step(
    rid: str,
    src: str,
    cur: Level,
    cap: Level,
    render: Callable[..., str],
    facts: tuple[object, ...],
) -> TraceStep | None:
    if cur is KXL:
        return None
    return _tnew(TraceStep, (rid, src, cur, cap if cur > cap else cur, render, facts))


def _discipline_veto(rule: Rule, p: Mapping[str, Any]) -> Check:
    min_sev = DISCIPLINE_FORMS[p["min_form"]]
    need_duty: bool = p["require_duty_related"]
    remedied_ok: bool = p["self_remedied_exempt"]
    once: bool = p["one_violation_one_year"]
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if not s.disciplines:
            return None
        return _discipline_steps(s, cur, ctx)

    def _discipline_steps(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        counted: list[tuple[str, dt.date]] = []
        notes: list[TraceStep] = []
        first_of: dict[str, tuple[dt.date, str]] = {}
        if once:
            for d in s.disciplines:
                key = d.violation or d.id
                cand = (d.date, d.id)
                if key not in first_of or cand < first_of[key]:
                    first_of[key] = cand
        for d in sorted(s.disciplines, key=lambda d: (d.date, d.id)):
            if not (ctx.start <= d.date <= ctx.until):
                continue
            if DISCIPLINE_FORMS[d.form] < min_sev:
                continue
            if d.counted_year is not None and d.counted_year != ctx.year:
                why = f"vi phạm đã được tính khi đánh giá năm {d.counted_year}"
                notes.append(
                    TraceStep(rid, src, cur, cur, R.discipline_not_counted, (d.form, d.date, why))
                )
                continue
            if once and first_of[d.violation or d.id] != (d.date, d.id):
                why = "một hành vi vi phạm chỉ tính một lần (đã tính theo quyết định trước)"
                notes.append(
                    TraceStep(rid, src, cur, cur, R.discipline_not_counted, (d.form, d.date, why))
                )
                continue
            if need_duty and not d.duty_related:
                why = "không liên quan đến việc thực thi nhiệm vụ"
                notes.append(
                    TraceStep(rid, src, cur, cur, R.discipline_not_counted, (d.form, d.date, why))
                )
                continue
            if remedied_ok and d.self_remedied:
                why = "tự phát hiện và chủ động khắc phục hậu quả"
                notes.append(
                    TraceStep(rid, src, cur, cur, R.discipline_not_counted, (d.form, d.date, why))
                )
                continue
            counted.append((d.form, d.date))
        render = R.collective_discipline if s.kind == COLLECTIVE else R.discipline
        step = _cap_step(rid, src, cur, cap, render, (tuple(counted),)) if counted else None
        if step is None:
            # Only notes: report the first (one step per rule keeps traces short).
            return notes[0] if notes and cur is not KXL else None
        return step

    return check


def _subunits_discipline_veto(rule: Rule, p: Mapping[str, Any]) -> Check:
    mx: Fraction = p["max_share"]
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        su = s.subunits
        if su is None or su.total <= 0:
            return None
        if su.disciplined * mx.denominator <= mx.numerator * su.total:
            return None
        return _cap_step(rid, src, cur, cap, R.subunits_disciplined, (su.disciplined, su.total, mx))

    return check


def _finding_veto(rule: Rule, p: Mapping[str, Any]) -> Check:
    kinds = frozenset(p["kinds"])
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if not s.findings:
            return None
        hits = sorted(
            (f.date, f.kind)
            for f in s.findings
            if f.kind in kinds and f.concluded and ctx.start <= f.date <= ctx.until
        )
        if not hits:
            return None
        return _cap_step(rid, src, cur, cap, R.finding, (hits[0][1], hits[0][0]))

    return check


def _targets_veto(rule: Rule, p: Mapping[str, Any]) -> Check:
    mn: Fraction = p["min_met"]
    need_main: bool = p["require_main_missed"]
    fm_ok: bool = p["force_majeure_exempt"]
    follow: bool = p["heads_follow_unit"]
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def one(who: str, t: Any, cur: Level) -> TraceStep | None:
        if t.assigned <= 0 or _frac_ge(t.met, t.assigned, mn):
            return None
        if need_main and t.main_missed <= 0:
            return None
        if fm_ok and t.force_majeure:
            if cur is KXL:
                return None
            return TraceStep(rid, src, cur, cur, R.targets_force_majeure, (who, t.met, t.assigned))
        return _cap_step(rid, src, cur, cap, R.targets, (who, t.met, t.assigned, mn, t.main_missed))

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if s.targets is not None:
            who = "Tập thể" if s.kind == COLLECTIVE else "Cá nhân"
            st = one(who, s.targets, cur)
            if st is not None:
                return st
        if follow and s.heads is not None:
            ut = ctx.by_id[s.heads].targets
            if ut is not None:
                return one(f"Đơn vị {s.heads} do đồng chí đứng đầu", ut, cur)
        return None

    return check


def _state_level_cap(rule: Rule) -> Check:
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        st = s.state_level
        if st is None or st is KXL or cur is KXL or cur <= st:
            return None
        return TraceStep(rid, src, cur, st, R.state_level, (st.name,))

    return check


def _absence(rule: Rule, p: Mapping[str, Any]) -> Check:
    lo: Decimal = p["cap_from_months"]
    hi: Decimal = p["unclassified_from_months"]
    cap: Level = p["cap"]
    maternity_ok: bool = p["maternity_exempt"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        m = s.absent_months
        if m is None or m < lo or cur is KXL:
            return None
        if maternity_ok and s.maternity:
            return TraceStep(rid, src, cur, cur, R.maternity, (m,))
        if m >= hi:
            return TraceStep(rid, src, cur, KXL, R.absence_kxl, (m, hi))
        return _cap_step(rid, src, cur, cap, R.absence_cap, (m, lo, hi, cap.name))

    return check


def _head_cap(rule: Rule) -> Check:
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        h = s.heads
        if h is None:
            return None
        ul = ctx.levels[h]
        if ul is KXL or cur <= ul:
            return None
        return _tnew(TraceStep, (rid, src, cur, ul, R.head_cap, (h, ul.name)))

    return check


# -- batch checks ------------------------------------------------------------------------------


def check_batch(
    subjects: Sequence[Subject],
    compiled: CompiledRuleSet,
    period: Period,
    *,
    incomplete: Iterable[str] = (),
) -> list[str]:
    """Every problem of a batch in Vietnamese (empty if it can be classified).

    Subjects listed in ``incomplete`` had unreadable fields (already reported): only their
    place in the structure is checked.
    """
    return _batch_problems(subjects, compiled, period, {s.id: s for s in subjects}, incomplete)


def _batch_problems(
    subjects: Sequence[Subject],
    compiled: CompiledRuleSet,
    period: Period,
    by_id: Mapping[str, Subject],
    incomplete: Iterable[str],
) -> list[str]:
    """`check_batch` with the subjects by id (the last of a repeated id) already built."""
    problems: list[str] = []
    skip = set(incomplete)
    rs = compiled.ruleset
    if period.kind not in rs.period_kinds:
        problems.append(
            f"Kỳ đánh giá: bộ quy tắc {rs.id} không áp dụng cho kỳ '{period.kind}' "
            f"(chỉ: {', '.join(rs.period_kinds)})"
        )
    if len(by_id) != len(subjects):
        seen: set[str] = set()
        dups: set[str] = set()
        for s in subjects:
            if s.id in seen:
                dups.add(s.id)
            seen.add(s.id)
        for d in sorted(dups):
            problems.append(f"Đối tượng {d}: mã bị trùng trong lô")
    points = compiled.scale == "points"
    need_duty = compiled.requires_duty_related
    zero, hundred = Decimal(0), Decimal(100)
    per_subject: list[tuple[str, int, str]] = []
    # Every collective takes the slow path below: collected there, not by another pass.
    collectives: list[Subject] = []
    for pos, s in enumerate(subjects):
        # Fast path: a scored individual whose few facts are checked inline here.
        sc = s.score
        if (
            points
            and sc is not None
            and zero <= sc <= hundred
            and s.kind == INDIVIDUAL
            and s.parent is None
            and not s.leads
            and s.period_scores is None
            and s.parts is None
            and s.criteria is None
            and s.targets is None
            and s.subunits is None
            and s.absent_months is None
        ):
            h = s.heads
            t = s.tasks
            ds = s.disciplines
            if (
                (h is None or ((u := by_id.get(h)) is not None and u.kind == COLLECTIVE))
                and (
                    t is None
                    or (
                        0 <= t.on_time <= t.completed <= t.assigned
                        and 0 <= t.exceeded <= t.completed
                        and t.late is None
                    )
                )
                and (
                    not ds
                    or (
                        len(ds) == 1
                        and ds[0].form in DISCIPLINE_FORMS
                        and (ds[0].duty_related is not None or not need_duty)
                    )
                )
            ):
                continue
        if s.kind == COLLECTIVE:
            collectives.append(s)
        found = _structure_problems(s, by_id)
        if s.id not in skip and s.kind in (INDIVIDUAL, COLLECTIVE):
            found.extend(_subject_problems(s, compiled, f"Đối tượng {s.id}"))
        per_subject.extend((s.id, pos, p) for p in found)
    # Reported by subject id, so the list does not depend on the input order.
    problems.extend(p for _, _, p in sorted(per_subject))
    # The collectives by id, the last of a repeated id as in by_id.
    problems.extend(_cycles({s.id: s for s in collectives if by_id[s.id] is s}))
    q = compiled.quota
    if q is not None and len(q.kinds) > 1:
        kinds_of: dict[str, set[str]] = {}
        for s in by_id.values():
            if s.quota_group is not None:
                kinds_of.setdefault(s.quota_group, set()).add(s.kind)
        for g, ks in sorted(kinds_of.items()):
            if len(ks) > 1:
                problems.append(
                    f"Nhóm hạn mức {g}: gồm cả tập thể và cá nhân; tỷ lệ được tính riêng "
                    "cho từng loại, hãy dùng hai nhóm khác nhau"
                )
    return problems


def _structure_problems(s: Subject, by_id: Mapping[str, Subject]) -> list[str]:
    """Problems of a subject's place in the batch: kind, heads, leads, parent."""
    out: list[str] = []
    where = f"Đối tượng {s.id}"
    if s.kind not in (INDIVIDUAL, COLLECTIVE):
        out.append(f"{where}, trường kind: phải là individual hoặc collective")
        return out
    for field, ref in (("heads", s.heads), *(("leads", x) for x in s.leads)):
        if ref is None:
            continue
        u = by_id.get(ref)
        if u is None:
            out.append(f"{where}, trường {field}: đơn vị '{ref}' không có trong lô")
        elif u.kind != COLLECTIVE:
            out.append(f"{where}, trường {field}: '{ref}' không phải là tập thể")
    if s.kind == COLLECTIVE and (s.heads is not None or s.leads):
        out.append(f"{where}: tập thể không thể là người đứng đầu (heads, leads)")
    if s.parent is not None:
        par = by_id.get(s.parent)
        if par is not None and par.kind != COLLECTIVE:
            out.append(f"{where}, trường parent: '{s.parent}' không phải là tập thể")
        if s.parent == s.id:
            out.append(f"{where}, trường parent: đơn vị không thể là cấp trên của chính nó")
    return out


def _subject_problems(s: Subject, c: CompiledRuleSet, where: str) -> list[str]:
    out: list[str] = []
    given = [
        n
        for n, v in (("score", s.score), ("period_scores", s.period_scores), ("parts", s.parts))
        if v is not None
    ]
    if c.scale == "points":
        if len(given) != 1:
            out.append(
                f"{where}: cần đúng một trong các trường score, period_scores, parts "
                f"(đang có: {', '.join(given) or 'không có'})"
            )
        if s.criteria is not None:
            out.append(
                f"{where}, trường criteria: bộ quy tắc {c.id} dùng thang điểm, không dùng criteria"
            )
    else:
        if s.criteria is None:
            out.append(f"{where}: bộ quy tắc {c.id} xếp loại theo tiêu chí, cần trường criteria")
        else:
            names = {g for g, _ in c.criteria_groups}
            got = dict(s.criteria)
            missing = sorted(names - set(got))
            extra = sorted(set(got) - names)
            if missing:
                out.append(f"{where}, trường criteria: thiếu nhóm tiêu chí {', '.join(missing)}")
            if extra:
                out.append(
                    f"{where}, trường criteria: nhóm tiêu chí không có trong bộ quy tắc: "
                    f"{', '.join(extra)} (các nhóm: {', '.join(sorted(names))})"
                )
            for g, r in sorted(got.items()):
                if r not in RATINGS:
                    out.append(
                        f"{where}, trường criteria.{g}: mức '{r}' không hợp lệ "
                        f"(các mức: {', '.join(RATINGS)})"
                    )
        if s.period_scores is not None or s.parts is not None:
            out.append(f"{where}: bộ quy tắc {c.id} không dùng điểm (period_scores, parts)")
    if s.score is not None and not (0 <= s.score <= 100):
        out.append(f"{where}, trường score: điểm {s.score} nằm ngoài khoảng 0–100")
    if s.period_scores is not None:
        if c.scale == "points" and c.mean_rule is None:
            out.append(
                f"{where}, trường period_scores: bộ quy tắc {c.id} không tính điểm "
                "trung bình các kỳ"
            )
        if not s.period_scores:
            out.append(f"{where}, trường period_scores: danh sách rỗng")
        for i, v in enumerate(s.period_scores, 1):
            if not (0 <= v <= 100):
                out.append(f"{where}, trường period_scores[{i}]: điểm {v} nằm ngoài khoảng 0–100")
    if s.parts is not None:
        if c.scale == "points" and c.parts_rule is None:
            out.append(f"{where}, trường parts: bộ quy tắc {c.id} không cộng điểm thành phần")
        limits = {n: m for n, _, m in c.parts}
        for name, v in s.parts:
            if c.parts_rule is not None and name not in limits:
                out.append(
                    f"{where}, trường parts.{name}: phần điểm không có trong bộ quy tắc "
                    f"(các phần: {', '.join(limits)})"
                )
            elif name in limits and not (0 <= v <= limits[name]):
                out.append(
                    f"{where}, trường parts.{name}: {v} nằm ngoài khoảng "
                    f"0–{limits[name].normalize()}"
                )
    t = s.tasks
    if t is not None:
        if min(t.assigned, t.completed, t.on_time, t.exceeded, t.late or 0) < 0:
            out.append(f"{where}, trường tasks: các số không được âm")
        elif not (t.on_time <= t.completed <= t.assigned and t.exceeded <= t.completed):
            out.append(
                f"{where}, trường tasks: phải có on_time ≤ completed ≤ assigned và "
                "exceeded ≤ completed"
            )
        elif t.late is not None and t.late > t.completed:
            out.append(f"{where}, trường tasks: late không được lớn hơn completed")
    tg = s.targets
    if tg is not None and (
        min(tg.assigned, tg.met, tg.main_missed) < 0
        or tg.met > tg.assigned
        or tg.main_missed > tg.assigned - tg.met
    ):
        out.append(
            f"{where}, trường targets: phải có met ≤ assigned, main_missed ≤ "
            "assigned − met, không số nào âm"
        )
    su = s.subunits
    if su is not None and (min(su.total, su.disciplined) < 0 or su.disciplined > su.total):
        out.append(f"{where}, trường subunits: phải có 0 ≤ disciplined ≤ total")
    if s.subunits is not None and s.kind != COLLECTIVE:
        out.append(f"{where}, trường subunits: chỉ dùng cho tập thể")
    if s.absent_months is not None and not (0 <= s.absent_months <= 12):
        out.append(f"{where}, trường absent_months: phải từ 0 đến 12 (nhận được {s.absent_months})")
    for d in s.disciplines:
        if d.form not in DISCIPLINE_FORMS:
            out.append(
                f"{where}, kỷ luật {d.id}: hình thức '{d.form}' không hợp lệ "
                f"(các hình thức: {', '.join(DISCIPLINE_FORMS)})"
            )
        if c.requires_duty_related and d.duty_related is None:
            out.append(
                f"{where}, kỷ luật {d.id}: bộ quy tắc {c.id} cần biết kỷ luật có liên "
                "quan đến thực thi nhiệm vụ hay không (duty_related)"
            )
    if len({d.id for d in s.disciplines}) != len(s.disciplines):
        out.append(f"{where}, trường disciplines: mã quyết định kỷ luật bị trùng")
    return out


def _cycles(by_id: Mapping[str, Subject]) -> list[str]:
    """Cycles in the parent links (each reported once, by its smallest id)."""
    out: list[str] = []
    state: dict[str, int] = {}
    for start in sorted(by_id):
        path: list[str] = []
        cur: str | None = start
        while cur is not None and cur in by_id and state.get(cur, 0) == 0:
            state[cur] = 1
            path.append(cur)
            cur = by_id[cur].parent
        if cur is not None and state.get(cur) == 1 and cur in path:
            cyc = path[path.index(cur) :]
            first = min(cyc)
            i = cyc.index(first)
            cyc = cyc[i:] + cyc[:i]
            out.append("Vòng lặp cấp trên (parent): " + " → ".join([*cyc, first]))
        for p in path:
            state[p] = 2
    return out


# -- classification --------------------------------------------------------------------------


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
    subjects: Sequence[Subject], compiled: CompiledRuleSet, period: Period, *, validate: bool = True
) -> BatchResult:
    """Classify a batch; raises RulesInputError listing every problem of a bad batch."""
    # A batch allocates millions of small acyclic tuples; the cyclic garbage collector would
    # only rescan them. It is paused for the batch and restored as it was.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _classify(subjects, compiled, period, validate=validate)
    finally:
        if was_enabled:
            gc.enable()


def _classify(
    subjects: Sequence[Subject], compiled: CompiledRuleSet, period: Period, *, validate: bool
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
    quota = compiled.quota
    run = compiled.run

    # Collectives: the lower before the higher, then their quota. Decisions by id as if each
    # had been written into one dict when made: with a repeated id (possible only without
    # validation) the later wins, and a decision the quota lowered wins over all made before.
    qc = quota is not None and COLLECTIVE in quota.kinds
    ranked = sorted(collectives, key=lambda s: (-depth[s.id], s.id))
    out: list[Decision] = []
    groups = run(ranked, COLLECTIVE, ctx, out, qc)
    lowered = _apply_quota(quota, groups, out) if quota is not None and groups else []
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
    lowered = _apply_quota(quota, groups, out) if quota is not None and groups else []

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
        compiled.id, tuple(ordered), tuple((lv, counts[lv]) for lv in LEVELS_BEST_FIRST)
    )


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


_id_of = itemgetter(0)
_level_of = itemgetter(1)
_rank_of = itemgetter(2)


def _apply_quota(q: _Quota, groups: dict[str, list[int]], out: list[Decision]) -> list[int]:
    """Apply the quota to each group (positions in `out`), replacing in `out` the decisions
    it lowers; returns their positions in the order they were lowered."""
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
        rate = (
            q.outstanding_rate
            if (q.outstanding_rate is not None and g in q.outstanding)
            else q.rate
        )
        k = quota_limit(rate, q.base, n_htxs, n_htt, n_cls)
        share = q.shares.get(g)
        k2 = k if share is None else (share.numerator * n_cls) // share.denominator
        if n_htxs <= min(k, k2):
            continue
        if share is not None and k2 < k:
            k = k2
            prefix = R.party_share_prefix(share, g, n_htxs, n_cls)
        else:
            base_n = {"good_and_above": n_htt + n_htxs, "good_only": n_htt}.get(q.base, n_cls)
            prefix = R.quota_prefix(rate, g, n_htxs, base_n)
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
        if not (kept <= k and _holds(rate, q.base, kept, final_htt, n_cls)):
            raise AssertionError(f"quota broken in group {g}")  # pragma: no cover
    return lowered


def _holds(rate: Fraction, base: str, n_htxs: int, n_htt: int, n_cls: int) -> bool:
    if base == "good_and_above":
        b = n_htxs + n_htt
    elif base == "good_only":
        b = n_htt
    else:
        b = n_cls
    return n_htxs * rate.denominator <= rate.numerator * b


def summary_counts(result: BatchResult) -> dict[str, int]:
    """Counts per level name, best first, for the JSON summary."""
    return {lv.name: n for lv, n in result.by_level}


__all__ = [
    "CompiledRuleSet",
    "check_batch",
    "classify",
    "compile_ruleset",
    "quota_limit",
    "summary_counts",
]
