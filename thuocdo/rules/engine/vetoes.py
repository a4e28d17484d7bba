"""Vetoes and caps (discipline, findings, targets, the State's level), absence and the head's
cap: each check returns None (nothing to say) or a TraceStep whose to_level is the new level.
A cap whose subject is already at or below it returns a step with from == to, so the
authority still sees the fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .. import reasons as R
from ..levels import COLLECTIVE, DISCIPLINE_FORMS, Level
from ..model import Subject, TraceStep
from ..ruleset import Rule
from .conditions import _frac_ge, _leader_units
from .facts import Check, _Ctx

KXL = Level.KXL
# tuple.__new__ skips the Python-level NamedTuple constructor on the hot path.
_tnew = tuple.__new__


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
    mx: Fraction | None = p["max_share"]
    mx_count: int | None = p["max_count"]
    remedied_ok: bool = p["self_remedied_exempt"]
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        su = s.subunits
        if su is None or su.total <= 0:
            return None
        n = su.disciplined - su.self_remedied if remedied_ok else su.disciplined
        if mx_count is not None and n > mx_count:
            facts: tuple[object, ...] = (n, su.total, su.self_remedied if remedied_ok else 0)
            return _cap_step(rid, src, cur, cap, R.subunits_violations, facts)
        if mx is None or n * mx.denominator <= mx.numerator * su.total:
            return None
        return _cap_step(rid, src, cur, cap, R.subunits_disciplined, (n, su.total, mx))

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


def _led_unit_finding_veto(rule: Rule, p: Mapping[str, Any]) -> Check:
    """NĐ 335 Điều 20 k4 d: a unit under the leader's direct charge with a concluded finding
    (corruption, waste, handled under the law) makes the leader KHT."""
    kinds = frozenset(p["kinds"])
    scope: str = p["scope"]
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if s.heads is None and not s.leads:
            return None
        hits = sorted(
            (f.date, ctx.name(u), f.kind)
            for u in _leader_units(s, ctx, scope)
            for f in ctx.by_id[u].findings
            if f.kind in kinds and f.concluded and ctx.start <= f.date <= ctx.until
        )
        if not hits:
            return None
        d, unit, kind = hits[0]
        return _cap_step(rid, src, cur, cap, R.led_unit_finding, (unit, kind, d))

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
                return one(f"Đơn vị {ctx.name(s.heads)} do đồng chí đứng đầu", ut, cur)
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


def _state_level_veto(rule: Rule, p: Mapping[str, Any]) -> Check:
    """HD 21: a CBCCVC classified at or below `at` (KHT) as such is capped (KHT) as a Party
    member."""
    at: Level = p["at"]
    cap: Level = p["cap"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        st = s.state_level
        if st is None or st is KXL or st > at:
            return None
        return _cap_step(rid, src, cur, cap, R.state_level, (st.name,))

    return check


def _absence(rule: Rule, p: Mapping[str, Any]) -> Check:
    """Away `cap_from_months` to under `cap_until_months` (by default up to the unclassified
    threshold): at most `cap`; away from `unclassified_from_months`, or more than
    `unclassified_over_months`: not classified (KXL)."""
    lo: Decimal = p["cap_from_months"]
    kxl_from: Decimal | None = p["unclassified_from_months"]
    kxl_over: Decimal | None = p["unclassified_over_months"]
    hi: Decimal | None = p["cap_until_months"]
    if hi is None:
        hi = kxl_from if kxl_from is not None else kxl_over
    cap: Level = p["cap"]
    maternity_ok: bool = p["maternity_exempt"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        m = s.absent_months
        if m is None or m < lo or cur is KXL:
            return None
        if maternity_ok and s.maternity:
            return TraceStep(rid, src, cur, cur, R.maternity, (m,))
        if kxl_from is not None and m >= kxl_from:
            return TraceStep(rid, src, cur, KXL, R.absence_kxl, (m, kxl_from, False))
        if kxl_over is not None and m > kxl_over:
            return TraceStep(rid, src, cur, KXL, R.absence_kxl, (m, kxl_over, True))
        if hi is not None and m >= hi:
            return None  # between the cap's range and the unclassified threshold (exactly 6)
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
        return _tnew(TraceStep, (rid, src, cur, ul, R.head_cap, (ctx.name(h), ul.name)))

    return check
