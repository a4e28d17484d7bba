"""The source of a rule beside each step of a trace, with "chưa xác nhận căn cứ" beside a rule
whose legal basis is not confirmed (DESIGN §4.7.9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from thuocdo.rules import RulesInputError, load_ruleset
from thuocdo.rules.ruleset import UNCONFIRMED_LABEL

register = template.Library()


def step_confirmed(step: Mapping[str, Any], ruleset_id: str = "") -> bool:
    """Whether the rule of a stored trace step has a confirmed basis: the step says so (every
    trace since the rules carry it), else its rule-set's current file does."""
    if "confirmed" in step:
        return bool(step["confirmed"])
    if not ruleset_id:
        return True
    try:
        ruleset = load_ruleset(ruleset_id)
    except RulesInputError:
        return True
    return next((r.confirmed for r in ruleset.rules if r.id == step.get("rule")), True)


@register.simple_tag
def rule_source(step: Mapping[str, Any], ruleset_id: str = "") -> SafeString:
    """The "(source)" of a trace step, and the unconfirmed mark after it when it applies."""
    if step_confirmed(step, ruleset_id):
        return format_html('<small class="muted">({})</small>', step.get("source", ""))
    return format_html(
        '<small class="muted">({})</small> <strong class="unconfirmed">{}</strong>',
        step.get("source", ""),
        UNCONFIRMED_LABEL,
    )
