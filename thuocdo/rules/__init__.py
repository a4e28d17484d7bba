"""Thước Đo rules engine: the regulations as versioned data, batch classification that
explains itself. Pure Python, no Django.

Python callers use ``classify`` on frozen ``Subject`` records with a compiled rule-set;
the application and the API use ``classify_json`` (DESIGN §5); the CLI is ``cli_main``.
"""

from __future__ import annotations

from .cli import cli_main
from .contract import classify_json, decision_json, parse_batch, result_json
from .engine import CompiledRuleSet, check_batch, classify, compile_ruleset, quota_limit
from .levels import LEVEL_LABELS, Level
from .model import (
    BatchResult,
    Decision,
    Discipline,
    Finding,
    Period,
    RulesInputError,
    Subject,
    Subunits,
    Targets,
    Tasks,
    TraceStep,
)
from .ruleset import (
    ENV_DIR,
    Option,
    Rule,
    RuleSet,
    RuleSetInfo,
    describe_ruleset,
    list_rulesets,
    load_file,
    load_ruleset,
)
from .scoring import (
    ScoringError,
    TaskItem,
    TaskResults,
    annual_mean,
    leader_results_points,
    nonleader_results_points,
    results_points,
    round_score,
    task_results,
    total_from_parts,
    unit_results_component,
)

__all__ = [
    "ENV_DIR",
    "LEVEL_LABELS",
    "BatchResult",
    "CompiledRuleSet",
    "Decision",
    "Discipline",
    "Finding",
    "Level",
    "Option",
    "Period",
    "Rule",
    "RuleSet",
    "RuleSetInfo",
    "RulesInputError",
    "ScoringError",
    "Subject",
    "Subunits",
    "Targets",
    "TaskItem",
    "TaskResults",
    "Tasks",
    "TraceStep",
    "annual_mean",
    "check_batch",
    "classify",
    "classify_json",
    "cli_main",
    "compile_ruleset",
    "decision_json",
    "describe_ruleset",
    "leader_results_points",
    "list_rulesets",
    "load_file",
    "load_ruleset",
    "nonleader_results_points",
    "parse_batch",
    "quota_limit",
    "result_json",
    "results_points",
    "round_score",
    "task_results",
    "total_from_parts",
    "unit_results_component",
]
