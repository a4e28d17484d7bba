"""The conditions of a level (tasks, sub-units, the units a leader heads): a subject at or
above the level that fails one is lowered by one level.

Each check returns None (nothing to say) or a TraceStep whose to_level is the new level.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .. import reasons as R
from ..fmt import vn_percent
from ..levels import Level
from ..model import Subject, TraceStep
from ..ruleset import Rule
from .facts import Check, _Ctx

HTT, HTNV, KXL = Level.HTT, Level.HTNV, Level.KXL
# tuple.__new__ skips the Python-level NamedTuple constructor on the hot path.
_tnew = tuple.__new__


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
    """The units a leader answers for: those they lead or head ("led"), the units under the
    one they head ("managed"), or both."""
    if s.leads:
        return sorted(s.leads)
    if s.heads is None:
        return []
    if scope == "led":
        return [s.heads]
    if scope == "both":
        return [s.heads, *ctx.children.get(s.heads, [])]
    return ctx.children.get(s.heads, [])


def _targets_failures(
    s: Subject, ctx: _Ctx, at_least: Fraction | None, over: Fraction | None
) -> list[object]:
    """The led units' targets below `at_least` (met ≥ share) or not above `over` (met > share)."""
    out: list[object] = []
    for u in _leader_units(s, ctx, "led"):
        t = ctx.by_id[u].targets
        if t is None or t.assigned <= 0:
            continue
        name = ctx.name(u)
        if at_least is not None and not _frac_ge(t.met, t.assigned, at_least):
            out.append(("", f"chỉ tiêu của đơn vị {name} đạt", t.met, t.assigned, at_least, True))
        if over is not None and t.met * over.denominator <= over.numerator * t.assigned:
            pct = vn_percent(Fraction(t.met, t.assigned))
            out.append(
                f"{t.met}/{t.assigned} chỉ tiêu của đơn vị {name} đạt ({pct} ≤ {vn_percent(over)}, "
                f"cần trên {vn_percent(over)})"
            )
    return out


def _leader_units_condition(rule: Rule, p: Mapping[str, Any]) -> Check:
    level: Level = p["level"]
    lower = Level(level - 1)
    scope: str = p["scope"]
    share_pass: Fraction | None = p["min_share_pass"]
    share_good: Fraction | None = p["min_share_good"]
    targets_min: Fraction | None = p["min_targets_met"]
    targets_over: Fraction | None = p["over_targets_met"]
    task_limits = _task_limits({"min_on_time": p["min_on_time"], "min_exceeded": p["min_exceeded"]})
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        if cur < level or (s.heads is None and not s.leads):
            return None
        units = _leader_units(s, ctx, scope)
        fails: list[object] = []
        if targets_min is not None or targets_over is not None:
            fails.extend(_targets_failures(s, ctx, targets_min, targets_over))
        if not units and not fails:
            return None
        for u in units:
            t = ctx.by_id[u].tasks
            if t is not None:
                fails.extend(_task_failures(t, task_limits, f"đơn vị {ctx.name(u)}: "))
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


def _shortcomings_condition(rule: Rule, p: Mapping[str, Any]) -> Check:
    level: Level = p["level"]
    lower = Level(level - 1)
    need: Fraction = p["min_remedied"]
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        sc = s.shortcomings
        if cur < level or sc is None or sc.total <= 0 or _frac_ge(sc.remedied, sc.total, need):
            return None
        fact = ("", "hạn chế, khuyết điểm đã được khắc phục", sc.remedied, sc.total, need, True)
        return TraceStep(rid, src, cur, lower, R.not_met, (level.name, (fact,)))

    return check


def _state_level_condition(rule: Rule, p: Mapping[str, Any]) -> Check:
    """HD 21 §II 2.3 a: a Party member who is a CBCCVC reaches this level only if their State
    level reaches `min_state_level` (by default the same level)."""
    level: Level = p["level"]
    lower = Level(level - 1)
    need: Level = p["min_state_level"] or level
    rid, src = rule.id, rule.source

    def check(s: Subject, cur: Level, ctx: _Ctx) -> TraceStep | None:
        st = s.state_level
        if cur < level or st is None or st is KXL or st >= need:
            return None
        fact = f"mức xếp loại cán bộ, công chức, viên chức là {st.name}, chưa đạt {need.name}"
        return TraceStep(rid, src, cur, lower, R.not_met, (level.name, (fact,)))

    return check
