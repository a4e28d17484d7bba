"""Conclusion by the competent authority: one level at a time, signed, timed and kept in the
result history, checked against the engine's vetoes, the score band, the head cap, the State
level and the quota; or every unchanged proposal at once, in the legal order."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from thuocdo.audit.services import audit_event_build, audit_record, audit_record_many
from thuocdo.org.scope import scope_for
from thuocdo.reviews.annual.groups import quota_group_labels
from thuocdo.reviews.annual.levels import (
    CONCLUDABLE,
    STATE_GROUPS,
    legal_order,
    level_rank,
    party_shares_by_unit,
    worst_level,
)
from thuocdo.reviews.annual.permissions import can_conclude, evaluation_guard
from thuocdo.reviews.annual.services.common import (
    evaluation_hold,
    period_hold,
    result_history,
    result_json,
)
from thuocdo.reviews.annual.tracks import (
    criteria_labels,
    has_party_shares,
    head_cap_enabled,
    period_options,
    reads_state_level,
    ruleset_get,
    state_link_problem,
)
from thuocdo.reviews.models import (
    Evaluation,
    EvaluationGroup,
    EvaluationState,
    Period,
    PeriodState,
    ResultHistory,
    SubjectKind,
)
from thuocdo.rules import compile_ruleset, quota_limit
from thuocdo.rules.fmt import vn_percent
from thuocdo.rules.ruleset import STATE_LEVEL_KINDS, UNCONFIRMED_LABEL, RuleSet

# Rule kinds whose trace step caps a level for a fact (discipline, finding, targets, absence):
# the authority may lower a level below such a cap, never raise it above.
VETO_KINDS = frozenset(
    {
        "discipline_veto",
        "subunits_discipline_veto",
        "finding_veto",
        "led_unit_finding_veto",
        "targets_veto",
        "state_level_cap",
        "state_level_veto",
        "absence",
    }
)


def _ruleset(evaluation: Evaluation) -> RuleSet:
    """The rule-set that classifies this evaluation."""
    return ruleset_get(evaluation.ruleset)


def _source(ruleset: RuleSet, rule_id: str) -> str:
    return str(ruleset.rule(rule_id).citation)


def _step_citation(ruleset: RuleSet, step: dict[str, Any]) -> str:
    """A stored step's source, marked "chưa xác nhận căn cứ" when its rule is not confirmed."""
    rule = next((r for r in ruleset.rules if r.id == step.get("rule")), None)
    confirmed = step.get("confirmed", rule.confirmed if rule is not None else True)
    source = str(step.get("source", ""))
    return source if confirmed else f"{source} — {UNCONFIRMED_LABEL}"


def _check_veto(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """A level may not be raised above a cap the engine applied for a fact (veto)."""
    kinds = {rule.id: rule.kind for rule in ruleset.rules}
    for step in ev.trace:
        if kinds.get(step.get("rule", "")) not in VETO_KINDS or step.get("to") is None:
            continue
        if (
            step["from"]
            and level_rank(step["to"]) > level_rank(step["from"])
            and level_rank(level) < level_rank(step["to"])
        ):
            raise ValidationError(
                f"Không thể kết luận {level}: bị giới hạn ở mức {step['to']} theo quy tắc "
                f"{step['rule']} ({_step_citation(ruleset, step)}) — {step['reason']}"
            )


def _check_band(ruleset: RuleSet, period: Period, ev: Evaluation, level: str) -> None:
    """A level needs its score band (necessary, not sufficient)."""
    if criteria_labels(ruleset) is not None:
        _check_criteria(ruleset, ev, level)
        return
    bands = {
        **ruleset.option_defaults().get("bands", {}),
        **period_options(ruleset, period.ruleset, period.options).get("bands", {}),
    }
    if level in bands and ev.score is not None and ev.score < Decimal(str(bands[level])):
        raise ValidationError(
            f"Không thể kết luận {level}: điểm năm {ev.score} dưới ngưỡng {bands[level]} "
            f"(quy tắc score-band, {_source(ruleset, 'score-band')})."
        )


def _check_quota(ruleset: RuleSet, period: Period, ev: Evaluation, level: str) -> None:
    """The counts of the quota group after the change must satisfy the engine's limit: its
    rate, and for NĐ 90 the Party members' HTXS share of the unit once it exists."""
    quota = compile_ruleset(ruleset, period_options(ruleset, period.ruleset, period.options)).quota
    if quota is None or ev.kind not in quota.kinds:
        return
    peers = Evaluation.objects.filter(period=period, quota_group=ev.quota_group).exclude(pk=ev.pk)
    levels = Counter(lv or pv for lv, pv in peers.values_list("level", "proposed_level"))
    levels[level] += 1
    n_htxs, n_htt = levels["HTXS"], levels["HTT"]
    n_cls = sum(levels.values()) - levels["KXL"]
    rule = f"quy tắc {quota.rule.id} ({quota.rule.citation})"
    group = quota_group_labels([ev.quota_group])[ev.quota_group]
    rate = quota.rate_of(ev.quota_group)
    if rate is not None:
        limit = quota_limit(rate, quota.base, n_htxs, n_htt, n_cls)
        if n_htxs > limit:
            raise ValidationError(
                f"Không thể kết luận {level}: nhóm {group} sẽ có {n_htxs} HTXS, vượt giới "
                f"hạn {limit} ({vn_percent(rate)}) — {rule}."
            )
    share = _party_share(period, ev) if has_party_shares(ruleset) else None
    if share is not None and n_htxs * share.denominator > share.numerator * n_cls:
        raise ValidationError(
            f"Không thể kết luận {level}: nhóm {group} sẽ có {n_htxs}/{n_cls} HTXS, vượt tỷ lệ "
            f"HTXS của đảng viên của đơn vị ({vn_percent(share)}) — {rule}."
        )


def _party_share(period: Period, ev: Evaluation) -> Fraction | None:
    """The HTXS share of the Party members of the evaluation's unit, once they have results."""
    rows = Evaluation.objects.filter(
        period=period, unit_id=ev.unit_id, group=EvaluationGroup.PARTY_MEMBER
    ).values_list("unit_id", "group", "level", "proposed_level")
    return party_shares_by_unit((u, g, lv or pv) for u, g, lv, pv in rows).get(ev.unit_id)


def _check_criteria(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """Without points, the criterion ratings play the band's part: no level above theirs."""
    rated = next((step for step in ev.trace if step.get("rule") == "criteria-rating"), None)
    if rated and rated.get("to") and level != "KXL" and level_rank(level) < level_rank(rated["to"]):
        raise ValidationError(
            f"Không thể kết luận {level}: mức đánh giá các nhóm tiêu chí chỉ cho phép "
            f"{rated['to']} (quy tắc criteria-rating, {rated['source']})."
        )


def _state_evaluations(ev: Evaluation) -> list[Evaluation]:
    """The same person's State classifications (công chức, viên chức) in the period."""
    if ev.person_id is None or ev.group in STATE_GROUPS:
        return []
    return list(
        Evaluation.objects.filter(
            period_id=ev.period_id, person_id=ev.person_id, group__in=STATE_GROUPS
        )
    )


def _check_state_level(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """HD 21 (DESIGN §4.7.4): the State classification is concluded first; a Party member is
    HTXS only if HTXS as CBCCVC, and KHT as CBCCVC makes them KHT."""
    if not reads_state_level(ruleset):
        return
    state = _state_evaluations(ev)
    if not state:
        return
    rules = [r for r in ruleset.rules if r.kind in STATE_LEVEL_KINDS]
    pending = [s for s in state if not s.level]
    if pending:
        raise ValidationError(
            f"Chưa kết luận xếp loại {pending[0].get_group_display().lower()} của "
            f"{ev.subject_name}: xếp loại đảng viên được kết luận sau (quy tắc "
            f"{', '.join(r.id for r in rules)}, {rules[0].citation})."
        )
    period = ev.period
    options = period_options(ruleset, period.ruleset, period.options)
    problem = state_link_problem(ruleset, options, level, worst_level(s.level for s in state))
    if problem is not None:
        rule, why = problem
        raise ValidationError(
            f"Không thể kết luận {level}: đảng viên {ev.subject_name}: {why} "
            f"(quy tắc {rule.id}, {rule.citation})."
        )


def _unit_evaluation(ev: Evaluation) -> Evaluation | None:
    return Evaluation.objects.filter(
        period_id=ev.period_id, kind=SubjectKind.COLLECTIVE, unit_id=ev.unit_id
    ).first()


def _check_head(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """HD 21; 124 and 366: the unit is concluded first, and its head is not above it (under
    NĐ 335 and NĐ 90 only when the option head_cap is on, DESIGN §4.7.3)."""
    period = ev.period
    if not head_cap_enabled(ruleset, period_options(ruleset, period.ruleset, period.options)):
        return
    source = _source(ruleset, "head-cap") if any(r.id == "head-cap" for r in ruleset.rules) else ""
    if ev.kind == SubjectKind.INDIVIDUAL and ev.is_head:
        unit_ev = _unit_evaluation(ev)
        if unit_ev is None:
            return
        if not unit_ev.level:
            raise ValidationError(
                f"Chưa kết luận tập thể {ev.unit.name}: người đứng đầu được kết luận sau tập thể "
                f"(quy tắc head-cap, {source})."
            )
        if level != "KXL" and level_rank(level) < level_rank(unit_ev.level):
            raise ValidationError(
                f"Không thể kết luận {level}: người đứng đầu không được cao hơn mức "
                f"{unit_ev.level} của tập thể {ev.unit.name} (quy tắc head-cap, {source})."
            )
    if ev.kind == SubjectKind.COLLECTIVE and level != "KXL":
        above = Evaluation.objects.filter(
            period_id=ev.period_id, kind=SubjectKind.INDIVIDUAL, unit_id=ev.unit_id, is_head=True
        ).exclude(level="")
        for head in above.exclude(level="KXL").select_related("person"):
            if level_rank(head.level) < level_rank(level):
                raise ValidationError(
                    f"Không thể kết luận {level}: người đứng đầu {head.subject_name} đã được "
                    f"kết luận {head.level}, cao hơn tập thể (quy tắc head-cap, {source})."
                )


def level_check(evaluation: Evaluation, level: str, *, changed: bool) -> None:
    """The checks a concluded level passes (a conclusion, or a change after an appeal): a level
    other than the proposal may not break a veto or the score band; every level keeps the head
    cap, the State level and the quota."""
    period = evaluation.period
    ruleset = _ruleset(evaluation)
    if changed:
        _check_veto(ruleset, evaluation, level)
        _check_band(ruleset, period, evaluation, level)
    _check_head(ruleset, evaluation, level)
    _check_state_level(ruleset, evaluation, level)
    _check_quota(ruleset, period, evaluation, level)


@transaction.atomic
def evaluation_conclude(
    *, actor: Any, evaluation: Evaluation, level: str, reason: str = ""
) -> Evaluation:
    """The competent authority concludes one level, signed and timed; a change of the
    proposal needs a written reason and may not break a veto, the head cap or a quota.

    The period's row lock is held from before the checks to the write: two conclusions in one
    quota group (or a head and their unit) are checked one after the other, each against what
    the other wrote (issue 14, finding 3)."""
    if not can_conclude(actor, evaluation):
        raise PermissionDenied("Chỉ cấp có thẩm quyền quản lý mới kết luận.")
    evaluation_hold(evaluation)
    period = evaluation.period
    evaluation_guard(period)
    if period.state == PeriodState.PUBLISHED:
        raise ValidationError(
            "Kết quả đã công khai: chỉ thay đổi qua giải quyết kiến nghị, hoặc mở lại kỳ."
        )
    if evaluation.state not in (EvaluationState.PROPOSED, EvaluationState.CONCLUDED):
        raise ValidationError(
            f"{evaluation.subject_name}: chưa có đề xuất của Ban Tổ chức, chưa thể kết luận."
        )
    if level not in CONCLUDABLE:
        raise ValidationError(f"Mức «{level}» không hợp lệ.")
    reason = reason.strip()
    changed = level != evaluation.proposed_level
    if changed and not reason:
        raise ValidationError("Kết luận khác mức đề xuất phải ghi rõ lý do.")
    level_check(evaluation, level, changed=changed)
    before = result_json(evaluation)
    evaluation.level, evaluation.reason = level, reason
    evaluation.concluded_by, evaluation.concluded_at = actor, timezone.now()
    evaluation.state = EvaluationState.CONCLUDED
    evaluation.save(update_fields=["level", "reason", "concluded_by", "concluded_at", "state"])
    result_history(evaluation, "change" if changed else "conclude", actor).save()
    audit_record(
        actor=actor,
        action="evaluation.conclude",
        obj=evaluation,
        before=before,
        after=result_json(evaluation),
        note=reason,
    )
    return evaluation


@transaction.atomic
def evaluations_accept_all(*, actor: Any, period: Period) -> dict[str, int]:
    """Conclude, unchanged, every proposal the actor is competent for, in the legal order;
    a proposal that cannot stand as it is (a head above a lowered unit) is left for a decision.
    """
    period_hold(period)
    evaluation_guard(period)
    scope = scope_for(actor)
    waiting = Evaluation.objects.filter(period=period, state=EvaluationState.PROPOSED)
    if not scope.everything:
        waiting = waiting.filter(authority_id__in=scope.authority_ids)
    now = timezone.now()
    chosen = legal_order(waiting.select_related("unit", "person"))
    if not chosen:
        raise ValidationError("Không còn đề xuất nào chờ anh/chị kết luận.")
    unit_levels = dict(
        Evaluation.objects.filter(period=period, kind=SubjectKind.COLLECTIVE)
        .exclude(level="")
        .values_list("unit_id", "level")
    )
    has_unit = set(
        Evaluation.objects.filter(period=period, kind=SubjectKind.COLLECTIVE).values_list(
            "unit_id", flat=True
        )
    )
    # Each person's State classifications: those still open, and the levels concluded.
    state_open: Counter[int] = Counter()
    state_levels: dict[int, list[str]] = defaultdict(list)
    for person_id, level in Evaluation.objects.filter(
        period=period, group__in=STATE_GROUPS
    ).values_list("person_id", "level"):
        if level:
            state_levels[person_id].append(level)
        else:
            state_open[person_id] += 1
    loaded = {r: ruleset_get(r) for r in {ev.ruleset for ev in chosen}}
    options = {r: period_options(rs, period.ruleset, period.options) for r, rs in loaded.items()}
    capped = {r: reads_state_level(rs) for r, rs in loaded.items()}
    heads_capped = {r: head_cap_enabled(rs, options[r]) for r, rs in loaded.items()}
    done: list[Evaluation] = []
    skipped = 0
    for ev in chosen:
        if (
            ev.kind == SubjectKind.INDIVIDUAL
            and ev.is_head
            and ev.unit_id in has_unit
            and heads_capped[ev.ruleset]
        ):
            unit_level = unit_levels.get(ev.unit_id)
            if unit_level is None or (
                ev.proposed_level != "KXL"
                and level_rank(ev.proposed_level) < level_rank(unit_level)
            ):
                skipped += 1
                continue
        person = ev.person_id
        if (
            person is not None
            and ev.group not in STATE_GROUPS
            and (state_open[person] or person in state_levels)
            and capped[ev.ruleset]
        ):
            state = worst_level(state_levels[person])
            if state_open[person] or state_link_problem(
                loaded[ev.ruleset], options[ev.ruleset], ev.proposed_level, state
            ):
                skipped += 1
                continue
        ev.level, ev.reason, ev.concluded_by, ev.concluded_at = ev.proposed_level, "", actor, now
        ev.state = EvaluationState.CONCLUDED
        if ev.kind == SubjectKind.COLLECTIVE:
            unit_levels[ev.unit_id] = ev.level
        if person is not None and ev.group in STATE_GROUPS:
            state_open[person] -= 1
            state_levels[person].append(ev.level)
        done.append(ev)
    # Proposals come from the engine, which already holds the quotas; accepting them unchanged
    # cannot break one, unless earlier overrides did, which their own checks refused.
    Evaluation.objects.bulk_update(
        done, ["level", "reason", "concluded_by", "concluded_at", "state"], batch_size=2000
    )
    ResultHistory.objects.bulk_create([result_history(ev, "accept", actor) for ev in done])
    audit_record_many(
        audit_event_build(
            actor=actor,
            action="evaluation.accept",
            obj=ev,
            after=result_json(ev),
        )
        for ev in done
    )
    return {"concluded": len(done), "skipped": skipped}
