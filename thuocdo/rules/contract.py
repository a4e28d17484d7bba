"""The JSON contract of DESIGN §5: parse a batch with every problem listed, classify,
and render the decisions."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .engine import CompiledRuleSet, check_batch, classify, compile_ruleset, summary_counts
from .levels import FINDING_KINDS, LEVEL_BY_NAME, PERIOD_KINDS, SUBJECT_KINDS, Level
from .model import (
    BatchResult,
    Decision,
    Discipline,
    Finding,
    Period,
    RulesInputError,
    Shortcomings,
    Subject,
    Subunits,
    Targets,
    Tasks,
)
from .params import to_decimal
from .ruleset import load_ruleset

_TOP_FIELDS = {"ruleset", "period", "options", "subjects", "group_names"}
_SUBJECT_FIELDS = {
    "id",
    "kind",
    "parent",
    "unit",
    "heads",
    "leads",
    "group",
    "quota_group",
    "score",
    "period_scores",
    "parts",
    "criteria",
    "tasks",
    "targets",
    "subunits",
    "leadership_disciplined",
    "disciplines",
    "findings",
    "absent_months",
    "maternity",
    "state_level",
    "shortcomings",
    "name",
}


class _Bad(Exception):
    """A field that cannot be read; the message is the Vietnamese reason."""


def _num(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _Bad(f"phải là một số (nhận được {v!r})")
    d = to_decimal(v)
    if not d.is_finite():
        raise _Bad("phải là số hữu hạn")
    return d


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Bad(f"phải là số nguyên (nhận được {v!r})")
    return v


def _str(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise _Bad(f"phải là chuỗi ký tự không rỗng (nhận được {v!r})")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise _Bad(f"phải là true hoặc false (nhận được {v!r})")
    return v


def _date(v: Any) -> dt.date:
    if not isinstance(v, str):
        raise _Bad(f"phải là ngày dạng YYYY-MM-DD (nhận được {v!r})")
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise _Bad(f"phải là ngày dạng YYYY-MM-DD (nhận được {v!r})") from None


def _obj(v: Any, keys: set[str], required: set[str]) -> Mapping[str, Any]:
    if not isinstance(v, Mapping):
        raise _Bad(f"phải là đối tượng JSON (nhận được {v!r})")
    extra = sorted(set(v) - keys)
    if extra:
        raise _Bad(f"có khóa không hợp lệ {', '.join(extra)} (hợp lệ: {', '.join(sorted(keys))})")
    missing = sorted(k for k in required if v.get(k) is None)
    if missing:
        raise _Bad(f"thiếu {', '.join(missing)}")
    return v


def _tasks(v: Any) -> Tasks:
    o = _obj(
        v,
        {"assigned", "completed", "on_time", "exceeded", "late"},
        {"assigned", "completed", "on_time", "exceeded"},
    )
    late = o.get("late")
    return Tasks(
        _int(o["assigned"]),
        _int(o["completed"]),
        _int(o["on_time"]),
        _int(o["exceeded"]),
        None if late is None else _int(late),
    )


def _targets(v: Any) -> Targets:
    o = _obj(v, {"assigned", "met", "main_missed", "force_majeure"}, {"assigned", "met"})
    return Targets(
        _int(o["assigned"]),
        _int(o["met"]),
        _int(o.get("main_missed") or 0),
        _bool(o.get("force_majeure", False)),
    )


def _subunits(v: Any) -> Subunits:
    o = _obj(v, {"total", "disciplined", "self_remedied"}, {"total", "disciplined"})
    return Subunits(_int(o["total"]), _int(o["disciplined"]), _int(o.get("self_remedied") or 0))


def _shortcomings(v: Any) -> Shortcomings:
    o = _obj(v, {"total", "remedied"}, {"total", "remedied"})
    return Shortcomings(_int(o["total"]), _int(o["remedied"]))


def _discipline(v: Any, i: int) -> Discipline:
    keys = {"id", "form", "date", "duty_related", "self_remedied", "violation", "counted_year"}
    o = _obj(v, keys, {"form", "date"})
    did = _str(o["id"]) if o.get("id") is not None else f"#{i}"
    duty = o.get("duty_related")
    cy = o.get("counted_year")
    viol = o.get("violation")
    return Discipline(
        did,
        _str(o["form"]),
        _date(o["date"]),
        None if duty is None else _bool(duty),
        _bool(o.get("self_remedied") or False),
        None if viol is None else _str(viol),
        None if cy is None else _int(cy),
    )


def _finding(v: Any, i: int) -> Finding:
    o = _obj(v, {"id", "kind", "date", "concluded"}, {"kind", "date"})
    fid = _str(o["id"]) if o.get("id") is not None else f"#{i}"
    kind = _str(o["kind"])
    if kind not in FINDING_KINDS:
        raise _Bad(f"loại '{kind}' không hợp lệ (các loại: {', '.join(FINDING_KINDS)})")
    concluded = o.get("concluded")
    return Finding(fid, kind, _date(o["date"]), True if concluded is None else _bool(concluded))


def _level(v: Any) -> Level:
    if v not in LEVEL_BY_NAME:
        raise _Bad(f"phải là một mức {', '.join(LEVEL_BY_NAME)} (nhận được {v!r})")
    return LEVEL_BY_NAME[v]


def _parse_subject(raw: Any, pos: int, problems: list[str]) -> tuple[Subject | None, bool]:
    """Build a Subject; returns (subject or None, complete?) and appends problems."""
    if not isinstance(raw, Mapping):
        problems.append(f"Đối tượng thứ {pos}: phải là đối tượng JSON")
        return None, False
    sid = raw.get("id")
    if not isinstance(sid, str) or not sid.strip():
        problems.append(f"Đối tượng thứ {pos}, trường id: thiếu hoặc không phải chuỗi ký tự")
        return None, False
    where = f"Đối tượng {sid}"
    ok = True
    for extra in sorted(set(raw) - _SUBJECT_FIELDS):
        problems.append(f"{where}, trường {extra}: không có trong hợp đồng dữ liệu")
        ok = False
    vals: dict[str, Any] = {}

    def read(field: str, fn: Any) -> None:
        nonlocal ok
        v = raw.get(field)
        if v is None:
            return
        try:
            vals[field] = fn(v)
        except _Bad as exc:
            problems.append(f"{where}, trường {field}: {exc}")
            ok = False

    kind = raw.get("kind", "individual")
    if kind not in SUBJECT_KINDS:
        problems.append(
            f"{where}, trường kind: phải là individual hoặc collective (nhận được {kind!r})"
        )
        return None, False
    for f in ("parent", "unit", "heads", "group", "quota_group", "name"):
        read(f, _str)
    read("leads", lambda v: tuple(_str(x) for x in _list(v)))
    read("score", _num)
    read("period_scores", lambda v: tuple(_num(x) for x in _list(v)))
    read("parts", lambda v: tuple((str(k), _num(x)) for k, x in _map(v).items()))
    read("criteria", lambda v: tuple(sorted((str(k), _str(x)) for k, x in _map(v).items())))
    read("tasks", _tasks)
    read("targets", _targets)
    read("subunits", _subunits)
    read("leadership_disciplined", _int)
    read("disciplines", lambda v: tuple(_discipline(x, i) for i, x in enumerate(_list(v), 1)))
    read("findings", lambda v: tuple(_finding(x, i) for i, x in enumerate(_list(v), 1)))
    read("absent_months", _num)
    read("maternity", _bool)
    read("state_level", _level)
    read("shortcomings", _shortcomings)
    return Subject(id=sid, kind=kind, **vals), ok


def _list(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise _Bad(f"phải là danh sách (nhận được {v!r})")
    return v


def _map(v: Any) -> Mapping[str, Any]:
    if not isinstance(v, Mapping):
        raise _Bad(f"phải là đối tượng JSON (nhận được {v!r})")
    return v


def _parse_period(raw: Any, problems: list[str]) -> Period | None:
    if not isinstance(raw, Mapping):
        problems.append(
            "Trường period: thiếu hoặc không phải đối tượng JSON "
            '(ví dụ {"kind": "year", "year": 2026})'
        )
        return None
    kind = raw.get("kind")
    year = raw.get("year")
    bad = False
    for extra in sorted(set(raw) - {"kind", "year", "month", "quarter", "as_at"}):
        problems.append(f"Trường period.{extra}: không có trong hợp đồng dữ liệu")
        bad = True
    if kind not in PERIOD_KINDS:
        problems.append(
            f"Trường period.kind: phải là {', '.join(PERIOD_KINDS)} (nhận được {kind!r})"
        )
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 1945 <= year <= 9999:
        problems.append(f"Trường period.year: phải là năm hợp lệ (nhận được {year!r})")
        return None
    number = None
    if kind in ("month", "quarter"):
        number = raw.get(kind)
        top = 12 if kind == "month" else 4
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= top:
            problems.append(
                f"Trường period.{kind}: phải là số từ 1 đến {top} (nhận được {number!r})"
            )
            return None
    as_at = None
    if raw.get("as_at") is not None:
        try:
            as_at = _date(raw["as_at"])
        except _Bad as exc:
            problems.append(f"Trường period.as_at: {exc}")
            return None
    return None if bad else Period(kind, year, number, as_at)


def parse_batch(
    data: Any, *, extra_dir: str | os.PathLike[str] | None = None
) -> tuple[CompiledRuleSet, list[Subject], Period]:
    """Parse and validate a JSON batch; raises RulesInputError listing every problem.
    Returns (compiled rule-set, subjects, period)."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise RulesInputError(["Dữ liệu vào phải là một đối tượng JSON"])
    for extra in sorted(set(data) - _TOP_FIELDS):
        problems.append(f"Trường {extra}: không có trong hợp đồng dữ liệu")
    compiled: CompiledRuleSet | None = None
    rs_id = data.get("ruleset")
    if not isinstance(rs_id, str):
        problems.append('Trường ruleset: thiếu mã bộ quy tắc (ví dụ "nd-335-2025")')
    else:
        try:
            rs = load_ruleset(rs_id, extra_dir=extra_dir)
            options = data.get("options") or {}
            if not isinstance(options, Mapping):
                problems.append("Trường options: phải là đối tượng JSON")
            else:
                compiled = compile_ruleset(rs, options)
        except RulesInputError as exc:
            problems.extend(exc.problems)
    period = _parse_period(data.get("period"), problems)
    raw_subjects = data.get("subjects")
    subjects: list[Subject] = []
    incomplete: set[str] = set()
    if not isinstance(raw_subjects, list):
        problems.append("Trường subjects: phải là danh sách các đối tượng đánh giá")
        raw_subjects = []
    for i, raw in enumerate(raw_subjects, 1):
        s, ok = _parse_subject(raw, i, problems)
        if s is not None:
            subjects.append(s)
            if not ok:
                incomplete.add(s.id)
    names = data.get("group_names")
    if names is not None and (
        not isinstance(names, Mapping)
        or not all(isinstance(v, str) and v.strip() for v in names.values())
    ):
        problems.append("Trường group_names: phải là đối tượng JSON mã nhóm → tên nhóm")
    if compiled is not None and period is not None:
        problems.extend(check_batch(subjects, compiled, period, incomplete=incomplete))
    if problems:
        raise RulesInputError(problems)
    assert compiled is not None and period is not None
    return compiled, subjects, period


def _score_json(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def decision_json(d: Decision, unconfirmed: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One decision as in DESIGN §5; each step says whether its rule's legal basis is
    confirmed (DESIGN §4.7.9: pages show "chưa xác nhận căn cứ" beside one that is not)."""
    return {
        "id": d.id,
        "level": d.level.name,
        "score": _score_json(d.score),
        "score_level": d.score_level.name if d.score_level is not None else None,
        "flags": list(d.flags),
        "trace": [
            {
                "rule": st.rule,
                "source": st.source,
                "from": st.from_level.name if st.from_level is not None else None,
                "to": st.to_level.name if st.to_level is not None else None,
                "reason": st.reason,
                "confirmed": st.rule not in unconfirmed,
            }
            for st in d.trace
        ],
    }


def result_json(result: BatchResult) -> dict[str, Any]:
    """A batch result as in DESIGN §5."""
    return {
        "ruleset": result.ruleset,
        "decisions": [decision_json(d, result.unconfirmed) for d in result.decisions],
        "summary": {"total": len(result.decisions), "by_level": summary_counts(result)},
    }


def classify_json(
    data: dict[str, Any], *, extra_dir: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Classify a JSON batch (DESIGN §5); raises RulesInputError with every problem."""
    compiled, subjects, period = parse_batch(data, extra_dir=extra_dir)
    names = data.get("group_names") or {}
    return result_json(classify(subjects, compiled, period, validate=False, group_names=names))
