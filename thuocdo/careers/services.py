"""Writes of careers. Each is atomic, checks who may make it, and records an audit event."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.careers import rules
from thuocdo.careers.models import (
    CaseDecision,
    CaseOutcome,
    PlanningPool,
    PoolCandidate,
    Rotation,
    TitleStandard,
    Training,
)
from thuocdo.careers.permissions import may_decide, may_manage_pools
from thuocdo.careers.selectors import people_flags
from thuocdo.org import services as org
from thuocdo.org.models import Authority, Person, Post, Unit
from thuocdo.org.scope import people_write_q, scope_for, units_write_q


def _require_person_writer(actor: Any, person: Person) -> None:
    """Organisers over one of the person's current posts, or the administrator."""
    if not Person.objects.filter(people_write_q(scope_for(actor)), pk=person.pk).exists():
        raise PermissionDenied("Chỉ Ban Tổ chức quản lý cán bộ này được ghi hồ sơ.")


@transaction.atomic
def case_decide(
    *, actor: Any, person: Person, rule: str, year: int, outcome: str, reason: str
) -> CaseDecision:
    """Record the competent authority's decision on a flag, which must still stand."""
    if not may_decide(actor, person):
        raise PermissionDenied("Chỉ cấp có thẩm quyền quản lý cán bộ này được quyết định.")
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": "Quyết định không hợp lệ."})
    if not reason.strip():
        raise ValidationError({"reason": "Lý do: phải ghi rõ lý do của quyết định."})
    flag = next(
        (f for f in people_flags([person], year).get(person.pk, []) if f.rule == rule), None
    )
    if flag is None:
        raise ValidationError({"rule": "Trường hợp này không còn căn cứ để xem xét trong năm."})
    decision = CaseDecision.objects.filter(person=person, rule=rule, year=year).first()
    before = snapshot(decision) if decision else None
    decision = decision or CaseDecision(person=person, rule=rule, year=year)
    decision.outcome, decision.reason, decision.decided_by = outcome, reason.strip(), actor
    decision.trace = [flag.reason, *flag.trace, f"Căn cứ: {flag.source}"]
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor, action="case.decide", obj=decision, before=before, after=snapshot(decision)
    )
    return decision


@transaction.atomic
def pool_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    term_start: int,
    term_end: int,
    posts: int = 1,
    conditions: list[dict[str, Any]] | None = None,
    women_min: Decimal | None = None,
    minority_min: Decimal | None = None,
    ratio_min: Decimal | None = None,
    ratio_max: Decimal | None = None,
    band_min: dict[str, int] | None = None,
) -> PlanningPool:
    """Open a planning pool for a title and term; the shipped rules when none are given."""
    if not may_manage_pools(actor, unit):
        raise PermissionDenied("Chỉ Ban Tổ chức được lập quy hoạch.")
    pool = PlanningPool(
        unit=unit,
        title=title.strip(),
        term_start=term_start,
        term_end=term_end,
        posts=posts,
        rules=[dict(r) for r in (conditions or rules.DEFAULT_RULES)],
        women_min=women_min,
        minority_min=minority_min,
        ratio_min=ratio_min,
        ratio_max=ratio_max,
        band_min=band_min or {},
        created_by=actor,
    )
    pool.full_clean()
    pool.save()
    audit_record(actor=actor, action="pool.create", obj=pool, after=snapshot(pool))
    return pool


@transaction.atomic
def pool_rules_set(
    *, actor: Any, pool: PlanningPool, conditions: list[dict[str, Any]]
) -> PlanningPool:
    """Replace a pool's eligibility rules (checked, each with its source)."""
    if not may_manage_pools(actor, pool.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức được điều chỉnh quy hoạch.")
    before = snapshot(pool)
    pool.rules = [dict(c) for c in conditions]
    pool.full_clean()
    pool.save(update_fields=["rules"])
    audit_record(
        actor=actor, action="pool.rules_set", obj=pool, before=before, after=snapshot(pool)
    )
    return pool


@transaction.atomic
def pool_candidate_add(
    *, actor: Any, pool: PlanningPool, person: Person, note: str = ""
) -> PoolCandidate:
    """Propose a person into a pool."""
    if not may_manage_pools(actor, pool.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức được điều chỉnh quy hoạch.")
    _require_person_writer(actor, person)
    if PoolCandidate.objects.filter(pool=pool, person=person).exists():
        raise ValidationError({"person": f"{person.full_name} đã có trong quy hoạch này."})
    entry = PoolCandidate(pool=pool, person=person, note=note, added_by=actor)
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, action="pool.candidate_add", obj=entry, after=snapshot(entry))
    return entry


@transaction.atomic
def pool_candidate_remove(*, actor: Any, entry: PoolCandidate, reason: str) -> None:
    """Take a person out of a pool, with the reason."""
    if not may_manage_pools(actor, entry.pool.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức được điều chỉnh quy hoạch.")
    if not reason.strip():
        raise ValidationError({"reason": "Lý do: phải ghi rõ lý do đưa ra khỏi quy hoạch."})
    before = snapshot(entry)
    entry.delete()
    audit_record(
        actor=actor,
        action="pool.candidate_remove",
        object_type="careers.poolcandidate",
        object_id=str(before["id"]),
        object_repr=f"{entry.person} — {entry.pool}",
        before=before,
        note=reason.strip(),
    )


@transaction.atomic
def training_record(*, actor: Any, person: Person, **fields: Any) -> Training:
    """Record a course, degree or certificate of a person."""
    _require_person_writer(actor, person)
    record = Training(person=person, **fields)
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="training.record", obj=record, after=snapshot(record))
    return record


@transaction.atomic
def title_standard_set(
    *, actor: Any, title: str, requirements: list[dict[str, str]]
) -> TitleStandard:
    """Set the standards a title requires (organisers and administrators)."""
    scope = scope_for(actor)
    # A title's standards hold everywhere it is used, so only the top organiser sets them.
    top = Unit.objects.filter(parent__isnull=True, path__in=scope.write_paths).exists()
    if not (scope.everything or top):
        raise PermissionDenied("Chỉ Ban Tổ chức cấp cao nhất được quy định tiêu chuẩn chức danh.")
    standard = TitleStandard.objects.filter(title=title).first()
    before = snapshot(standard) if standard else None
    standard = standard or TitleStandard(title=title)
    standard.requirements = requirements
    standard.full_clean()
    standard.save()
    audit_record(
        actor=actor,
        action="title_standard.set",
        obj=standard,
        before=before,
        after=snapshot(standard),
    )
    return standard


@transaction.atomic
def rotation_record(
    *,
    actor: Any,
    from_post: Post,
    to_unit: Unit,
    title: str,
    start_date: datetime.date,
    kind: str,
    purpose: str,
    decision_number: str = "",
    end_date: datetime.date | None = None,
    is_head: bool = False,
    is_deputy: bool = False,
    duty_group: str = "",
    managed_by: Authority | None = None,
) -> Rotation:
    """Move a person: the old post ends the day before `start_date`, the new one starts then
    (both through the registry's services); the annual cycle then carries the old unit's
    months to the new one (NĐ 335)."""
    person = from_post.person
    _require_person_writer(actor, person)
    if not Unit.objects.filter(units_write_q(scope_for(actor)), pk=to_unit.pk).exists():
        raise PermissionDenied("Bạn không có quyền điều động cán bộ đến đơn vị này.")
    if not purpose.strip():
        raise ValidationError({"purpose": "Mục đích: phải ghi rõ mục đích luân chuyển, điều động."})
    if from_post.end_date is not None and from_post.end_date < start_date:
        raise ValidationError({"from_post": "Chức vụ cũ đã kết thúc trước ngày điều động."})
    if start_date <= from_post.start_date:
        raise ValidationError({"start_date": "Ngày điều động phải sau ngày bắt đầu chức vụ cũ."})
    if to_unit.pk == from_post.unit_id:
        raise ValidationError({"to_unit": "Đơn vị mới phải khác đơn vị cũ."})
    org.post_end(actor=actor, post=from_post, end_date=start_date - datetime.timedelta(days=1))
    new_post = org.post_create(
        actor,
        person=person,
        unit=to_unit,
        title=title,
        start_date=start_date,
        is_head=is_head,
        is_deputy=is_deputy,
        duty_group=duty_group,
        managed_by=managed_by,
    )
    rotation = Rotation(
        person=person,
        kind=kind,
        from_post=from_post,
        to_post=new_post,
        start_date=start_date,
        end_date=end_date,
        purpose=purpose.strip(),
        decision_number=decision_number,
        recorded_by=actor,
    )
    rotation.full_clean()
    rotation.save()
    audit_record(actor=actor, action="rotation.record", obj=rotation, after=snapshot(rotation))
    return rotation
