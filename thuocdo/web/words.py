"""Internal values in words for people: the one place pages, exports and explanations use.

Numbers never carry an exponent ("70", "2,5"), durations read in Vietnamese ("3 ngày"),
rule ids become their label, rule-set ids their title, quota-group keys a sentence, units
their name with their parent ("Phòng Nội vụ – Quận 3").
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from thuocdo.careers.rules import FLAG_LABELS, RULE_LABELS
from thuocdo.org.models import Post, Unit, UnitKind
from thuocdo.rules.fmt import vn_number
from thuocdo.rules.model import RulesInputError
from thuocdo.rules.ruleset import list_rulesets, load_ruleset
from thuocdo.work.models import JobPosition

# What the engine proposes is the rules' proposal, not a machine's; history is imported.
PROPOSED = "Đề xuất theo quy định"
HISTORY = "Hồ sơ các năm trước"
# The report's base of the HTXS share, said in words (no design file is a legal basis).
QUOTA_BASE = "tỷ lệ tính trên số người được xếp loại từ Hoàn thành tốt nhiệm vụ trở lên"

QUOTA_KINDS = {
    "CC": "Công chức, viên chức",
    "LĐ": "Lãnh đạo, quản lý",
    "ĐV": "Đảng viên",
    "TT": "Tập thể",
}


def number(value: Decimal | Fraction | int | float | str | None) -> str:
    """A number without exponent nor useless zeros, the Vietnamese way (70; 2,5; 1.252)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = Decimal(value)
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        return vn_number(value)
    if value == value.to_integral_value():
        return vn_number(value.to_integral_value())
    return vn_number(value.normalize())


def days(count: int) -> str:
    """A duration in days ("3 ngày")."""
    return f"{vn_number(count)} ngày"


def days_between(start: datetime.date, end: datetime.date) -> str:
    """The days from one date to a later one ("3 ngày")."""
    return days(abs((end - start).days))


@lru_cache(maxsize=1)
def _rulesets() -> tuple[dict[str, str], dict[str, str]]:
    """Rule-set titles by id, and rule labels by "rule-set/rule" and by rule id alone (the
    label of the rule-set listed first; careers' own rules by their id)."""
    titles: dict[str, str] = {}
    labels: dict[str, str] = {**FLAG_LABELS, **RULE_LABELS}
    try:
        infos = list_rulesets()
    except RulesInputError:
        infos = []
    for info in infos:
        titles[info.id] = info.title
        for rule in load_ruleset(info.id).rules:
            labels[f"{info.id}/{rule.id}"] = rule.label
            labels.setdefault(rule.id, rule.label)
    return titles, labels


def ruleset_name(ruleset_id: str) -> str:
    """A rule-set's title ("Nghị định 335/2025/NĐ-CP — …"), never its id."""
    if not ruleset_id:
        return "—"
    return _rulesets()[0].get(ruleset_id, "Bộ quy tắc riêng của đơn vị")


def rule_label(rule_id: str, ruleset_id: str = "") -> str:
    """A rule's Vietnamese label in its rule-set, never its id ("" when unknown)."""
    labels = _rulesets()[1]
    return labels.get(f"{ruleset_id}/{rule_id}") or labels.get(rule_id, "")


def unit_with_parent(name: str, parent: str | None) -> str:
    """A unit named with its parent, so equal names can be told apart."""
    return f"{name} – {parent}" if parent else name


def unit_name(unit: Any) -> str:
    """A unit's name with its parent's ("Phòng Nội vụ – Quận 3")."""
    parent = getattr(unit, "parent", None)
    return unit_with_parent(unit.name, parent.name if parent is not None else None)


def unit_by_code(code: str) -> str:
    """A unit's name (with its parent) from its code; the code itself if unknown."""
    unit = Unit.objects.filter(code=code).select_related("parent").first()
    return unit_name(unit) if unit is not None else code


def position(code: str) -> str:
    """A duty group or position code in words: the title of a post or position that has it."""
    if not code:
        return "—"
    title = Post.objects.filter(duty_group=code).values_list("title", flat=True).first()
    if title:
        return str(title)
    name = JobPosition.objects.filter(code=code).values_list("name", flat=True).first()
    return str(name) if name else code


def equivalent_position(evaluation: Any) -> str:
    """What an evaluation is ranked among on the published results: a collective among the
    collectives of its kind of unit, a person among the holders of their duty group."""
    if evaluation.kind == "collective":
        return f"Tập thể {UnitKind(evaluation.unit.kind).label.lower()}"
    return position(evaluation.duty_group)


def quota_group(key: str) -> str:
    """A quota group key ("CC:Q01-P01-UB:CC-XA-QS") as words: whom it counts, where, which duty."""
    kind, _, rest = key.partition(":")
    who = QUOTA_KINDS.get(kind)
    if who is None:
        return key
    if kind == "CC":
        unit_code, _, duty = rest.partition(":")
        return f"{who} — {unit_by_code(unit_code)} — nhóm {position(duty)}"
    if kind == "LĐ":
        return f"{who} — chức danh tương đương {position(rest)}"
    if kind == "ĐV":
        return f"{who} — {unit_by_code(rest)}"
    return f"{who} trực thuộc {unit_by_code(rest)}"
