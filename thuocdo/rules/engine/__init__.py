"""Batch classification (moved from engine.py; split by stage in the next commit)."""

from __future__ import annotations

from .compiled import (
    CompiledRuleSet,
    check_batch,
    classify,
    compile_ruleset,
    quota_limit,
    summary_counts,
)

__all__ = [
    "CompiledRuleSet",
    "check_batch",
    "classify",
    "compile_ruleset",
    "quota_limit",
    "summary_counts",
]
