"""Mô phỏng ("what if"): a year's proposal re-run under another rule-set or other options, in
memory, writing nothing (issue 18). For any period, open, published or locked: the counts per
level before (the level that counts now: the conclusion, else the proposal) and after, per
unit and per subject group, and each subject whose level would change with the rule that
changes it. The engine runs exactly as for a real proposal (`proposal_compute`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from thuocdo.org.models import Person, Unit
from thuocdo.reviews.annual.levels import CONCLUDABLE, level_rank
from thuocdo.reviews.annual.services.proposal import (
    EvaluationRow,
    Proposal,
    evaluation_rows,
    proposal_compute,
)
from thuocdo.reviews.annual.tracks import criteria_labels, period_rulesets_check, ruleset_get
from thuocdo.reviews.models import Evaluation, EvaluationGroup, Period
from thuocdo.rules import RulesInputError
from thuocdo.rules.ruleset import UNCONFIRMED_LABEL

# The columns of the counts: the levels, and "" for an evaluation without a level yet.
COLUMNS = (*CONCLUDABLE, "")
COLUMN_LABELS = {**{lv: lv for lv in CONCLUDABLE}, "": "Chưa có"}
GROUP_LABELS = dict(EvaluationGroup.choices)
LEFT_OUT_SHOWN = 200
# The page lists this many changes (the Excel workbook lists them all).
CHANGES_SHOWN = 500
CHUNK = 5000
# progress(stage, done, total): thuocdo.jobs.progress.Progress when run as a job.
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Scenario:
    """What is tried: the main rule-set, the rule-sets of some groups, the options."""

    ruleset: str | None = None
    rulesets: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, Any] | None = None

    def describe(self, period: Period) -> str:
        """The scenario in Vietnamese, against the period's own."""
        parts = [f"bộ quy tắc {self.ruleset or period.ruleset}"]
        parts += [
            f"{GROUP_LABELS.get(g, g).lower()}: {r}" for g, r in sorted(self.rulesets.items())
        ]
        options = period.options if self.options is None else self.options
        if options:
            shown = ", ".join(
                f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(options.items())
            )
            parts.append(f"tùy chọn {shown}")
        return "; ".join(parts)


@dataclass
class CountsRow:
    """One line of counts: a unit, a subject group or the whole period."""

    name: str
    before: Counter[str] = field(default_factory=Counter)
    after: Counter[str] = field(default_factory=Counter)

    def cells(self, side: str) -> list[int]:
        """The counts of one side ("before" or "after") in the order of COLUMNS."""
        counts = self.before if side == "before" else self.after
        return [counts.get(column, 0) for column in COLUMNS]

    @property
    def before_cells(self) -> list[int]:
        """The counts before, in the order of COLUMNS."""
        return self.cells("before")

    @property
    def after_cells(self) -> list[int]:
        """The counts after, in the order of COLUMNS."""
        return self.cells("after")

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """(before, after) per column."""
        return list(zip(self.cells("before"), self.cells("after"), strict=True))

    @property
    def changed(self) -> int:
        """How many levels of the line differ between before and after, as a count delta."""
        return sum(abs(self.after.get(c, 0) - self.before.get(c, 0)) for c in COLUMNS) // 2


@dataclass(frozen=True)
class Change:
    """A subject whose level would change, and the rule that decides its new level."""

    evaluation_id: int
    subject: str
    unit: str
    group: str
    before: str
    after: str
    rule: str
    source: str
    reason: str
    confirmed: bool
    before_rule: str

    @property
    def citation(self) -> str:
        """The rule's source, marked when its basis is not confirmed."""
        return self.source if self.confirmed else f"{self.source} — {UNCONFIRMED_LABEL}"

    @property
    def direction(self) -> str:
        """ "lên" or "xuống"."""
        if not self.before:
            return "mới"
        return "lên" if level_rank(self.after) < level_rank(self.before) else "xuống"


@dataclass
class WhatIf:
    """The result of a simulation."""

    period: Period
    scenario: str
    total: CountsRow
    by_unit: list[CountsRow]
    by_group: list[CountsRow]
    changes: list[Change]
    left_out: list[str]
    # The engine's decisions; None for a result read back from a job (simulation_store.py).
    proposal: Proposal | None

    @property
    def changes_shown(self) -> list[Change]:
        """The changes listed on the page."""
        return self.changes[:CHANGES_SHOWN]

    @property
    def changes_hidden(self) -> int:
        """How many changes the page leaves to the Excel workbook."""
        return max(0, len(self.changes) - CHANGES_SHOWN)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """(code, label) of the count columns."""
        return [(c, COLUMN_LABELS[c]) for c in COLUMNS]

    @property
    def tables(self) -> list[tuple[str, list[CountsRow]]]:
        """The count tables of the page: per subject group, per unit whose counts change."""
        return [
            ("Theo nhóm đối tượng", self.by_group),
            ("Theo đơn vị (các đơn vị có thay đổi)", [r for r in self.by_unit if r.changed]),
        ]


def _decisive(trace: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The step that set the final level: the last that changed it, else the first."""
    changing = [s for s in trace if s.get("to") is not None and s.get("from") != s.get("to")]
    return changing[-1] if changing else (trace[0] if trace else None)


def _usable(
    evaluations: Iterable[EvaluationRow], rulesets: Mapping[int, str]
) -> list[EvaluationRow]:
    """The evaluations that hold what their rule-set classifies: a score, or the criteria."""
    by_criteria = {r: criteria_labels(ruleset_get(r)) is not None for r in set(rulesets.values())}
    return [
        ev
        for ev in evaluations
        if (bool(ev.criteria) if by_criteria[rulesets[ev.pk]] else ev.score is not None)
    ]


def what_if(
    period: Period,
    *,
    ruleset: str | None = None,
    rulesets: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
    progress: ProgressCallback | None = None,
) -> WhatIf:
    """Re-run the period's proposal under the scenario, in memory; raises ValidationError with
    every problem of the scenario (an unknown rule-set or option, no subject it can classify).

    Each evaluation is classified under the rule-set its group would have in the scenario; an
    evaluation without the score (or the criterion ratings) that rule-set needs is left out
    and named in `left_out`. `progress` hears of each stage (a job's page shows them).
    """
    report = progress or _silent
    by_group = dict(period.rulesets if rulesets is None else rulesets)
    main = ruleset or period.ruleset
    period_rulesets_check(main, by_group)
    report("Đọc phiếu đánh giá", 0, 0)
    # Rows, not model instances (a city's year is 200,000); traces and names are read only for
    # the subjects that change.
    rated = any(criteria_labels(ruleset_get(r)) is not None for r in {main, *by_group.values()})
    evaluations = evaluation_rows(
        Evaluation.objects.filter(period=period).order_by("id"), criteria=rated
    )
    if not evaluations:
        raise ValidationError("Kỳ đánh giá chưa có phiếu nào.")
    chosen = {ev.pk: str(by_group.get(ev.group) or main) for ev in evaluations}
    usable = _usable(evaluations, chosen)
    report("Đọc phiếu đánh giá", len(evaluations), len(evaluations))
    if not usable:
        raise ValidationError(
            "Không có phiếu nào có dữ liệu mà bộ quy tắc cần (điểm năm, hoặc mức đánh giá các "
            "nhóm tiêu chí): không thể mô phỏng."
        )
    report("Chạy bộ quy tắc", 0, len(usable))
    try:
        proposal = proposal_compute(
            period,
            usable,
            ruleset=main,
            rulesets=by_group,
            options=dict(period.options if options is None else options),
        )
    except RulesInputError as error:
        raise ValidationError(error.problems) from error
    report("Chạy bộ quy tắc", len(usable), len(usable))
    report("So sánh trước và sau, liệt kê người thay đổi mức", 0, len(usable))
    kept = {ev.pk for ev in usable}
    missing = [ev.pk for ev in evaluations if ev.pk not in kept]
    left_out = [
        ev.subject_name
        for ev in Evaluation.objects.filter(pk__in=missing[:LEFT_OUT_SHOWN])
        .select_related("person", "unit")
        .order_by("id")
    ]
    if len(missing) > LEFT_OUT_SHOWN:
        left_out.append(f"… và {len(missing) - LEFT_OUT_SHOWN} phiếu khác")
    result = _compare(period, usable, proposal, Scenario(ruleset, by_group, options), left_out)
    report("So sánh trước và sau, liệt kê người thay đổi mức", len(usable), len(usable))
    return result


def _silent(stage: str, done: int, total: int) -> None:
    """No progress to report (the page, the API, the command line)."""


def _compare(
    period: Period,
    evaluations: Sequence[EvaluationRow],
    proposal: Proposal,
    scenario: Scenario,
    left_out: list[str],
) -> WhatIf:
    total = CountsRow("Toàn kỳ")
    units: dict[int, CountsRow] = {}
    groups: dict[str, CountsRow] = {}
    changed: list[tuple[EvaluationRow, str, str]] = []
    for ev in evaluations:
        before, after = ev.level or ev.proposed_level, proposal.level(ev.pk)
        unit = units.get(ev.unit_id)
        if unit is None:
            unit = units[ev.unit_id] = CountsRow("")
        group = groups.setdefault(ev.group, CountsRow(GROUP_LABELS.get(ev.group, ev.group)))
        for row in (total, unit, group):
            row.before[before] += 1
            row.after[after] += 1
        if after != before:
            changed.append((ev, before, after))
    names = _in_chunks(Unit.objects.all(), list(units), "name")
    for unit_id, row in units.items():
        row.name = names.get(unit_id, "")
    changes = _changes(changed, proposal, names)
    return WhatIf(
        period=period,
        scenario=scenario.describe(period),
        total=total,
        by_unit=sorted(units.values(), key=lambda r: r.name),
        by_group=[groups[g] for g in EvaluationGroup.values if g in groups],
        changes=sorted(changes, key=lambda c: (c.unit, c.subject, c.evaluation_id)),
        left_out=left_out,
        proposal=proposal,
    )


def _in_chunks(rows: QuerySet[Any], ids: list[int], *fields: str) -> dict[int, Any]:
    """Values by primary key, a chunk of ids at a time (one value, or a tuple of several)."""
    out: dict[int, Any] = {}
    for start in range(0, len(ids), CHUNK):
        for pk, *values in rows.filter(pk__in=ids[start : start + CHUNK]).values_list(
            "pk", *fields
        ):
            out[pk] = values[0] if len(values) == 1 else tuple(values)
    return out


def _changes(
    changed: list[tuple[EvaluationRow, str, str]], proposal: Proposal, unit_names: dict[int, str]
) -> list[Change]:
    """The subjects whose level changes, named, each with the rule that decides it."""
    ids = [ev.pk for ev, _, _ in changed]
    traces = _in_chunks(Evaluation.objects.all(), ids, "trace")
    people = _in_chunks(
        Person.objects.all(), sorted({ev.person_id for ev, _, _ in changed if ev.person_id}),
        "full_name",
    )  # fmt: skip
    out = []
    for ev, before, after in changed:
        decision = proposal.decision(ev.pk)
        step = _decisive(decision["trace"]) or {}
        old = _decisive(traces.get(ev.pk) or [])
        unit = unit_names.get(ev.unit_id, "")
        out.append(
            Change(
                evaluation_id=ev.pk,
                subject=people.get(ev.person_id or 0, "") or unit,
                unit=unit,
                group=GROUP_LABELS.get(ev.group, ev.group),
                before=before,
                after=after,
                rule=str(step.get("rule", "")),
                source=str(step.get("source", "")),
                reason=str(step.get("reason", "")),
                confirmed=bool(step.get("confirmed", True)),
                before_rule=f"{old['rule']}: {old['reason']}" if old else "",
            )
        )
    return out


def what_if_json(result: WhatIf) -> dict[str, Any]:
    """The simulation as JSON (API, CLI)."""

    def row(r: CountsRow) -> dict[str, Any]:
        return {"name": r.name, "before": dict(zip(COLUMNS, r.cells("before"), strict=True)),
                "after": dict(zip(COLUMNS, r.cells("after"), strict=True))}  # fmt: skip

    return {
        "period": result.period.pk,
        "scenario": result.scenario,
        "total": row(result.total),
        "by_unit": [row(r) for r in result.by_unit],
        "by_group": [row(r) for r in result.by_group],
        "changes": [
            {
                "evaluation": c.evaluation_id,
                "subject": c.subject,
                "unit": c.unit,
                "group": c.group,
                "before": c.before,
                "after": c.after,
                "rule": c.rule,
                "source": c.source,
                "confirmed": c.confirmed,
                "reason": c.reason,
                "before_rule": c.before_rule,
            }
            for c in result.changes
        ],
        "left_out": result.left_out,
    }


def parse_options(pairs: Iterable[str]) -> dict[str, Any]:
    """Options written k=v (v read as JSON when it is JSON: 0.3, true, {"G": 0.2}; else as
    text); raises ValidationError naming every malformed pair."""
    out: dict[str, Any] = {}
    problems = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            problems.append(f"Tùy chọn «{pair}» phải viết dạng tên=giá_trị.")
            continue
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    if problems:
        raise ValidationError(problems)
    return out
