"""Rule-sets by subject group in a year: which rule-set classifies whom, in which order, and
what a rule-set without points rates instead.

A year may classify công chức under NĐ 335, viên chức under NĐ 90 and leaders, Party members
and collectives under QĐ 366. A công chức who is a Party member is then classified twice, as
công chức and as a Party member, the State classification first: HD 21 links the two (DESIGN
§4.7.4: Party HTXS needs State HTXS, State KHT makes the Party member KHT). A rule-set that
reads the State level therefore runs after every rule-set that does not. A State rule-set
with the `party_shares` option (NĐ 90 Điều 2 k6) is checked again once the Party results of
its units exist (services/proposal.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from thuocdo.reviews.models import EvaluationGroup
from thuocdo.rules import RuleSet, RulesInputError, compile_ruleset, load_ruleset
from thuocdo.rules.levels import LEVEL_BY_NAME, Level
from thuocdo.rules.ruleset import STATE_LEVEL_KINDS, Rule, resolve_params

PARTY_SHARES = "party_shares"

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
    return any(rule.kind in STATE_LEVEL_KINDS for rule in ruleset.rules)


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


def head_cap_enabled(ruleset: RuleSet, options: Mapping[str, object]) -> bool:
    """Whether the head cap applies under these options (an option, off by default, under the
    State decrees: DESIGN §4.7.3)."""
    return compile_ruleset(ruleset, options_for(ruleset, options)).has_head_cap


def has_party_shares(ruleset: RuleSet) -> bool:
    """A State rule-set whose HTXS share is capped by the Party members' (NĐ 90 Điều 2 k6)."""
    return any(o.name == PARTY_SHARES for o in ruleset.options)


def state_link_problem(
    ruleset: RuleSet, options: Mapping[str, object], level: str, state_level: str
) -> tuple[Rule, str] | None:
    """The first State–Party link (DESIGN §4.7.4) that a Party-member level breaks given the
    person's State level, with the Vietnamese reason; None when every link holds."""
    if level in ("", "KXL") or state_level in ("", "KXL"):
        return None
    party, state = LEVEL_BY_NAME[level], LEVEL_BY_NAME[state_level]
    known = options_for(ruleset, options)
    for rule in ruleset.rules:
        if rule.kind not in STATE_LEVEL_KINDS:
            continue
        p, _ = resolve_params(rule, {**ruleset.option_defaults(), **known})
        if rule.kind == "state_level_cap" and party > state:
            return (
                rule,
                f"mức đảng viên không cao hơn mức cán bộ, công chức, viên chức {state_level}",
            )
        if rule.kind == "state_level_condition":
            need: Level = p.get("min_state_level") or p["level"]
            if party >= p["level"] and state < need:
                return rule, (
                    f"mức {p['level'].name} của đảng viên cần mức cán bộ, công chức, viên chức "
                    f"từ {need.name}, đang là {state_level}"
                )
        if rule.kind == "state_level_veto" and state <= p["at"] and party > p["cap"]:
            return rule, (
                f"xếp loại cán bộ, công chức, viên chức {state_level} nên mức đảng viên tối đa "
                f"{p['cap'].name}"
            )
    return None
