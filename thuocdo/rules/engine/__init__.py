"""The rules engine proper: a rule-set compiled once into closures (`compiled`), then every
batch classified in a fixed order (`batch`, DESIGN §4.4) — collectives first, the lower ones
before the higher, their quota applied (`quotas`); then individuals, heads capped by their
unit's final level, then the individuals' quota. Each subject starts from its base level
(score band or criteria) and goes through the conditions of the levels (`conditions`), the
vetoes and caps, absence and the head's cap (`vetoes`), running only the checks whose facts
it has (`facts`); a bad batch is refused with every problem listed (`validation`). The
result does not depend on the order of the input: decisions are sorted by id and every
grouping is sorted. Pure Python, no Django.
"""

from __future__ import annotations

from .batch import classify, summary_counts
from .compiled import CompiledRuleSet, compile_ruleset
from .quotas import quota_limit
from .validation import check_batch

__all__ = [
    "CompiledRuleSet",
    "check_batch",
    "classify",
    "compile_ruleset",
    "quota_limit",
    "summary_counts",
]
