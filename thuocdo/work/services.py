"""Writes to the work record. Each one is atomic, checks who may do it, refuses a locked
month, and records an audit event. The web pages and the API call the same functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from thuocdo.audit.services import audit_record, snapshot
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import scope_for
from thuocdo.work import selectors
from thuocdo.work.locking import lock_refusal, month_gate
from thuocdo.work.models import (
    AssigneeRole,
    Exemption,
    ExemptionKind,
    ExemptionState,
    JobPosition,
    PlanState,
    PostJobPosition,
    ProductType,
    Task,
    TaskAssignee,
    TaskProgress,
    TaskSource,
    TaskState,
    WorkPlan,
)
from thuocdo.work.permissions import (
    can_oversee,
    can_push_for,
    is_owner,
    require_oversight,
    require_owner_or_oversight,
)
from thuocdo.work.signals import month_changed_send

# Fields a superior may amend when approving a plan.
AMENDABLE = ("title", "quantity", "due_date", "product_type")


def snapshot_of(obj: models.Model) -> dict[str, Any]:
    """The audit snapshot, with an evidence file recorded by its stored name."""
    return {
        name: (value.name or "") if isinstance(value, FieldFile) else value
        for name, value in snapshot(obj).items()
    }


def _changed(actor: Any, plan: WorkPlan) -> None:
    """The month of the plan's person changed: its score follows (thuocdo.work.signals)."""
    month_changed_send(actor=actor, person_id=plan.person_id, year=plan.year, month=plan.month)


def _hold(obj: models.Model) -> None:
    """Lock the row until the end of the transaction and re-read it into `obj`: a state change
    is checked on the row as it is now, never on the caller's copy, so two verdicts on one
    completion (or two decisions on one plan) land one after the other (issue 14, finding 4)."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())


def _d(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def month_open_check(person: Person, year: int, month: int) -> None:
    """Refuse any change to a locked month, naming who locked it and why. The locks are read
    under the month's gate, so a lock being written is waited for (thuocdo.work.locking)."""
    month_gate(year, month)
    year_lock = selectors.year_locked_for(person, year, month)
    if year_lock is not None:
        raise ValidationError(
            f"Kỳ đánh giá {year_lock} đã khóa: công việc các tháng của năm là căn cứ của kết quả "
            "nên không thể thay đổi. Cấp có thẩm quyền phải mở lại kỳ (có lý do) trước."
        )
    lock = selectors.month_lock_for(person, year, month)
    if lock is not None:
        raise ValidationError(lock_refusal(lock))


def _plan_open_check(plan: WorkPlan) -> None:
    month_open_check(plan.person, plan.year, plan.month)


def _require_reason(reason: str, what: str = "lý do") -> str:
    text = reason.strip()
    if not text:
        raise ValidationError(f"Cần ghi {what}.")
    return text


# --- Catalogue ------------------------------------------------------------------------------


@transaction.atomic
def job_position_create(
    *, actor: Any, code: str, name: str, unit: Unit | None = None
) -> JobPosition:
    """Create a job position."""
    position = JobPosition(code=code, name=name, unit=unit)
    position.full_clean()
    position.save()
    audit_record(
        actor=actor, action="job_position.create", obj=position, after=snapshot_of(position)
    )
    return position


@transaction.atomic
def product_type_create(
    *,
    actor: Any,
    job_position: JobPosition,
    code: str,
    name: str,
    group: str,
    unit_of_measure: str,
    conversion_factor: Decimal = Decimal(1),
    monthly_norm: Decimal | None = None,
) -> ProductType:
    """Add a product type to a job position's catalogue."""
    product = ProductType(
        job_position=job_position,
        code=code,
        name=name,
        group=group,
        unit_of_measure=unit_of_measure,
        conversion_factor=conversion_factor,
        monthly_norm=monthly_norm,
    )
    product.full_clean()
    product.save()
    audit_record(actor=actor, action="product_type.create", obj=product, after=snapshot_of(product))
    return product


@transaction.atomic
def post_job_position_assign(
    *, actor: Any, post: Post, job_position: JobPosition
) -> PostJobPosition:
    """Say which job position (and so which catalogue) a post has."""
    link, created = PostJobPosition.objects.get_or_create(
        post=post, defaults={"job_position": job_position}
    )
    before = None if created else snapshot_of(link)
    link.job_position = job_position
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action="post_job_position.assign",
        obj=link,
        before=before,
        after=snapshot_of(link),
    )
    return link


# --- Plans ----------------------------------------------------------------------------------


def _require_self_or_superior(actor: Any, person: Person) -> None:
    if scope_for(actor).person_id != person.pk and not can_oversee(actor, person):
        raise PermissionDenied("Bạn chỉ được đăng ký nhiệm vụ cho mình hoặc người mình quản lý.")


@transaction.atomic
def plan_register(*, actor: Any, person: Person, year: int, month: int, note: str = "") -> WorkPlan:
    """Open a person's plan for a month (returns the existing one if already open)."""
    _require_self_or_superior(actor, person)
    month_open_check(person, year, month)
    existing = selectors.plan_for(person, year, month)
    if existing is not None:
        return existing
    plan = WorkPlan(person=person, year=year, month=month, note=note)
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action="work_plan.register", obj=plan, after=snapshot_of(plan))
    return plan


@transaction.atomic
def task_register(
    *,
    actor: Any,
    person: Person,
    year: int,
    month: int,
    title: str,
    quantity: Decimal,
    due_date: datetime.date,
    product_type: ProductType | None = None,
    source: str = TaskSource.SELF,
    collaborators: Iterable[Person] = (),
    source_system: str = "",
    external_id: str = "",
) -> Task:
    """Register a task in a person's monthly plan (opening the plan if needed).

    The person adds tasks while the plan is a draft or returned; once submitted or approved,
    only a superior (assigning work) or another system may add to it.
    """
    if source != TaskSource.EXTERNAL:
        _require_self_or_superior(actor, person)
    month_open_check(person, year, month)
    plan = selectors.plan_for(person, year, month) or plan_register(
        actor=actor, person=person, year=year, month=month
    )
    superior = can_oversee(actor, person)
    if (
        plan.state in (PlanState.SUBMITTED, PlanState.APPROVED)
        and not superior
        and source != TaskSource.EXTERNAL
    ):
        raise ValidationError(
            "Kế hoạch tháng đã gửi duyệt; nhiệm vụ phát sinh do lãnh đạo giao hoặc bổ sung."
        )
    if source == TaskSource.SELF and superior and scope_for(actor).person_id != person.pk:
        source = TaskSource.LEADER
    task = Task(
        plan=plan,
        product_type=product_type,
        title=title,
        quantity=quantity,
        due_date=due_date,
        source=source,
        source_system=source_system,
        external_id=external_id,
    )
    task.full_clean()
    task.save()
    TaskAssignee.objects.create(task=task, person=person, role=AssigneeRole.LEAD)
    others = [p for p in collaborators if p.pk != person.pk]
    TaskAssignee.objects.bulk_create(
        [TaskAssignee(task=task, person=p, role=AssigneeRole.COLLABORATOR) for p in others]
    )
    after = snapshot_of(task) | {"collaborators": [p.pk for p in others]}
    audit_record(actor=actor, action="task.register", obj=task, after=after)
    _changed(actor, plan)
    return task


@transaction.atomic
def plan_submit(*, actor: Any, plan: WorkPlan) -> WorkPlan:
    """Send a draft or returned plan to the direct leader."""
    if scope_for(actor).person_id != plan.person_id:
        raise PermissionDenied("Chỉ người lập kế hoạch được gửi duyệt.")
    _hold(plan)
    _plan_open_check(plan)
    if plan.state not in (PlanState.DRAFT, PlanState.RETURNED):
        raise ValidationError("Kế hoạch này đã được gửi duyệt.")
    if not plan.tasks.exists():
        raise ValidationError("Kế hoạch chưa có nhiệm vụ nào — hãy đăng ký nhiệm vụ trước.")
    before = snapshot_of(plan)
    plan.state, plan.submitted_at = PlanState.SUBMITTED, timezone.now()
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="work_plan.submit", obj=plan, before=before, after=snapshot_of(plan)
    )
    return plan


@transaction.atomic
def plan_approve(
    *,
    actor: Any,
    plan: WorkPlan,
    amendments: Mapping[int, Mapping[str, Any]] | None = None,
    note: str = "",
) -> WorkPlan:
    """Approve a submitted plan, amending tasks on the way (each amendment audited).

    `amendments` maps a task id of this plan to new values of title, quantity, due_date or
    product_type.
    """
    require_oversight(actor, plan.person)
    _hold(plan)
    _plan_open_check(plan)
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError("Chỉ duyệt được kế hoạch đang chờ duyệt.")
    for task_id, values in (amendments or {}).items():
        unknown = set(values) - set(AMENDABLE)
        if unknown:
            raise ValidationError(f"Không được sửa: {', '.join(sorted(unknown))}.")
        task = plan.tasks.filter(pk=task_id).first()
        if task is None:
            raise ValidationError(f"Nhiệm vụ {task_id} không thuộc kế hoạch này.")
        before = snapshot_of(task)
        for name, value in values.items():
            setattr(task, name, value)
        task.full_clean()
        task.save()
        audit_record(
            actor=actor,
            action="task.amend",
            obj=task,
            before=before,
            after=snapshot_of(task),
            note=note,
        )
    before = snapshot_of(plan)
    plan.state, plan.approved_by, plan.approved_at = PlanState.APPROVED, actor, timezone.now()
    plan.note = note or plan.note
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="work_plan.approve", obj=plan, before=before, after=snapshot_of(plan)
    )
    if amendments:
        _changed(actor, plan)
    return plan


@transaction.atomic
def plan_return(*, actor: Any, plan: WorkPlan, reason: str) -> WorkPlan:
    """Return a submitted plan to its person with the reason."""
    require_oversight(actor, plan.person)
    _hold(plan)
    _plan_open_check(plan)
    reason = _require_reason(reason, "lý do trả lại")
    if plan.state != PlanState.SUBMITTED:
        raise ValidationError("Chỉ trả lại được kế hoạch đang chờ duyệt.")
    before = snapshot_of(plan)
    plan.state, plan.note = PlanState.RETURNED, reason
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="work_plan.return",
        obj=plan,
        before=before,
        after=snapshot_of(plan),
        note=reason,
    )
    return plan


# --- Tasks ----------------------------------------------------------------------------------


@transaction.atomic
def task_progress_update(*, actor: Any, task: Task, percent: int, note: str = "") -> TaskProgress:
    """Record a (weekly) progress update; the first one starts the task."""
    require_owner_or_oversight(actor, task)
    _hold(task)
    _plan_open_check(task.plan)
    if task.state not in selectors.OPEN_STATES:
        raise ValidationError("Nhiệm vụ đã báo cáo hoàn thành, không cập nhật tiến độ nữa.")
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": "Tiến độ phải từ 0 đến 100%."})
    update = TaskProgress(task=task, percent=percent, note=note, recorded_by=actor)
    update.full_clean()
    update.save()
    before = snapshot_of(task)
    task.progress, task.state = percent, TaskState.IN_PROGRESS
    task.save(update_fields=["progress", "state"])
    audit_record(
        actor=actor,
        action="task.progress",
        obj=task,
        before=before,
        after=snapshot_of(task),
        note=note,
    )
    return update


@transaction.atomic
def task_complete(
    *,
    actor: Any,
    task: Task,
    completed_on: datetime.date,
    quantity_done: Decimal,
    evidence_note: str = "",
    evidence_number: str = "",
    evidence_file: File[Any] | None = None,
) -> Task:
    """Report a task done with its date, quantity and evidence; late completion is a delay."""
    person = task.plan.person
    # Other systems (organisers' integration accounts) report completions too.
    if not (is_owner(actor, task) or can_oversee(actor, person) or can_push_for(actor, person)):
        raise PermissionDenied("Bạn chỉ có quyền xem nhiệm vụ này.")
    _hold(task)
    _plan_open_check(task.plan)
    if task.state not in selectors.OPEN_STATES:
        raise ValidationError("Nhiệm vụ đã được báo cáo hoàn thành.")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "Ngày hoàn thành không được sau hôm nay."})
    if not (evidence_note.strip() or evidence_number.strip() or evidence_file):
        raise ValidationError("Cần ít nhất một minh chứng: ghi chú, số văn bản hoặc tệp đính kèm.")
    before = snapshot_of(task)
    task.state, task.completed_on, task.quantity_done = TaskState.DONE, completed_on, quantity_done
    task.progress = 100
    task.evidence_note, task.evidence_number = evidence_note, evidence_number
    if evidence_file is not None:
        task.evidence_file.save(evidence_file.name or "minh-chung", evidence_file, save=False)
    if completed_on > task.due_date and not task.auto_delay:
        task.delays += 1
        task.auto_delay = True
    task.full_clean()
    task.save()
    audit_record(
        actor=actor, action="task.complete", obj=task, before=before, after=snapshot_of(task)
    )
    _changed(actor, task.plan)
    return task


@transaction.atomic
def task_verify(
    *,
    actor: Any,
    task: Task,
    quality_passed: bool,
    exceeded: bool = False,
    late: bool = False,
    reason: str = "",
) -> Task:
    """The leader's verdict on a completion: passed (maybe exceeded, maybe late) or failed.

    A failed review is counted and sends the task back for rework; `late` counts one more
    delay beyond the one the due date already recorded.
    """
    require_oversight(actor, task.plan.person)
    _hold(task)
    _plan_open_check(task.plan)
    if task.state != TaskState.DONE:
        raise ValidationError("Chỉ xác nhận được nhiệm vụ đã báo cáo hoàn thành.")
    before = snapshot_of(task)
    if quality_passed:
        task.state, task.quality_passed, task.exceeded = TaskState.VERIFIED, True, exceeded
        task.verified_by, task.verified_at = actor, timezone.now()
    else:
        reason = _require_reason(reason, "lý do chưa đạt")
        task.state, task.quality_passed = TaskState.IN_PROGRESS, False
        task.failed_reviews += 1
        task.exceeded = False
    if late:
        task.delays += 1
    task.review_note = reason
    task.full_clean()
    task.save()
    audit_record(
        actor=actor,
        action="task.verify",
        obj=task,
        before=before,
        after=snapshot_of(task),
        note=reason,
    )
    _changed(actor, task.plan)
    return task


@transaction.atomic
def exemption_request(*, actor: Any, task: Task, kind: str, reason: str) -> Exemption:
    """Ask a superior to cancel a task's delays or errors for an objective cause."""
    if not is_owner(actor, task):
        raise PermissionDenied("Chỉ người thực hiện nhiệm vụ được đề nghị miễn trừ.")
    _hold(task)
    _plan_open_check(task.plan)
    reason = _require_reason(reason)
    if kind == ExemptionKind.DELAY and not (task.delays or task.days_overdue(timezone.localdate())):
        raise ValidationError("Nhiệm vụ này không bị tính trễ hạn.")
    if kind == ExemptionKind.ERROR and not task.failed_reviews:
        raise ValidationError("Nhiệm vụ này không có lần nào bị đánh giá chưa đạt.")
    if task.exemptions.filter(kind=kind, state=ExemptionState.PENDING).exists():
        raise ValidationError("Đã có một đề nghị cùng loại đang chờ xem xét.")
    exemption = Exemption(task=task, kind=kind, reason=reason, requested_by=actor)
    exemption.full_clean()
    exemption.save()
    audit_record(
        actor=actor, action="exemption.request", obj=exemption, after=snapshot_of(exemption)
    )
    return exemption


@transaction.atomic
def exemption_decide(*, actor: Any, exemption: Exemption, confirm: bool, reason: str) -> Exemption:
    """A competent superior confirms or refuses an objective-cause exemption, with a reason."""
    task = exemption.task
    require_oversight(actor, task.plan.person)
    _hold(task)
    _hold(exemption)
    _plan_open_check(task.plan)
    reason = _require_reason(reason, "lý do xác nhận hoặc từ chối")
    if exemption.state != ExemptionState.PENDING:
        raise ValidationError("Đề nghị này đã được quyết định.")
    before = snapshot_of(exemption)
    exemption.state = ExemptionState.CONFIRMED if confirm else ExemptionState.REFUSED
    exemption.decided_by, exemption.decided_at = actor, timezone.now()
    exemption.decision_reason = reason
    exemption.full_clean()
    exemption.save()
    audit_record(
        actor=actor,
        action="exemption.confirm" if confirm else "exemption.refuse",
        obj=exemption,
        before=before,
        after=snapshot_of(exemption),
        note=reason,
    )
    _changed(actor, task.plan)
    return exemption
