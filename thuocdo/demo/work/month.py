"""Two months of every person's work record: last month done and verified (or carried
over), this month under way, with plans, tasks, progress and exemptions; then last month
opened over the city, its general criteria scored and the month computed.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal
from random import Random
from typing import TypeVar

from django.utils import timezone

from thuocdo.demo.common import Clock, Progress
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, PeriodKind
from thuocdo.reviews.monthly.services import month_scores_compute, period_open
from thuocdo.work.models import (
    AssigneeRole,
    Exemption,
    ExemptionKind,
    ExemptionState,
    PlanState,
    Task,
    TaskAssignee,
    TaskProgress,
    TaskSource,
    TaskState,
    WorkPlan,
)

from .catalogue import _SPECS, D
from .city import (
    MONTH_RULESET,
    PEOPLE_CHUNK,
    STAGE_SCORES,
    STAGE_WORK,
    _at,
    _City,
    _last_day,
    _month_before,
    _Person,
)
from .rows import (
    EXEMPTION_COLUMNS,
    LEAD_COLUMNS,
    PLAN_COLUMNS,
    PROGRESS_COLUMNS,
    TASK_COLUMNS,
    _AssessmentRow,
    _ExemptionRow,
    _insert,
    _LeadRow,
    _next_id,
    _PlanRow,
    _ProgressRow,
    _Rows,
    _sequences_reset,
    _TaskRow,
)

# ---------------------------------------------------------------------------------------------
# Texts of the work record.

EVIDENCE_NOTES = (
    "Đã trình lãnh đạo qua hệ thống quản lý văn bản và điều hành.",
    "Hồ sơ, sổ theo dõi lưu tại bộ phận.",
    "Danh sách kèm theo, có xác nhận của bộ phận một cửa.",
    "Biên bản có chữ ký của các bên liên quan.",
    "Kết quả cập nhật trên phần mềm chuyên ngành.",
)
EVIDENCE_KINDS = ("BC", "TB", "KH", "CV", "TTr")
FAILED_REASONS = (
    "Số liệu chưa khớp với báo cáo của bộ phận một cửa, đề nghị rà soát lại.",
    "Thiếu hồ sơ kèm theo, đề nghị bổ sung.",
    "Nội dung chưa bám sát chỉ đạo, đề nghị chỉnh sửa.",
    "Thể thức văn bản chưa đúng quy định, đề nghị sửa lại.",
)
PASSED_AFTER_REWORK = "Đạt sau khi chỉnh sửa, bổ sung theo yêu cầu."
EXCEEDED_NOTE = "Hoàn thành vượt yêu cầu về khối lượng và chất lượng."
OBJECTIVE_CAUSES = {
    ExemptionKind.DELAY.value: (
        "Chờ ý kiến thẩm định của cơ quan chuyên môn cấp trên quá thời hạn.",
        "Hệ thống phần mềm dịch vụ công gặp sự cố, không cập nhật được hồ sơ.",
        "Mưa lớn, ngập úng kéo dài, phải tập trung phòng chống thiên tai theo chỉ đạo.",
    ),
    ExemptionKind.ERROR.value: (
        "Số liệu đầu vào do đơn vị khác cung cấp sai, đã được đơn vị đó đính chính.",
        "Biểu mẫu báo cáo thay đổi theo hướng dẫn mới ban hành giữa tháng.",
    ),
}
CONFIRMED_REASON = "Đã kiểm tra, nguyên nhân khách quan, không do lỗi của cá nhân."
REFUSED_REASON = "Không đủ căn cứ là nguyên nhân khách quan; cá nhân cần chủ động hơn."
PROGRESS_NOTES = (
    "Đang tổng hợp số liệu.",
    "Đã hoàn thành dự thảo, đang xin ý kiến.",
    "Đang phối hợp với các bộ phận liên quan.",
    "Đang kiểm tra thực tế tại khu dân cư.",
)
PLAN_NOTES = ("", "", "Tập trung các nhiệm vụ trọng tâm cuối năm.", "Bổ sung nhiệm vụ được giao.")


# Whole days, made once (the planning adds days to dates a million times).
DAYS = tuple(datetime.timedelta(days=n) for n in range(8))
_T = TypeVar("_T")

# ---------------------------------------------------------------------------------------------
# The work record: last month done and verified (or carried over), this month under way.

# Outcomes of a task: in last month, and in this month.
ON_TIME, EXCEEDED, LATE, FAILED_ONCE, UNFINISHED = (
    "on_time", "exceeded", "late", "failed_once", "unfinished",
)  # fmt: skip
VERIFIED, DONE, DONE_LATE, OVERDUE, FAILED, IN_PROGRESS, PLANNED = (
    "verified", "done", "done_late", "overdue", "failed", "in_progress", "planned",
)  # fmt: skip


@functools.cache
def _title(template: str, year: int, month: int) -> str:
    """A task title of a month (a few hundred distinct ones, each made once)."""
    return template.format(m=f"{month:02d}/{year}")


class _Work:
    """Plans the two months of every person, deterministically for a seed and a date."""

    def __init__(self, city: _City, rng: Random) -> None:
        self.city, self.rng = city, rng
        # One `random()` per draw (`randint` and `randrange` cost three Python calls each, and
        # the planning makes about ten draws per task).
        self.rnd = rng.random
        self.today = city.today
        self.now = _at(city.today, 8)
        self.prev = _month_before(city.today)
        self.current = (city.today.year, city.today.month)
        users = city.users
        self.lanhdao = users["lanhdao"].pk
        self.thutruong = users["thutruong"].pk
        self.canhan_person = city.person_of.get("canhan")
        self.approver_person = self._approver(city)
        self.counts = {"work_plans": 0, "tasks": 0, "exemptions": 0, "progress_updates": 0}
        # The leader's general score (of 30) of last month, by person.
        self.general: dict[int, int] = {}
        self.next_plan, self.next_task = _next_id(WorkPlan), _next_id(Task)
        # A position's products with what the demo needs of each: id, spec, factor.
        self.products = {
            code: [(p.pk, _SPECS[code][p.code]) for p in products]
            for code, products in city.catalogue.items()
        }

    def _approver(self, city: _City) -> int | None:
        """The person of the logins' ward whose plan waits for `lanhdao`'s approval."""
        taken = {city.person_of.get(name) for name in ("canhan", "lanhdao", "thutruong")}
        ward = [p for p in city.people if p.unit_id == city.ward_id and p.pk not in taken]
        staff = [p for p in ward if not p.leader] or ward
        if staff:
            return staff[0].pk
        return city.person_of.get("thutruong")

    def pick(self, items: Sequence[_T]) -> _T:
        """One of the items, each as likely."""
        return items[int(self.rnd() * len(items))]

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + int(self.rnd() * (high - low + 1))

    def reviewer(self, person: _Person) -> int | None:
        """The login who approves and verifies this person's work, if the demo has one."""
        if person.unit_id != self.city.ward_id or person.user_id == self.thutruong:
            return None
        return self.thutruong if person.user_id == self.lanhdao else self.lanhdao

    # --- Tasks -------------------------------------------------------------------------------

    def _task(self, rows: _Rows, plan: _PlanRow, person: _Person, due: datetime.date) -> _TaskRow:
        """A task of a product of the person's position, not yet done, with its lead."""
        product_id, spec = self.pick(self.products[person.position])
        title = _title(self.pick(spec.titles), plan.year, plan.month)
        task = _TaskRow(
            id=self.next_task,
            plan_id=plan.id,
            product_type_id=product_id,
            title=title,
            quantity=self.between(spec.low, spec.high),
            due_date=due,
            source=TaskSource.LEADER if spec.group == D else TaskSource.SELF,
        )
        self.next_task += 1
        rows.tasks.append(task)
        rows.leads.append(_LeadRow(task.id, person.pk))
        return task

    def _complete(self, task: _TaskRow, on: datetime.date, *, late: bool = False) -> None:
        """Report a task done on a date, with evidence."""
        task.completed_on = min(on, self.today)
        task.quantity_done = task.quantity
        task.progress = 100
        task.evidence_note = self.pick(EVIDENCE_NOTES)
        if self.rnd() < 0.6:
            kind = self.pick(EVIDENCE_KINDS)
            task.evidence_number = f"{self.between(12, 980)}/{kind}-UBND"
        if late:
            task.delays, task.auto_delay = 1, True
        task.state = TaskState.DONE

    def _verify(self, task: _TaskRow, reviewer: int | None, *, exceeded: bool = False) -> None:
        """The leader's "Đạt" (maybe "Vượt yêu cầu") a day or two after the completion."""
        assert task.completed_on is not None
        day = min(task.completed_on + DAYS[self.between(0, 2)], self.today)
        task.state, task.quality_passed, task.exceeded = TaskState.VERIFIED, True, exceeded
        task.verified_by_id, task.verified_at = reviewer, _at(day, self.between(8, 16))
        if exceeded:
            # 1.2 times, to the unit (a fifth is never a half: no tie to round).
            task.quantity_done = round(task.quantity * 6 / 5)
            task.review_note = EXCEEDED_NOTE

    def _fail(self, task: _TaskRow) -> None:
        """A "Chưa đạt": counted, and the task goes back for rework."""
        task.failed_reviews += 1
        task.quality_passed = False
        task.review_note = self.pick(FAILED_REASONS)

    def _progress(self, rows: _Rows, task: _TaskRow, person: _Person, low: int) -> None:
        """Work under way: a progress update from `low`% up, recorded a few days ago."""
        task.state, task.progress = TaskState.IN_PROGRESS, 5 * self.between(low // 5, 18)
        day = max(self.today - DAYS[self.between(1, 6)], task.due_date.replace(day=1))
        note = self.pick(PROGRESS_NOTES)
        rows.updates.append(
            _ProgressRow(task.id, task.progress, note, person.user_id, _at(day, 16))
        )

    def _exemption(
        self, rows: _Rows, task: _TaskRow, person: _Person, kind: str, state: str
    ) -> None:
        """An objective-cause request on a task, pending or decided."""
        asked = min(task.completed_on or self.today, self.today)
        exemption = _ExemptionRow(
            task_id=task.id,
            kind=kind,
            reason=self.pick(OBJECTIVE_CAUSES[kind]),
            requested_by_id=person.user_id,
            requested_at=_at(asked, 10),
            state=state,
        )
        if state != ExemptionState.PENDING:
            exemption.decided_by_id = self.reviewer(person)
            exemption.decided_at = _at(min(asked + DAYS[2], self.today), 15)
            confirmed = state == ExemptionState.CONFIRMED
            exemption.decision_reason = CONFIRMED_REASON if confirmed else REFUSED_REASON
        rows.exemptions.append(exemption)

    def _due_days(self, count: int, year: int, month: int) -> list[datetime.date]:
        """Due dates spread over a month, in order."""
        last = _last_day(year, month)
        days = sorted([self.between(4, last) for _ in range(count)])
        return [datetime.date(year, month, day) for day in days]

    # --- Months ------------------------------------------------------------------------------

    def _plan(self, rows: _Rows, person: _Person, year: int, month: int, state: str) -> _PlanRow:
        """A plan, submitted in its first days and approved (if it is) soon after."""
        first = datetime.date(year, month, 1)
        submitted = min(first + DAYS[self.between(0, 2)], self.today)
        plan = _PlanRow(
            self.next_plan,
            person.pk,
            year,
            month,
            state,
            self.pick(PLAN_NOTES),
        )
        self.next_plan += 1
        if state != PlanState.DRAFT:
            plan.submitted_at = _at(submitted, self.between(7, 11), self.between(0, 59))
        if state == PlanState.APPROVED:
            approved = min(submitted + DAYS[self.between(0, 2)], self.today)
            plan.approved_by_id = self.reviewer(person)
            plan.approved_at = _at(approved, self.between(13, 17), self.between(0, 59))
        rows.plans.append(plan)
        return plan

    def last_month(self, rows: _Rows, person: _Person) -> None:
        """Last month: an approved plan of 2–5 tasks, verified with the usual slips, and for
        some people work carried over unfinished; the leader's general score follows suit."""
        rnd = self.rnd
        year, month = self.prev
        plan = self._plan(rows, person, year, month, PlanState.APPROVED)
        count = self.between(2, 5)
        canhan = person.pk == self.canhan_person
        if canhan:
            # `canhan`'s explanation shows every case: exceeded, late, failed once, on time.
            outcomes, self.general[person.pk] = [EXCEEDED, LATE, FAILED_ONCE, ON_TIME], 27
        else:
            outcomes = self._last_outcomes(person, count)
        reviewer = self.reviewer(person)
        for due, outcome in zip(self._due_days(len(outcomes), year, month), outcomes, strict=True):
            task = self._task(rows, plan, person, due)
            if outcome == UNFINISHED:
                self._progress(rows, task, person, 40)
                continue
            late = outcome == LATE
            done_on = due + (DAYS[self.between(1, 5)] if late else -DAYS[self.between(0, 3)])
            self._complete(task, max(done_on, datetime.date(year, month, 1)), late=late)
            if outcome == FAILED_ONCE:
                self._fail(task)
            self._verify(task, reviewer, exceeded=outcome == EXCEEDED)
            if outcome == FAILED_ONCE:
                task.review_note = PASSED_AFTER_REWORK
            if (late or outcome == FAILED_ONCE) and (rnd() < 0.15 or (canhan and late)):
                kind = ExemptionKind.DELAY if late else ExemptionKind.ERROR
                refused = rnd() < 0.2 and not canhan
                state = ExemptionState.REFUSED if refused else ExemptionState.CONFIRMED
                self._exemption(rows, task, person, kind, state)

    def _last_outcomes(self, person: _Person, count: int) -> list[str]:
        """A person's month by profile, and the leader's general score to match.

        Under NĐ 335 a late or failed task costs a quarter of its own weight, so only work
        left unfinished takes someone below 90 points: a quarter of people do everything
        well, half slip here and there (and often carry a task over), a sixth fall behind,
        and a few finish little of their plan.
        """
        rng, rnd = self.rng, self.rnd
        r = rnd()
        if r < 0.25:
            self.general[person.pk] = self.between(27, 30)
            return [EXCEEDED if rnd() < 0.3 else ON_TIME for _ in range(count)]
        outcomes = [self._last_outcome() for _ in range(count)]
        if r < 0.75:
            self.general[person.pk] = self.between(25, 29)
            unfinished = int(rnd() < 0.5)
        elif r < 0.97:
            self.general[person.pk] = self.between(24, 27)
            unfinished = 1 + int(count >= 4 and rnd() < 0.4)
        else:
            self.general[person.pk] = self.between(24, 25)
            unfinished = count - self.between(0, 1)
        for n in rng.sample(range(count), unfinished):
            outcomes[n] = UNFINISHED
        return outcomes

    def _last_outcome(self) -> str:
        """About 10% late, 8% failed once, 20% exceeded, the rest on time."""
        r = self.rnd()
        if r < 0.10:
            return LATE
        if r < 0.18:
            return FAILED_ONCE
        if r < 0.38:
            return EXCEEDED
        return ON_TIME

    def this_month(self, rows: _Rows, person: _Person) -> None:
        """This month: a plan (mostly approved) with work done, waiting, under way or overdue."""
        year, month = self.current
        canhan = person.pk == self.canhan_person
        if person.pk == self.approver_person:
            state = PlanState.SUBMITTED
        elif canhan:
            state = PlanState.APPROVED
        else:
            r = self.rnd()
            state = (
                PlanState.APPROVED
                if r < 0.9
                else PlanState.SUBMITTED
                if r < 0.96
                else PlanState.DRAFT
            )
        plan = self._plan(rows, person, year, month, state)
        if canhan:
            outcomes = [VERIFIED, DONE, OVERDUE, IN_PROGRESS, PLANNED]
            dues = self._canhan_dues(year, month)
        else:
            dues = self._due_days(self.between(2, 5), year, month)
            outcomes = [
                self._this_outcome(due) if state == PlanState.APPROVED else PLANNED for due in dues
            ]
        reviewer = self.reviewer(person)
        for due, outcome in zip(dues, outcomes, strict=True):
            task = self._task(rows, plan, person, due)
            self._this_task(rows, task, person, outcome, reviewer, pending=canhan)

    def _canhan_dues(self, year: int, month: int) -> list[datetime.date]:
        """Due dates that make `canhan`'s five tasks possible on any day of the month."""
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, _last_day(year, month))
        past = max(first, self.today - datetime.timedelta(6))
        overdue = max(first, self.today - datetime.timedelta(3))
        ahead = min(last, self.today + datetime.timedelta(7))
        return [past, past, overdue, ahead, last]

    def _this_outcome(self, due: datetime.date) -> str:
        """A task of an approved plan: past its due date mostly done; ahead, mostly under way."""
        r = self.rnd()
        if due < self.today:
            if r < 0.55:
                return VERIFIED
            if r < 0.75:
                return DONE
            if r < 0.82:
                return DONE_LATE
            if r < 0.85:
                return FAILED
            return OVERDUE
        if r < 0.08:
            return DONE
        return IN_PROGRESS if r < 0.6 else PLANNED

    def _this_task(
        self,
        rows: _Rows,
        task: _TaskRow,
        person: _Person,
        outcome: str,
        reviewer: int | None,
        *,
        pending: bool,
    ) -> None:
        """Bring a task of this month to its outcome."""
        rnd, due = self.rnd, task.due_date
        if outcome in (VERIFIED, DONE, FAILED):
            self._complete(task, min(due - DAYS[self.between(0, 2)], self.today))
            task.completed_on = max(task.completed_on or due, due.replace(day=1))
            if outcome == VERIFIED:
                self._verify(task, reviewer, exceeded=rnd() < 0.2)
            elif outcome == FAILED:
                self._fail(task)
                task.state = TaskState.IN_PROGRESS
        elif outcome == DONE_LATE:
            self._complete(task, due + DAYS[self.between(1, 4)], late=True)
        elif outcome in (OVERDUE, IN_PROGRESS):
            self._progress(rows, task, person, 20 if outcome == OVERDUE else 10)
            if outcome == OVERDUE and (pending or rnd() < 0.1):
                self._exemption(rows, task, person, ExemptionKind.DELAY, ExemptionState.PENDING)

    def write(self, rows: _Rows) -> None:
        """Insert one chunk: plans, then tasks and their leads, updates and exemptions."""
        _insert(WorkPlan, rows.plans, PLAN_COLUMNS)
        _insert(
            Task,
            rows.tasks,
            TASK_COLUMNS,
            {"source_system": "", "external_id": "", "evidence_file": "", "created_at": self.now},
        )
        _insert(TaskAssignee, rows.leads, LEAD_COLUMNS, {"role": AssigneeRole.LEAD.value})
        _insert(TaskProgress, rows.updates, PROGRESS_COLUMNS)
        _insert(Exemption, rows.exemptions, EXEMPTION_COLUMNS)
        self.counts["work_plans"] += len(rows.plans)
        self.counts["tasks"] += len(rows.tasks)
        self.counts["exemptions"] += len(rows.exemptions)
        self.counts["progress_updates"] += len(rows.updates)


def _write_work(
    city: _City, rng: Random, report: Progress
) -> tuple[dict[str, int], dict[int, int]]:
    """Plan and insert both months of every person, a chunk of people at a time; return the
    counts and each person's general score of last month."""
    work = _Work(city, rng)
    total = len(city.people)
    report(STAGE_WORK, 0, total)
    for start in range(0, total, PEOPLE_CHUNK):
        rows = _Rows()
        for person in city.people[start : start + PEOPLE_CHUNK]:
            work.last_month(rows, person)
            work.this_month(rows, person)
        work.write(rows)
        report(STAGE_WORK, min(total, start + PEOPLE_CHUNK), total)
    _sequences_reset(WorkPlan, Task)
    return work.counts, work.general


# ---------------------------------------------------------------------------------------------
# Last month's scores.


def _write_scores(
    city: _City, rng: Random, general_of: dict[int, int], report: Progress, clock: Clock
) -> dict[str, int]:
    """Open last month over the city, score the general criteria, and compute the month."""
    admin = city.users["quantri"]
    year, month = _month_before(city.today)
    report(STAGE_SCORES, 0, len(city.people))
    with clock.phase("work: scores: period open"):
        period = period_open(
            actor=admin,
            unit=city.root,
            kind=PeriodKind.MONTH,
            year=year,
            number=month,
            ruleset=MONTH_RULESET,
        )
    lanhdao, thutruong = city.users["lanhdao"].pk, city.users["thutruong"].pk
    canhan = city.person_of.get("canhan")
    assessments: list[_AssessmentRow] = []
    for person in city.people:
        r = rng.random()
        general = Decimal(general_of[person.pk])
        if person.pk == canhan or r < 0.05:
            # Self-assessed first; most of these are then scored by the leader too.
            own = min(Decimal(30), general + rng.randint(0, 2))
            note = "Tự đánh giá hoàn thành tốt nhiệm vụ được giao."
            by = person.user_id or admin.pk
            assessments.append(_AssessmentRow(person.pk, AssessmentSource.SELF, own, note, by))
        if person.pk != canhan and (r < 0.02 or r >= 0.97):
            continue  # the leader has not scored yet: self-assessed, or not scored at all
        # People without a login are scored on behalf of their leader by the demo's loader.
        by = admin.pk
        if person.unit_id == city.ward_id and person.user_id != thutruong:
            by = thutruong if person.user_id == lanhdao else lanhdao
        assessments.append(_AssessmentRow(person.pk, AssessmentSource.LEADER, general, "", by))
    _insert(
        MonthlyAssessment,
        assessments,
        [f.name for f in fields(_AssessmentRow)],
        {
            "period_id": period.pk,
            "bonus": Decimal(0),
            "deductions": Decimal(0),
            "at": timezone.now(),
        },
    )
    with clock.phase("work: scores: month close"):
        scored = month_scores_compute(actor=admin, period=period, at=city.today)
    report(STAGE_SCORES, len(city.people), len(city.people))
    return {"assessments": len(assessments), "monthly_scores": scored}
