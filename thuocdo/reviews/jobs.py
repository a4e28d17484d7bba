"""The long steps of a period as background jobs (thuocdo/jobs): computing a month, opening a
month or a year over a subtree, the year's proposal and its publication, and the simulation
("Mô phỏng") of a large year, which writes nothing but its own result.

Each job calls the same service the page used to call, as the user who started it: the
worker reads that user again and the service checks their rights anew, the period or unit is
looked up again in their scope, and the job's transaction (`atomic=True`) keeps nothing of a
run that fails. The result names the page to go on to (`url`) and says what was done in the
words the page used to flash.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.urls import reverse

from thuocdo.jobs.files import job_file_store
from thuocdo.jobs.models import Job
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError, job
from thuocdo.jobs.services import job_actor, job_refusals
from thuocdo.org.permissions import access_unit
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.simulation import what_if
from thuocdo.reviews.annual.simulation_export import what_if_xlsx
from thuocdo.reviews.annual.simulation_store import (
    RESULT,
    WHAT_IF,
    WHAT_IF_XLSX,
    access_what_if,
    what_if_file_name,
    what_if_job,
    what_if_pack,
)
from thuocdo.reviews.models import Period, PeriodKind
from thuocdo.reviews.monthly import schedule, selectors, services
from thuocdo.rules.fmt import vn_number

MONTH_COMPUTE = "reviews.month_compute"
PERIOD_OPEN = "reviews.period_open"
YEAR_OPEN = "reviews.year_open"
YEAR_PROPOSE = "reviews.year_propose"
YEAR_PUBLISH = "reviews.year_publish"
LEVEL_NAMES = ("HTXS", "HTT", "HTNV", "KHT")
T = TypeVar("T")


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _board(period_id: int) -> str:
    return reverse("reviews:period-board", kwargs={"period_id": period_id})


def _on_period(
    progress: Progress, actor_id: int, period_id: int, step: str, work: Callable[[Any, Period], T]
) -> tuple[Period, T]:
    """The worker's side of a period action: the user read again, the period looked up again
    in their scope (one step), then the service (a second step); refusals fail the job."""
    progress.step("Kiểm tra quyền và kỳ đánh giá", total=1)
    with job_refusals():
        actor = job_actor(actor_id)
        period = selectors.access_period(actor, period_id)
        progress.update(1)
        progress.step(step)
        return period, work(actor, period)


@job(MONTH_COMPUTE, label="Tính điểm tháng")
def month_compute_job(progress: Progress, *, period_id: int, actor_id: int) -> dict[str, Any]:
    """Compute and classify the month of everyone in the period (the "Tính điểm tháng" button)."""
    period, count = _on_period(
        progress,
        actor_id,
        period_id,
        "Tính điểm và xếp loại",
        lambda actor, period: services.month_scores_compute(actor=actor, period=period),
    )
    progress.update(count, count)
    return {
        "message": f"Đã tính điểm tháng cho {vn_number(count)} người.",
        "url": _board(period.pk),
        "link": "Về bảng điểm tháng",
    }


@job(PERIOD_OPEN, label="Mở kỳ đánh giá tháng, quý")
def period_open_job(
    progress: Progress,
    *,
    unit_id: int,
    actor_id: int,
    kind: str,
    year: int,
    number: int | None,
    ruleset: str,
    schedule_months: bool = False,
) -> dict[str, Any]:
    """Open a month (quarter) over a subtree, and maybe let the next months open by themselves."""
    progress.step("Kiểm tra quyền và đơn vị", total=1)
    with job_refusals():
        actor = job_actor(actor_id)
        unit = access_unit(actor, unit_id)
        progress.update(1)
        progress.step("Mở kỳ đánh giá", total=2 if schedule_months else 1)
        period = services.period_open(
            actor=actor, unit=unit, kind=kind, year=year, number=number, ruleset=ruleset
        )
        progress.update(1)
        if schedule_months and kind == PeriodKind.MONTH:
            schedule.month_schedule_set(actor=actor, unit=unit, ruleset=ruleset)
            progress.update(2)
    return {"message": f"Đã mở {period}.", "url": _board(period.pk), "link": "Về kỳ đánh giá"}


@job(YEAR_OPEN, label="Mở kỳ đánh giá năm")
def year_open_job(
    progress: Progress,
    *,
    unit_id: int,
    actor_id: int,
    year: int,
    ruleset: str,
    rulesets: dict[str, str] | None = None,
    self_due: str | None = None,
    review_due: str | None = None,
) -> dict[str, Any]:
    """Open a year over a subtree: the period and every evaluation of it, in one transaction."""
    progress.step("Kiểm tra quyền và đơn vị", total=1)
    with job_refusals():
        actor = job_actor(actor_id)
        unit = access_unit(actor, unit_id)
        progress.update(1)
        progress.step("Mở kỳ năm và tạo phiếu đánh giá")
        period = services.period_open(
            actor=actor,
            unit=unit,
            kind=PeriodKind.YEAR,
            year=year,
            number=None,
            ruleset=ruleset,
            rulesets=rulesets or {},
            self_due=_date(self_due),
            review_due=_date(review_due),
        )
    count = period.evaluations.count()
    progress.update(count, count)
    return {
        "message": f"Đã mở {period} với {vn_number(count)} phiếu đánh giá.",
        "url": _board(period.pk),
        "link": "Về kỳ đánh giá năm",
    }


@job(YEAR_PROPOSE, label="Đề xuất mức xếp loại cho cả kỳ")
def year_propose_job(progress: Progress, *, period_id: int, actor_id: int) -> dict[str, Any]:
    """Run the engine over the whole year (the organiser's "Đề xuất" button)."""
    period, counts = _on_period(
        progress,
        actor_id,
        period_id,
        "Chạy bộ quy tắc và lưu đề xuất",
        lambda actor, period: cycle.period_propose(actor=actor, period=period),
    )
    proposed = sum(counts.get(level, 0) for level in LEVEL_NAMES)
    progress.update(proposed, proposed)
    message = (
        "Đã đề xuất: "
        + ", ".join(f"{lv} {vn_number(counts.get(lv, 0))}" for lv in LEVEL_NAMES)
        + f"; {counts['quota_tie']} trường hợp đồng điểm tại ngưỡng tỷ lệ."
    )
    return {
        "message": message,
        "url": reverse("reviews:period-verification", kwargs={"period_id": period.pk}),
        "link": "Về danh sách thẩm định",
    }


@job(YEAR_PUBLISH, label="Công khai kết quả")
def year_publish_job(progress: Progress, *, period_id: int, actor_id: int) -> dict[str, Any]:
    """Publish the concluded results of the year inside the units."""
    period, count = _on_period(
        progress,
        actor_id,
        period_id,
        "Công khai kết quả",
        lambda actor, period: cycle.period_publish(actor=actor, period=period),
    )
    progress.update(count, count)
    return {
        "message": f"Đã công khai {vn_number(count)} kết quả.",
        "url": reverse("reviews:period-results", kwargs={"period_id": period.pk}),
        "link": "Xem kết quả đã công khai",
    }


def _what_if_file_check(actor: Any, job: Job) -> None:
    """The simulation's Excel, as its result: only who started it, while they organise the
    period (404 otherwise, 403 to who sees the period but no longer organises it)."""
    period = access_what_if(actor, job.params.get("period_id"))
    what_if_job(actor=actor, period=period, job_id=job.pk)


@job(WHAT_IF, label="Mô phỏng kết quả xếp loại", file_check=_what_if_file_check)
def what_if_run_job(
    progress: Progress,
    *,
    period_id: int,
    actor_id: int,
    ruleset: str | None,
    rulesets: dict[str, str],
    options: dict[str, Any] | None,
    query: str = "",
) -> dict[str, Any]:
    """Simulate a large year in memory; the result (kept on the job, with its Excel workbook
    as the job's file; nothing else written) is shown by the simulation page at
    `?ket-qua=<job>`, which sends the stored workbook as is."""
    if progress.job is None:
        raise JobError("Mô phỏng chỉ chạy như một công việc nền.")
    progress.step("Kiểm tra quyền và kỳ đánh giá", total=1)
    with job_refusals():
        actor = job_actor(actor_id)
        period = access_what_if(actor, period_id)
        progress.update(1)
        result = what_if(
            period, ruleset=ruleset, rulesets=rulesets, options=options, progress=progress
        )
    # Built here, not in the download's request: 4,7-9,4 s for a city of 200.000 people.
    progress.step("Tạo tệp Excel", total=1)
    job_file_store(
        job=progress.job,
        purpose=WHAT_IF_XLSX,
        label="Tải Excel kết quả mô phỏng",
        content=what_if_xlsx(result),
        download_name=what_if_file_name(period),
    )
    progress.update(1)
    progress.step("Lưu kết quả mô phỏng", total=1)
    packed = what_if_pack(result)
    progress.update(1)
    page = reverse("reviews:period-what-if", kwargs={"period_id": period.pk})
    return {
        "message": f"Đã mô phỏng: {vn_number(len(result.changes))} người, tập thể thay đổi mức.",
        "url": f"{page}?{query + '&' if query else ''}{RESULT}={progress.job.pk}",
        "link": "Xem kết quả mô phỏng",
        "what_if": packed,
    }
