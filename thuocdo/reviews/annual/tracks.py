"""Rule-sets by subject group in a year: which rule-set classifies whom, in which order, and
what a rule-set without points rates instead.

A year may classify công chức under NĐ 335, viên chức under NĐ 90 and leaders, Party members
and collectives under QĐ 366. A công chức who is a Party member is then classified twice, as
công chức and as a Party member, the State classification first: the Party-member level may
not be higher (rule `state_level_cap` of the Party rule-sets, HD 21 principle). A rule-set
that reads the State level therefore runs after every rule-set that does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from thuocdo.reviews.models import EvaluationGroup
from thuocdo.rules import RuleSet, RulesInputError, load_ruleset

STATE_LEVEL_CAP = "state_level_cap"
# Ratings of a criterion group (QĐ 124, NĐ 90), best first, with their Vietnamese names.
RATINGS = {"xuat_sac": "Xuất sắc", "tot": "Tốt", "trung_binh": "Trung bình", "kem": "Kém"}


def ruleset_get(ruleset_id: str) -> RuleSet:
    """The rule-set, or a ValidationError listing why it cannot be loaded."""
    try:
        return load_ruleset(ruleset_id)
    except RulesInputError as error:
        raise ValidationError(error.problems) from error


def reads_state_level(ruleset: RuleSet) -> bool:
    """A Party rule-set that caps a Party member at their State level."""
    return any(rule.kind == STATE_LEVEL_CAP for rule in ruleset.rules)


def criteria_labels(ruleset: RuleSet) -> dict[str, str] | None:
    """The criterion groups rated under a rule-set without points; None under points."""
    if ruleset.scale != "criteria":
        return None
    for rule in ruleset.rules:
        if rule.kind == "criteria_rating":
            groups: dict[str, str] = dict(dict(rule.params)["groups"])
            return groups
    return None


def period_rulesets_check(ruleset: str, rulesets: Mapping[str, str]) -> None:
    """Refuse, listing every problem, a year's rule-sets that cannot classify it."""
    problems: list[str] = []
    for group, ruleset_id in [("", ruleset), *rulesets.items()]:
        if group and group not in EvaluationGroup.values:
            problems.append(
                f"Nhóm đối tượng «{group}» không có; các nhóm: {', '.join(EvaluationGroup.values)}."
            )
        try:
            loaded = load_ruleset(ruleset_id)
        except RulesInputError as error:
            problems.extend(error.problems)
            continue
        if "year" not in loaded.period_kinds:
            problems.append(f"Bộ quy tắc {ruleset_id} không áp dụng cho kỳ năm.")
    leader = rulesets.get(EvaluationGroup.LEADER, ruleset)
    collective = rulesets.get(EvaluationGroup.COLLECTIVE, ruleset)
    if leader != collective:
        problems.append(
            f"Cán bộ lãnh đạo ({leader}) và tập thể ({collective}) phải cùng một bộ quy tắc: "
            "người đứng đầu được xếp loại sau tập thể và không cao hơn tập thể (head-cap)."
        )
    if problems:
        raise ValidationError(problems)


def batch_order(ruleset_ids: Iterable[str]) -> list[str]:
    """The rule-sets of a period in the order they classify: State before Party."""
    return sorted(set(ruleset_ids), key=lambda r: (reads_state_level(load_ruleset(r)), r))


def options_for(ruleset: RuleSet, options: Mapping[str, object]) -> dict[str, object]:
    """The options that this rule-set knows (one period may hold several rule-sets)."""
    names = {o.name for o in ruleset.options}
    return {k: v for k, v in options.items() if k in names}


def period_options(ruleset: RuleSet, main: str, options: Mapping[str, object]) -> dict[str, Any]:
    """A period's options as they apply to one of its rule-sets: all of them for the main
    rule-set (the engine refuses an unknown one), those it knows for any other."""
    return dict(options) if ruleset.id == main else options_for(ruleset, options)
