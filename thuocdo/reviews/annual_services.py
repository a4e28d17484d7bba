"""Writes of the annual cycle: open, self-review, leader, verify, propose, conclude, publish,
lock and reopen. Every one atomic, guarded against a locked period, and audited."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from thuocdo.audit.services import audit_event_build, audit_record, audit_record_many
from thuocdo.org.models import Authority, Category, Discipline, Post, Unit
from thuocdo.org.party import grassroots_of
from thuocdo.org.scope import Scope, scope_for, units_write_q
from thuocdo.reviews.models import (
    EVALUATION_STEPS,
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationGroup,
    EvaluationState,
    MonthlyScore,
    Period,
    PeriodKind,
    PeriodState,
    ResultHistory,
    SubjectKind,
)
from thuocdo.reviews.tracks import (
    RATINGS,
    batch_order,
    criteria_labels,
    period_options,
    reads_state_level,
    ruleset_get,
)
from thuocdo.rules import annual_mean, classify_json, compile_ruleset, quota_limit
from thuocdo.rules.ruleset import RuleSet
from thuocdo.targets.models import TargetSet
from thuocdo.targets.selectors import targets_engine_input

LEVELS = ("HTXS", "HTT", "HTNV", "KHT")
CONCLUDABLE = (*LEVELS, "KXL")
# Rule kinds whose trace step caps a level for a fact (discipline, finding, targets, absence):
# the authority may lower a level below such a cap, never raise it above.
VETO_KINDS = frozenset(
    {
        "discipline_veto",
        "subunits_discipline_veto",
        "finding_veto",
        "targets_veto",
        "state_level_cap",
        "absence",
    }
)
# Criterion groups of the self-review, as in the Party's forms.
CRITERIA_2A = {
    "politics": "Tư tưởng chính trị",
    "ethics": "Phẩm chất đạo đức, lối sống",
    "style": "Tác phong, lề lối làm việc",
    "discipline": "Ý thức tổ chức kỷ luật",
    "results": "Kết quả thực hiện chức trách, nhiệm vụ được giao",
}
CRITERIA_2B = {**CRITERIA_2A, "leadership": "Năng lực lãnh đạo, quản lý; kết quả của đơn vị"}
CRITERIA_01 = {
    "party_building": "Công tác xây dựng Đảng, hệ thống chính trị",
    "tasks": "Kết quả thực hiện nhiệm vụ chính trị được giao",
    "leadership": "Công tác lãnh đạo, chỉ đạo, điều hành",
    "discipline": "Thực hiện kỷ luật, kỷ cương; phòng, chống tham nhũng, tiêu cực",
}
# Mẫu 2C: a Party member outside the political system (a worker, a retired member) reports on
# their work or trade and their duties as a Party member where they live.
CRITERIA_2C = {
    "politics": "Tư tưởng chính trị",
    "ethics": "Phẩm chất đạo đức, lối sống",
    "discipline": "Ý thức tổ chức kỷ luật",
    "results": "Kết quả thực hiện công việc, nghề nghiệp và nhiệm vụ được chi bộ phân công",
    "residence": "Giữ mối liên hệ với chi ủy, đảng ủy và nhân dân nơi cư trú",
}
FORM_CRITERIA = {"2A": CRITERIA_2A, "2B": CRITERIA_2B, "2C": CRITERIA_2C, "01": CRITERIA_01}
ENGINE_LEVELS = {"HTXS": 0, "HTT": 1, "HTNV": 2, "KHT": 3, "KXL": 4}
# Groups classified under the State's rules, before the same person's Party classification.
STATE_GROUPS = frozenset({EvaluationGroup.CIVIL_SERVANT, EvaluationGroup.PUBLIC_EMPLOYEE})


def _rank(level: str) -> int:
    """Position of a level, best first (KXL last); a lower number is a better level."""
    return ENGINE_LEVELS[level]


def _step(state: str) -> int:
    return EVALUATION_STEPS.index(state)


def evaluation_guard(period: Period) -> None:
    """Refuse every change to a locked period: it must be reopened, with a reason, first."""
    if period.state == PeriodState.LOCKED:
        raise ValidationError(f"{period} đã khóa: phải mở lại (có lý do) trước khi sửa.")


def _year_end(period: Period) -> datetime.date:
    return datetime.date(period.year, 12, 31)


def _ancestors(path: str) -> list[int]:
    """Unit ids of a materialised path, root first."""
    return [int(seg) for seg in path.strip("/").split("/") if seg]


# -- opening ----------------------------------------------------------------------------------


def _group_of(row: Mapping[str, Any]) -> str:
    """A person's group in one post: leaders by their post, then by category."""
    if row["is_head"] or row["is_deputy"]:
        return EvaluationGroup.LEADER
    category = row["person__category"]
    if category == Category.CIVIL_SERVANT:
        return EvaluationGroup.CIVIL_SERVANT
    if category == Category.PUBLIC_EMPLOYEE:
        return EvaluationGroup.PUBLIC_EMPLOYEE
    if row["person__is_party_member"]:
        return EvaluationGroup.PARTY_MEMBER
    return EvaluationGroup.CIVIL_SERVANT


@dataclass(frozen=True)
class _Tree:
    """The subtree's units in memory: kinds, codes, paths and the authorities on each."""

    kinds: dict[int, str]
    codes: dict[int, str]
    paths: dict[int, str]
    parents: dict[int, int | None]
    authority_at: dict[int, int]
    grassroots: frozenset[int] = frozenset()

    def nearest_authority(self, unit_id: int, *, strictly_above: bool = False) -> int | None:
        """The authority attached to the nearest unit on the path (the unit itself first)."""
        chain = _ancestors(self.paths[unit_id])
        if strictly_above:
            chain = chain[:-1]
        for uid in reversed(chain):
            if uid in self.authority_at:
                return self.authority_at[uid]
        return None

    def party_organisation(self, unit_id: int) -> int:
        """The grassroots Party organisation of a unit (DESIGN §4.7.2, org/party.py)."""
        return grassroots_of(_ancestors(self.paths[unit_id]), self.grassroots, self.kinds)


def _tree(period: Period) -> _Tree:
    units = Unit.objects.filter(path__startswith=period.unit.path, is_active=True)
    kinds, codes, paths, parents = {}, {}, {}, {}
    grassroots: set[int] = set()
    for pk, kind, code, path, parent, is_grassroots in units.values_list(
        "pk", "kind", "code", "path", "parent", "is_party_grassroots"
    ):
        kinds[pk], codes[pk], paths[pk], parents[pk] = kind, code, path, parent
        if is_grassroots:
            grassroots.add(pk)
    # Authorities above the period's unit count too: BTV Thành ủy concludes on a district.
    on_path = _ancestors(period.unit.path)
    authority_at: dict[int, int] = {}
    for auth_id, unit_id in (
        Authority.objects.filter(
            Q(unit_id__in=on_path) | Q(unit__path__startswith=period.unit.path)
        )
        .order_by("-id")
        .values_list("pk", "unit_id")
    ):
        authority_at[unit_id] = auth_id  # the oldest authority of a unit wins
    # The units above the period's unit name the quota group of its top collective, and the
    # grassroots Party organisation of a subtree opened below one (a cell of a commune).
    for pk, kind, code, path, is_grassroots in Unit.objects.filter(pk__in=on_path[:-1]).values_list(
        "pk", "kind", "code", "path", "is_party_grassroots"
    ):
        kinds[pk], codes[pk], paths[pk] = kind, code, path
        if is_grassroots:
            grassroots.add(pk)
    return _Tree(kinds, codes, paths, parents, authority_at, frozenset(grassroots))


def _quota_group(group: str, row: Mapping[str, Any], tree: _Tree) -> str:
    """DESIGN §4.5: Party members per grassroots Party organisation, leaders per equivalent
    title, civil servants and public employees per unit and similar-duty group."""
    duty = row["duty_group"] or row["title"]
    if group == EvaluationGroup.LEADER:
        return f"LĐ:{duty}"
    if group == EvaluationGroup.PARTY_MEMBER:
        return f"ĐV:{tree.codes.get(tree.party_organisation(row['unit_id']), row['unit_id'])}"
    return f"CC:{tree.codes[row['unit_id']]}:{duty}"


def _insert_evaluations(period: Period, rows: list[tuple[Any, ...]]) -> None:
    """One INSERT executed for all rows (executemany): a city's year is 200,000 rows, and the
    ORM's per-field preparation of model instances cost ten times the database's own work."""
    quote = connection.ops.quote_name
    fixed = {
        "period_id": period.pk,
        "state": str(EvaluationState.PENDING),
        "self_level": "",
        "leader_level": "",
        "score_source": "",
        "proposed_level": "",
        "flags": "[]",
        "trace": "[]",
        "criteria": "{}",
        "level": "",
        "reason": "",
    }
    varying = [
        "kind",
        "person_id",
        "post_id",
        "unit_id",
        "group",
        "ruleset",
        "quota_group",
        "duty_group",
        "is_head",
        "authority_id",
    ]
    columns = ", ".join(quote(c) for c in [*fixed, *varying])
    marks = ", ".join(["%s"] * (len(fixed) + len(varying)))
    # Identifiers are fixed names quoted by the backend; every value is a parameter.
    table = quote(Evaluation._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    head = tuple(fixed.values())
    with connection.cursor() as cursor:
        params: list[Any] = [head + row for row in rows]
        cursor.executemany(sql, params)


def evaluations_create(*, actor: Any, period: Period) -> int:
    """Create every evaluation of a year period's subtree in one bulk insert; returns the count.

    A collective per active unit, and a person per active post at the end of the year (a
    person with several posts is evaluated in each, HD 43).
    """
    if period.kind != PeriodKind.YEAR:
        raise ValidationError("Chỉ kỳ năm mới tạo phiếu đánh giá, xếp loại năm.")
    if period.evaluations.exists():
        raise ValidationError(f"{period} đã có phiếu đánh giá.")
    tree = _tree(period)
    rows: list[tuple[Any, ...]] = []
    for unit_id, parent_id in tree.parents.items():
        # The collective is concluded by the level above it (its own board cannot judge it).
        authority = tree.nearest_authority(unit_id, strictly_above=True)
        parent_code = tree.codes.get(parent_id) if parent_id else None
        quota_group = f"TT:{parent_code or tree.codes[unit_id]}"
        rows.append(
            (
                str(SubjectKind.COLLECTIVE),
                None,
                None,
                unit_id,
                str(EvaluationGroup.COLLECTIVE),
                period.ruleset_for(EvaluationGroup.COLLECTIVE),
                quota_group,
                tree.kinds[unit_id],
                False,
                authority,
            )
        )
    posts = (
        Post.objects.active(_year_end(period))
        .filter(unit_id__in=list(tree.parents))
        .order_by("unit_id", "person_id", "id")
        .values(
            "pk",
            "person_id",
            "unit_id",
            "is_head",
            "is_deputy",
            "title",
            "duty_group",
            "managed_by_id",
            "person__category",
            "person__is_party_member",
        )
    )
    party_ruleset = period.ruleset_for(EvaluationGroup.PARTY_MEMBER)
    party_done: set[int] = set()

    def person_row(row: Mapping[str, Any], group: str, authority: int | None) -> tuple[Any, ...]:
        return (
            str(SubjectKind.INDIVIDUAL),
            row["person_id"],
            row["pk"],
            row["unit_id"],
            str(group),
            period.ruleset_for(group),
            _quota_group(group, row, tree),
            row["duty_group"] or row["title"],
            row["is_head"] and group == EvaluationGroup.LEADER,
            authority,
        )

    for row in posts.iterator(chunk_size=5000):
        group = _group_of(row)
        # Without a named authority the post falls to the nearest board on its path.
        authority = row["managed_by_id"] or tree.nearest_authority(row["unit_id"])
        rows.append(person_row(row, group, authority))
        # A Party member classified as công chức or viên chức under a State rule-set is also
        # classified once as a Party member, in their Party organisation's quota group.
        if (
            row["person__is_party_member"]
            and group in STATE_GROUPS
            and period.ruleset_for(group) != party_ruleset
            and row["person_id"] not in party_done
        ):
            party_done.add(row["person_id"])
            rows.append(person_row(row, EvaluationGroup.PARTY_MEMBER, authority))
    _insert_evaluations(period, rows)
    audit_record(
        actor=actor,
        action="evaluation.create_batch",
        obj=period,
        after={
            "evaluations": len(rows),
            "collectives": len(tree.parents),
            "people": len(rows) - len(tree.parents) - len(party_done),
            "party_members_also": len(party_done),
        },
    )
    return len(rows)


# -- self-review and the leader ---------------------------------------------------------------


def _is_own(actor: Any, evaluation: Evaluation) -> bool:
    return (
        evaluation.person_id is not None
        and evaluation.person is not None
        and evaluation.person.user_id is not None
        and evaluation.person.user_id == getattr(actor, "pk", None)
    )


def _over_unit(scope: Scope, unit: Unit) -> bool:
    """Leader of the unit, head or organiser over its subtree, or administrator."""
    return (
        scope.everything
        or unit.pk in scope.led_unit_ids
        or any(unit.path.startswith(p) for p in scope.subtree_paths)
    )


def _check_sheet(
    evaluation: Evaluation,
    general: Decimal | None,
    results: Decimal | None,
    criteria: Mapping[str, str] | None,
    level: str,
) -> None:
    """The score sheet of the evaluation's rule-set: points within the parts (30 + 70), or,
    under a rule-set without points, a rating of every criterion group."""
    from thuocdo.reviews.scoring import scale_of

    problems = []
    labels = criteria_labels(ruleset_get(evaluation.ruleset))
    if labels is None:
        scale = scale_of(evaluation.ruleset)
        if general is None or not Decimal(0) <= general <= scale.general:
            problems.append(
                f"Điểm tiêu chí chung phải từ 0 đến {scale.general:f} ({scale.source})."
            )
        if results is None or not Decimal(0) <= results <= scale.results:
            problems.append(
                f"Điểm kết quả thực hiện nhiệm vụ phải từ 0 đến {scale.results:f} ({scale.source})."
            )
        if criteria:
            problems.append(
                f"Bộ quy tắc {evaluation.ruleset} chấm điểm, không đánh giá theo nhóm tiêu chí."
            )
    else:
        given = dict(criteria or {})
        for key, label in labels.items():
            if given.get(key) not in RATINGS:
                problems.append(
                    f"Nhóm tiêu chí «{label}»: chọn một mức ({', '.join(RATINGS.values())})."
                )
        unknown = sorted(set(given) - set(labels))
        if unknown:
            problems.append(f"Nhóm tiêu chí không có trong bộ quy tắc: {', '.join(unknown)}.")
        if general is not None or results is not None:
            problems.append(
                f"Bộ quy tắc {evaluation.ruleset} đánh giá theo nhóm tiêu chí, không chấm điểm."
            )
    if level not in LEVELS:
        problems.append(f"Mức đề xuất «{level}» không hợp lệ (HTXS, HTT, HTNV, KHT).")
    if problems:
        raise ValidationError(problems)


def _assessment_json(a: AnnualAssessment) -> dict[str, Any]:
    return {
        "general": None if a.general is None else str(a.general),
        "results": None if a.results is None else str(a.results),
        "criteria": a.criteria,
        "proposed_level": a.proposed_level,
        "strengths": a.strengths,
        "shortcomings": a.shortcomings,
        "causes": a.causes,
        "remedies": a.remedies,
        "responsibility": a.responsibility,
        "direction": a.direction,
        "note": a.note,
    }


def _save_assessment(
    actor: Any, evaluation: Evaluation, source: str, fields: dict[str, Any]
) -> AnnualAssessment:
    existing = AnnualAssessment.objects.filter(evaluation=evaluation, source=source).first()
    before = _assessment_json(existing) if existing else None
    record = existing or AnnualAssessment(evaluation=evaluation, source=source)
    for name, value in fields.items():
        setattr(record, name, value)
    record.by = actor
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=f"annual_assessment.{source}",
        obj=record,
        before=before,
        after=_assessment_json(record),
    )
    return record


def _monthly_mean(evaluation: Evaluation) -> Decimal | None:
    """NĐ 335, Điều 19/21: a person's annual score is the mean of the monthly scores of the
    months worked, or of the quarterly scores where the agency scores by quarter."""
    if evaluation.person_id is None:
        return None
    totals: dict[str, list[Decimal]] = defaultdict(list)
    for kind, total in MonthlyScore.objects.filter(
        person_id=evaluation.person_id,
        period__kind__in=[PeriodKind.MONTH, PeriodKind.QUARTER],
        period__year=evaluation.period.year,
    ).values_list("period__kind", "total"):
        totals[kind].append(total)
    chosen = totals.get(PeriodKind.MONTH) or totals.get(PeriodKind.QUARTER)
    return annual_mean(chosen) if chosen else None


def _refresh_score(evaluation: Evaluation) -> None:
    """The annual score: the monthly mean when months exist, else the leader's, else own;
    under a rule-set without points, the criterion ratings: the leader's, else own."""
    if criteria_labels(ruleset_get(evaluation.ruleset)) is not None:
        sheets = {a.source: a for a in evaluation.assessments.all()}
        sheet = sheets.get(AssessmentSource.LEADER) or sheets.get(AssessmentSource.SELF)
        evaluation.criteria = sheet.criteria if sheet else {}
        evaluation.score, evaluation.score_source = None, ""
        return
    mean = _monthly_mean(evaluation)
    if mean is not None:
        evaluation.score = mean
        evaluation.score_source = "trung bình điểm các tháng (quý) trong năm (NĐ 335, Điều 19)"
    elif evaluation.leader_score is not None:
        evaluation.score, evaluation.score_source = evaluation.leader_score, "lãnh đạo chấm"
    else:
        evaluation.score, evaluation.score_source = evaluation.self_score, "tự chấm"


@transaction.atomic
def evaluation_self_assess(
    *,
    actor: Any,
    evaluation: Evaluation,
    proposed_level: str,
    general: Decimal | None = None,
    results: Decimal | None = None,
    criteria: dict[str, str] | None = None,
    strengths: dict[str, str] | None = None,
    shortcomings: str = "",
    causes: str = "",
    remedies: str = "",
    responsibility: str = "",
    direction: str = "",
) -> AnnualAssessment:
    """Write the self-review (Mẫu 2A, 2B, 2C, or 01 for a collective by its head) with its
    score sheet (or criterion ratings under a rule-set without points)."""
    period = evaluation.period
    evaluation_guard(period)
    if evaluation.kind == SubjectKind.INDIVIDUAL and not _is_own(actor, evaluation):
        raise PermissionDenied("Chỉ chính người được đánh giá mới tự kiểm điểm.")
    if evaluation.kind == SubjectKind.COLLECTIVE and not _over_unit(
        scope_for(actor), evaluation.unit
    ):
        raise PermissionDenied("Chỉ người đứng đầu hoặc Ban Tổ chức lập báo cáo của tập thể.")
    if _step(evaluation.state) > _step(EvaluationState.REVIEWED):
        raise ValidationError("Đã thẩm định: không sửa bản tự kiểm điểm được nữa.")
    _check_sheet(evaluation, general, results, criteria, proposed_level)
    allowed = FORM_CRITERIA[evaluation.form_code]
    unknown = sorted(set(strengths or {}) - set(allowed))
    if unknown:
        raise ValidationError(f"Nhóm tiêu chí không có trong Mẫu {evaluation.form_code}: {unknown}")
    record = _save_assessment(
        actor,
        evaluation,
        AssessmentSource.SELF,
        {
            "general": general,
            "results": results,
            "criteria": dict(criteria or {}),
            "proposed_level": proposed_level,
            "strengths": {k: v for k, v in (strengths or {}).items() if v},
            "shortcomings": shortcomings,
            "causes": causes,
            "remedies": remedies,
            "responsibility": responsibility if evaluation.form_code == "2B" else "",
            "direction": direction,
        },
    )
    evaluation.self_score, evaluation.self_level = record.total, proposed_level
    if evaluation.state == EvaluationState.PENDING:
        evaluation.state = EvaluationState.SELF_ASSESSED
    _refresh_score(evaluation)
    evaluation.save(
        update_fields=["self_score", "self_level", "state", "score", "score_source", "criteria"]
    )
    _period_reach(period, PeriodState.SELF_ASSESSMENT)
    return record


@transaction.atomic
def evaluation_review(
    *,
    actor: Any,
    evaluation: Evaluation,
    proposed_level: str,
    general: Decimal | None = None,
    results: Decimal | None = None,
    criteria: dict[str, str] | None = None,
    note: str = "",
) -> AnnualAssessment:
    """The direct leader's (or, for a collective, the level above's) score and proposed level."""
    period = evaluation.period
    evaluation_guard(period)
    if _is_own(actor, evaluation) or not _over_unit(scope_for(actor), evaluation.unit):
        raise PermissionDenied("Chỉ lãnh đạo trực tiếp đánh giá người mình phụ trách.")
    if evaluation.state == EvaluationState.PENDING:
        raise ValidationError("Người được đánh giá chưa tự kiểm điểm.")
    if _step(evaluation.state) > _step(EvaluationState.REVIEWED):
        raise ValidationError("Đã thẩm định: không sửa đánh giá của lãnh đạo được nữa.")
    _check_sheet(evaluation, general, results, criteria, proposed_level)
    record = _save_assessment(
        actor,
        evaluation,
        AssessmentSource.LEADER,
        {
            "general": general,
            "results": results,
            "criteria": dict(criteria or {}),
            "proposed_level": proposed_level,
            "note": note,
        },
    )
    evaluation.leader_score, evaluation.leader_level = record.total, proposed_level
    evaluation.state = EvaluationState.REVIEWED
    _refresh_score(evaluation)
    evaluation.save(
        update_fields=[
            "leader_score",
            "leader_level",
            "state",
            "score",
            "score_source",
            "criteria",
        ]
    )
    _period_reach(period, PeriodState.REVIEW)
    return record


def _period_reach(period: Period, state: str) -> None:
    """Move the period forward to a step (never back: reopening is its own audited service)."""
    order = [s.value for s in PeriodState]
    if order.index(period.state) < order.index(state):
        period.state = state
        period.save(update_fields=["state"])


# -- verification and proposal ----------------------------------------------------------------


def _can_organise(actor: Any, period: Period) -> bool:
    scope = scope_for(actor)
    return scope.everything or Unit.objects.filter(units_write_q(scope), pk=period.unit_id).exists()


@transaction.atomic
def evaluations_verify(*, actor: Any, period: Period, evaluation_ids: Iterable[int]) -> int:
    """The organiser verifies (thẩm định) reviewed evaluations of the period; returns the count."""
    evaluation_guard(period)
    scope = scope_for(actor)
    if not scope.everything and not scope.write_paths:
        raise PermissionDenied("Chỉ Ban Tổ chức thẩm định.")
    ids = sorted({int(i) for i in evaluation_ids})
    # An evaluation outside the organiser's units is refused exactly like a missing one: the
    # answer must not tell which ids exist elsewhere (issue 14, finding 11).
    writable = Unit.objects.filter(units_write_q(scope)).values("pk")
    chosen = list(
        Evaluation.objects.filter(period=period, pk__in=ids, unit__in=writable).select_related(
            "unit", "person"
        )
    )
    if len(chosen) != len(ids):
        raise ValidationError("Có phiếu không thuộc kỳ đánh giá này.")
    rated = {r: criteria_labels(ruleset_get(r)) is not None for r in {ev.ruleset for ev in chosen}}
    events = []
    for ev in chosen:
        if ev.state not in (EvaluationState.REVIEWED, EvaluationState.SELF_ASSESSED):
            raise ValidationError(
                f"{ev.subject_name}: không thể thẩm định ở bước «{ev.get_state_display()}»."
            )
        if rated[ev.ruleset]:
            if not ev.criteria:
                raise ValidationError(f"{ev.subject_name}: chưa đánh giá các nhóm tiêu chí.")
        elif ev.score is None:
            raise ValidationError(f"{ev.subject_name}: chưa có điểm năm.")
        events.append(
            audit_event_build(
                actor=actor,
                action="evaluation.verify",
                obj=ev,
                before={"state": ev.state},
                after={"state": EvaluationState.VERIFIED},
            )
        )
        ev.state, ev.verified_by = EvaluationState.VERIFIED, actor
    Evaluation.objects.bulk_update(chosen, ["state", "verified_by"], batch_size=2000)
    audit_record_many(events)
    _period_reach(period, PeriodState.VERIFICATION)
    return len(chosen)


def _disciplines_by_person(period: Period, person_ids: Sequence[int]) -> dict[int, list[Any]]:
    """Disciplines decided in the period's year, as the engine's records."""
    out: dict[int, list[Any]] = defaultdict(list)
    for start in range(0, len(person_ids), 5000):
        rows = Discipline.objects.filter(
            person_id__in=person_ids[start : start + 5000], date__year=period.year
        ).order_by("date", "id")
        for d in rows:
            out[d.person_id].append(
                {
                    "id": f"KL-{d.pk}",
                    "form": d.form,
                    "date": d.date.isoformat(),
                    "duty_related": d.duty_related,
                    "self_remedied": d.self_remedied,
                }
            )
    return out


def _targets_by_unit(period: Period, unit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The engine's targets of each unit's target set for the year (also its head's)."""
    out: dict[int, dict[str, Any]] = {}
    sets = TargetSet.objects.filter(unit_id__in=list(unit_ids), year=period.year)
    for target_set in sets.prefetch_related("indicators"):
        t = targets_engine_input(target_set)
        if t.assigned:
            out[target_set.unit_id] = {
                "assigned": t.assigned,
                "met": t.met,
                "main_missed": t.main_missed,
                "force_majeure": t.force_majeure,
            }
    return out


def period_batch(
    period: Period,
    evaluations: Sequence[Evaluation],
    *,
    state_levels: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """The engine batch (DESIGN §5) of the evaluations of a period under one rule-set.

    `state_levels` gives, per person, the State level (công chức, viên chức) that a Party
    rule-set caps their Party-member level at.
    """
    rulesets = {ev.ruleset for ev in evaluations}
    assert len(rulesets) <= 1, "one batch is one rule-set"
    ruleset_id = rulesets.pop() if rulesets else period.ruleset
    ruleset = ruleset_get(ruleset_id)
    by_criteria = criteria_labels(ruleset) is not None
    collectives = {ev.unit_id for ev in evaluations if ev.kind == SubjectKind.COLLECTIVE}
    parents = dict(Unit.objects.filter(pk__in=collectives).values_list("pk", "parent_id"))
    person_ids = sorted({ev.person_id for ev in evaluations if ev.person_id is not None})
    disciplines = _disciplines_by_person(period, person_ids)
    targets = _targets_by_unit(period, collectives)
    subjects: list[dict[str, Any]] = []
    for ev in evaluations:
        subject: dict[str, Any] = {
            "id": ev.engine_id,
            "kind": ev.kind,
            "quota_group": ev.quota_group,
        }
        if by_criteria:
            subject["criteria"] = ev.criteria
        else:
            assert ev.score is not None
            subject["score"] = float(ev.score)
        if ev.kind == SubjectKind.COLLECTIVE:
            parent = parents.get(ev.unit_id)
            if parent in collectives:
                subject["parent"] = f"U{parent}"
            if ev.unit_id in targets:
                subject["targets"] = targets[ev.unit_id]
        else:
            subject["group"] = ev.group
            if ev.unit_id in collectives:
                subject["unit"] = f"U{ev.unit_id}"
                if ev.is_head:
                    subject["heads"] = f"U{ev.unit_id}"
                    if ev.unit_id in targets:
                        subject["targets"] = targets[ev.unit_id]
            if ev.person_id in disciplines:
                subject["disciplines"] = disciplines[ev.person_id]
            if state_levels and ev.person_id is not None and ev.person_id in state_levels:
                subject["state_level"] = state_levels[ev.person_id]
        subjects.append(subject)
    options = period_options(ruleset, period.ruleset, period.options)
    return {
        "ruleset": ruleset_id,
        "period": {"kind": "year", "year": period.year},
        "options": options,
        "subjects": subjects,
    }


def _worst(levels: Iterable[str]) -> str:
    """The lowest classified level of several (KXL, not classified, does not count)."""
    classified = [lv for lv in levels if lv and lv != "KXL"]
    return max(classified, key=_rank) if classified else "KXL"


def state_levels_of(evaluations: Iterable[Evaluation]) -> dict[int, str]:
    """Per person, the level of their State classification (conclusion, else proposal); of
    several posts the lowest, so that no Party-member level rises above any of them."""
    found: dict[int, list[str]] = defaultdict(list)
    for ev in evaluations:
        if ev.person_id is not None and ev.group in STATE_GROUPS and _current(ev):
            found[ev.person_id].append(_current(ev))
    return {person: _worst(levels) for person, levels in found.items()}


@transaction.atomic
def period_propose(*, actor: Any, period: Period) -> dict[str, int]:
    """Run the engine over the whole period, one batch per rule-set, and store each proposal
    with its trace.

    State rule-sets run before the Party rule-sets that cap a Party member at their State
    level. The engine orders the work inside a batch (lower collectives, then members, heads
    last) and applies the quotas; ties at a quota boundary come back flagged `quota_tie`.
    """
    evaluation_guard(period)
    if not _can_organise(actor, period):
        raise PermissionDenied("Chỉ Ban Tổ chức đề xuất mức xếp loại.")
    evaluations = list(Evaluation.objects.filter(period=period).order_by("id"))
    waiting = Counter(
        ev.get_state_display()
        for ev in evaluations
        if ev.state not in (EvaluationState.VERIFIED, EvaluationState.PROPOSED)
    )
    if waiting:
        summary = ", ".join(f"{n} phiếu «{s}»" for s, n in sorted(waiting.items()))
        raise ValidationError(f"Chưa thể đề xuất: còn {summary}; mọi phiếu phải được thẩm định.")
    if not evaluations:
        raise ValidationError("Kỳ đánh giá chưa có phiếu nào.")
    by_ruleset: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in evaluations:
        by_ruleset[ev.ruleset].append(ev)
    summary_counts: Counter[str] = Counter({level: 0 for level in CONCLUDABLE})
    batches = []
    for ruleset_id in batch_order(by_ruleset):
        group = by_ruleset[ruleset_id]
        state_levels = (
            state_levels_of(evaluations) if reads_state_level(ruleset_get(ruleset_id)) else None
        )
        result = classify_json(period_batch(period, group, state_levels=state_levels))
        decisions = {d["id"]: d for d in result["decisions"]}
        for ev in group:
            d = decisions[ev.engine_id]
            ev.proposed_level, ev.flags, ev.trace = d["level"], d["flags"], d["trace"]
            ev.state = EvaluationState.PROPOSED
        summary_counts.update(result["summary"]["by_level"])
        batches.append({"ruleset": ruleset_id, "by_level": result["summary"]["by_level"]})
    Evaluation.objects.bulk_update(
        evaluations, ["proposed_level", "flags", "trace", "state"], batch_size=2000
    )
    ties = sum(1 for ev in evaluations if "quota_tie" in ev.flags)
    audit_record(
        actor=actor,
        action="evaluation.propose_batch",
        obj=period,
        after={"batches": batches, "by_level": dict(summary_counts), "quota_tie": ties},
    )
    _period_reach(period, PeriodState.CONCLUSION)
    return {**summary_counts, "quota_tie": ties}


# -- conclusion -------------------------------------------------------------------------------


def can_conclude(actor: Any, evaluation: Evaluation) -> bool:
    """The competent authority of the subject (its managing board), or an administrator."""
    scope = scope_for(actor)
    return scope.everything or (
        evaluation.authority_id is not None and evaluation.authority_id in scope.authority_ids
    )


def _current(ev: Evaluation) -> str:
    """The level that counts now: the conclusion if any, else the engine's proposal."""
    return ev.level or ev.proposed_level


def _ruleset(evaluation: Evaluation) -> RuleSet:
    """The rule-set that classifies this evaluation."""
    return ruleset_get(evaluation.ruleset)


def _source(ruleset: RuleSet, rule_id: str) -> str:
    return str(ruleset.rule(rule_id).source)


def _check_veto(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """A level may not be raised above a cap the engine applied for a fact (veto)."""
    kinds = {rule.id: rule.kind for rule in ruleset.rules}
    for step in ev.trace:
        if kinds.get(step.get("rule", "")) not in VETO_KINDS or step.get("to") is None:
            continue
        if (
            step["from"]
            and _rank(step["to"]) > _rank(step["from"])
            and _rank(level) < _rank(step["to"])
        ):
            raise ValidationError(
                f"Không thể kết luận {level}: bị giới hạn ở mức {step['to']} theo quy tắc "
                f"{step['rule']} ({step['source']}) — {step['reason']}"
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
    """The counts of the quota group after the change must satisfy the engine's limit."""
    quota = compile_ruleset(ruleset, period_options(ruleset, period.ruleset, period.options)).quota
    if quota is None or ev.kind not in quota.kinds:
        return
    peers = Evaluation.objects.filter(period=period, quota_group=ev.quota_group).exclude(pk=ev.pk)
    levels = Counter(lv or pv for lv, pv in peers.values_list("level", "proposed_level"))
    levels[level] += 1
    n_htxs, n_htt = levels["HTXS"], levels["HTT"]
    n_cls = sum(levels.values()) - levels["KXL"]
    rate = (
        quota.outstanding_rate
        if quota.outstanding_rate is not None and ev.quota_group in quota.outstanding
        else quota.rate
    )
    limit = quota_limit(rate, quota.base, n_htxs, n_htt, n_cls)
    if n_htxs > limit:
        raise ValidationError(
            f"Không thể kết luận {level}: nhóm {ev.quota_group} sẽ có {n_htxs} HTXS, vượt giới "
            f"hạn {limit} ({rate.numerator * 100 // rate.denominator}%) — quy tắc "
            f"{quota.rule.id} ({quota.rule.source})."
        )


def _check_criteria(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """Without points, the criterion ratings play the band's part: no level above theirs."""
    rated = next((step for step in ev.trace if step.get("rule") == "criteria-rating"), None)
    if rated and rated.get("to") and level != "KXL" and _rank(level) < _rank(rated["to"]):
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
    """HD 21 principle: the State classification comes first, and a Party member is not
    classified above it (rule state-level-cap of the Party rule-sets)."""
    if not reads_state_level(ruleset):
        return
    state = _state_evaluations(ev)
    if not state:
        return
    rule = next(r for r in ruleset.rules if r.kind == "state_level_cap")
    pending = [s for s in state if not s.level]
    if pending:
        raise ValidationError(
            f"Chưa kết luận xếp loại {pending[0].get_group_display().lower()} của "
            f"{ev.subject_name}: xếp loại đảng viên được kết luận sau (quy tắc {rule.id}, "
            f"{rule.source})."
        )
    cap = _worst(s.level for s in state)
    if level != "KXL" and cap != "KXL" and _rank(level) < _rank(cap):
        raise ValidationError(
            f"Không thể kết luận {level}: đảng viên {ev.subject_name} đã được xếp loại "
            f"{cap} là cán bộ, công chức, viên chức; mức đảng viên không cao hơn "
            f"(quy tắc {rule.id}, {rule.source})."
        )


def _unit_evaluation(ev: Evaluation) -> Evaluation | None:
    return Evaluation.objects.filter(
        period_id=ev.period_id, kind=SubjectKind.COLLECTIVE, unit_id=ev.unit_id
    ).first()


def _check_head(ruleset: RuleSet, ev: Evaluation, level: str) -> None:
    """HD 21; 124 and 366: the unit is concluded first, and its head is not above it."""
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
        if level != "KXL" and _rank(level) < _rank(unit_ev.level):
            raise ValidationError(
                f"Không thể kết luận {level}: người đứng đầu không được cao hơn mức "
                f"{unit_ev.level} của tập thể {ev.unit.name} (quy tắc head-cap, {source})."
            )
    if ev.kind == SubjectKind.COLLECTIVE and level != "KXL":
        above = Evaluation.objects.filter(
            period_id=ev.period_id, kind=SubjectKind.INDIVIDUAL, unit_id=ev.unit_id, is_head=True
        ).exclude(level="")
        for head in above.exclude(level="KXL").select_related("person"):
            if _rank(head.level) < _rank(level):
                raise ValidationError(
                    f"Không thể kết luận {level}: người đứng đầu {head.subject_name} đã được "
                    f"kết luận {head.level}, cao hơn tập thể (quy tắc head-cap, {source})."
                )


def _result_json(ev: Evaluation) -> dict[str, Any]:
    return {
        "proposed_level": ev.proposed_level,
        "level": ev.level,
        "score": None if ev.score is None else str(ev.score),
        "reason": ev.reason,
        "state": ev.state,
    }


def _history(ev: Evaluation, action: str, actor: Any) -> ResultHistory:
    return ResultHistory(
        evaluation=ev,
        action=action,
        proposed_level=ev.proposed_level,
        level=ev.level,
        score=ev.score,
        reason=ev.reason,
        concluded_by_id=ev.concluded_by_id,
        concluded_at=ev.concluded_at,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def evaluation_conclude(
    *, actor: Any, evaluation: Evaluation, level: str, reason: str = ""
) -> Evaluation:
    """The competent authority concludes one level, signed and timed; a change of the
    proposal needs a written reason and may not break a veto, the head cap or a quota."""
    period = evaluation.period
    evaluation_guard(period)
    if not can_conclude(actor, evaluation):
        raise PermissionDenied("Chỉ cấp có thẩm quyền quản lý mới kết luận.")
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
    ruleset = _ruleset(evaluation)
    if changed:
        _check_veto(ruleset, evaluation, level)
        _check_band(ruleset, period, evaluation, level)
    _check_head(ruleset, evaluation, level)
    _check_state_level(ruleset, evaluation, level)
    _check_quota(ruleset, period, evaluation, level)
    before = _result_json(evaluation)
    evaluation.level, evaluation.reason = level, reason
    evaluation.concluded_by, evaluation.concluded_at = actor, timezone.now()
    evaluation.state = EvaluationState.CONCLUDED
    evaluation.save(update_fields=["level", "reason", "concluded_by", "concluded_at", "state"])
    _history(evaluation, "change" if changed else "conclude", actor).save()
    audit_record(
        actor=actor,
        action="evaluation.conclude",
        obj=evaluation,
        before=before,
        after=_result_json(evaluation),
        note=reason,
    )
    return evaluation


def legal_order(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """Collectives (lower before higher), then members, heads last (HD 21; 124; 366)."""

    def key(ev: Evaluation) -> tuple[int, int, str, int]:
        if ev.kind == SubjectKind.COLLECTIVE:
            return (0, -ev.unit.depth, ev.unit.path, ev.pk)
        if ev.is_head:
            return (3, 0, ev.unit.path, ev.pk)
        # A person's State classification before their Party-member classification.
        return (1 if ev.group in STATE_GROUPS else 2, 0, ev.unit.path, ev.pk)

    return sorted(evaluations, key=key)


@transaction.atomic
def evaluations_accept_all(*, actor: Any, period: Period) -> dict[str, int]:
    """Conclude, unchanged, every proposal the actor is competent for, in the legal order;
    a proposal that cannot stand as it is (a head above a lowered unit) is left for a decision.
    """
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
    capped = {r: reads_state_level(ruleset_get(r)) for r in {ev.ruleset for ev in chosen}}
    done: list[Evaluation] = []
    skipped = 0
    for ev in chosen:
        if ev.kind == SubjectKind.INDIVIDUAL and ev.is_head and ev.unit_id in has_unit:
            unit_level = unit_levels.get(ev.unit_id)
            if unit_level is None or (
                ev.proposed_level != "KXL" and _rank(ev.proposed_level) < _rank(unit_level)
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
            cap = _worst(state_levels[person])
            if state_open[person] or (
                ev.proposed_level != "KXL"
                and cap != "KXL"
                and _rank(ev.proposed_level) < _rank(cap)
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
    ResultHistory.objects.bulk_create([_history(ev, "accept", actor) for ev in done])
    audit_record_many(
        audit_event_build(
            actor=actor,
            action="evaluation.accept",
            obj=ev,
            after=_result_json(ev),
        )
        for ev in done
    )
    return {"concluded": len(done), "skipped": skipped}


# -- publication, locking, reopening ----------------------------------------------------------


def _can_publish(actor: Any, period: Period) -> bool:
    scope = scope_for(actor)
    if _can_organise(actor, period):
        return True
    return Evaluation.objects.filter(period=period, authority_id__in=scope.authority_ids).exists()


@transaction.atomic
def period_publish(*, actor: Any, period: Period) -> int:
    """Publish the concluded results inside the units (công khai); returns the count."""
    evaluation_guard(period)
    if not _can_publish(actor, period):
        raise PermissionDenied("Chỉ cấp có thẩm quyền hoặc Ban Tổ chức công khai kết quả.")
    open_ = Evaluation.objects.filter(period=period).exclude(
        state__in=[EvaluationState.CONCLUDED, EvaluationState.PUBLISHED]
    )
    left = open_.count()
    if left:
        raise ValidationError(f"Còn {left} phiếu chưa được kết luận; chưa thể công khai.")
    count = Evaluation.objects.filter(period=period, state=EvaluationState.CONCLUDED).update(
        state=EvaluationState.PUBLISHED
    )
    before = period.state
    _period_reach(period, PeriodState.PUBLISHED)
    # The appeal window runs from publication (Period.appeal_days).
    period.published_at = timezone.now()
    period.save(update_fields=["published_at"])
    audit_record(
        actor=actor,
        action="period.publish",
        obj=period,
        before={"state": before},
        after={"state": period.state, "published": count},
    )
    return count


@transaction.atomic
def period_lock(*, actor: Any, period: Period) -> None:
    """Lock a published period: results and assessments can no longer change."""
    evaluation_guard(period)
    if not _can_publish(actor, period):
        raise PermissionDenied("Chỉ cấp có thẩm quyền hoặc Ban Tổ chức khóa kỳ đánh giá.")
    if period.state != PeriodState.PUBLISHED:
        raise ValidationError("Chỉ khóa kỳ đánh giá đã công khai kết quả.")
    from thuocdo.reviews.appeals import lock_check  # appeals build on this module

    lock_check(period)
    period.state = PeriodState.LOCKED
    period.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="period.lock",
        obj=period,
        before={"state": PeriodState.PUBLISHED},
        after={"state": PeriodState.LOCKED},
    )


@transaction.atomic
def period_reopen(*, actor: Any, period: Period, reason: str) -> None:
    """Reopen a locked period for conclusions (authority only, with a reason); every current
    result is kept in the history first."""
    scope = scope_for(actor)
    competent = scope.everything or (
        bool(scope.authority_ids)
        and Evaluation.objects.filter(period=period, authority_id__in=scope.authority_ids).exists()
    )
    if not competent:
        raise PermissionDenied("Chỉ cấp có thẩm quyền được mở lại kỳ đánh giá đã khóa.")
    if period.state != PeriodState.LOCKED:
        raise ValidationError("Kỳ đánh giá chưa khóa.")
    if not reason.strip():
        raise ValidationError("Mở lại kỳ đánh giá phải ghi rõ lý do.")
    evaluations = list(Evaluation.objects.filter(period=period))
    ResultHistory.objects.bulk_create(
        [_history(ev, "reopen", actor) for ev in evaluations], batch_size=2000
    )
    Evaluation.objects.filter(period=period, state=EvaluationState.PUBLISHED).update(
        state=EvaluationState.CONCLUDED
    )
    period.state = PeriodState.CONCLUSION
    period.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="period.reopen",
        obj=period,
        before={"state": PeriodState.LOCKED},
        after={"state": PeriodState.CONCLUSION, "kept_in_history": len(evaluations)},
        note=reason.strip(),
    )


__all__ = [
    "can_conclude",
    "evaluation_conclude",
    "evaluation_guard",
    "evaluation_review",
    "evaluation_self_assess",
    "evaluations_accept_all",
    "evaluations_create",
    "evaluations_verify",
    "legal_order",
    "period_batch",
    "period_lock",
    "period_propose",
    "period_publish",
    "period_reopen",
]
