"""The demo city at work: task catalogues, two months of work record, a scored month, targets.

`thuocdo.demo.registry` builds "Thành phố Mẫu" (units, people, posts, logins) and knows nothing
of the other apps; this package composes work, reviews and targets on top of it. As there,
everything is planned in plain Python and written in bulk, a chunk of people at a time so that
200,000 people never sit in memory as model instances at once, and everything random comes
from one `random.Random(seed)`: a seed and a date always give the same data.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from random import Random

from django.db import transaction

from thuocdo.audit.services import audit_record
from thuocdo.demo.bulk import tables_analyze
from thuocdo.demo.common import Clock, DemoError, Progress
from thuocdo.org.models import Person, Post, Unit
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore, Period
from thuocdo.targets.models import Indicator, TargetSet
from thuocdo.work.models import (
    Exemption,
    JobPosition,
    PostJobPosition,
    ProductType,
    Task,
    TaskAssignee,
    TaskProgress,
    WorkPlan,
)

from .catalogue import POSITIONS
from .city import STAGE_CATALOGUE, WARD_CODE, _City, _month_before
from .month import _write_scores, _write_work
from .rows import _insert, _LinkRow
from .targets import _Targets
from .this_month import demo_this_month


def _write_catalogue(city: _City, report: Progress) -> dict[str, int]:
    """Insert the job positions, their products, and each post's job position."""
    report(STAGE_CATALOGUE, 0, len(city.posts))
    positions = {p.code: JobPosition(code=p.code, name=p.name) for p in POSITIONS}
    JobPosition.objects.bulk_create(list(positions.values()))
    products: list[ProductType] = []
    for spec in POSITIONS:
        city.catalogue[spec.code] = []
        for product in spec.products:
            row = ProductType(
                job_position=positions[spec.code],
                code=product.code,
                name=product.name,
                group=product.group,
                unit_of_measure=product.unit,
                conversion_factor=Decimal(product.factor),
                monthly_norm=None if product.norm is None else Decimal(product.norm),
            )
            products.append(row)
            city.catalogue[spec.code].append(row)
    ProductType.objects.bulk_create(products)
    links = [_LinkRow(post_id, positions[code].pk) for post_id, code in city.posts]
    _insert(PostJobPosition, links, ["post_id", "job_position_id"])
    report(STAGE_CATALOGUE, len(city.posts), len(city.posts))
    return {
        "job_positions": len(positions),
        "product_types": len(products),
        "post_job_positions": len(links),
    }


def demo_work_tour(today: datetime.date) -> list[tuple[str, str]]:
    """Where each demo login sees the work record, as the demo command prints it."""
    year, month = _month_before(today)
    last = f"{month:02d}/{year}"
    ward = Unit.objects.filter(code=WARD_CODE).values_list("name", flat=True).first()
    return [
        ("canhan", f"«Tháng của tôi»: nhiệm vụ tháng này (đã xác nhận, chờ xác nhận, đang làm, "
                   f"quá hạn), điểm tạm tính, «Tự đánh giá tháng»; tháng {last} với điểm, mức "
                   "xếp loại, «điểm này từ đâu ra»"),
        ("lanhdao", "«Đơn vị của tôi»: bên cạnh mỗi người việc còn phải làm — duyệt kế hoạch, "
                    "xác nhận nhiệm vụ, chấm điểm tháng (hai phiếu tự đánh giá nhập hộ)"),
        ("thutruong", f"«Kỳ đánh giá» tháng {last}: quyết định mức xếp loại của "
                      f"{ward or WARD_CODE}; «Chỉ tiêu» năm {today.year}"),
        ("bantochuc", f"«Kỳ đánh giá»: tháng này mở một lần cho cả thành phố (tháng sau tự mở); "
                      f"tháng {last} đã xếp loại; «Chỉ tiêu» của các quận, huyện và sở"),
    ]  # fmt: skip


def _quiet(stage: str, done: int, total: int) -> None:
    """A progress callback that reports nothing."""


def demo_work_build(
    *,
    seed: int,
    today: datetime.date,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> dict[str, int]:
    """Give the freshly built demo city catalogues, two months of work, scores and targets."""
    report = progress or _quiet
    clock = clock or Clock()
    if WorkPlan.objects.exists() or JobPosition.objects.exists() or TargetSet.objects.exists():
        raise DemoError("Đã có dữ liệu công việc hoặc chỉ tiêu; không dựng thêm dữ liệu mẫu.")
    if MonthlyScore.objects.exists():
        raise DemoError("Đã có kết quả đánh giá tháng; không dựng thêm dữ liệu mẫu.")
    with clock.phase("work: city read"):
        city = _City.load(today)
    rng = Random(seed)
    with transaction.atomic():
        with clock.phase("work: catalogue"):
            counts = _write_catalogue(city, report)
        with clock.phase("work: two months"):
            work, general = _write_work(city, rng, report)
        counts |= work
        with clock.phase("work: analyze"):
            # Hundreds of thousands of rows have just appeared: without fresh statistics the
            # planners (PostgreSQL's as much as SQLite's) choose nested loops over them. The
            # tables the month close reads: the registry's, the work record's and the scoring.
            tables_analyze(
                Unit, Person, Post, JobPosition, ProductType, PostJobPosition, WorkPlan, Task,
                TaskAssignee, TaskProgress, Exemption, Period, MonthlyAssessment,
            )  # fmt: skip
        with clock.phase("work: scores"):
            counts |= _write_scores(city, rng, general, report, clock)
        with clock.phase("work: this month"):
            ward = Unit.objects.get(pk=city.ward_id)
            counts |= demo_this_month(root=city.root, ward=ward, today=today, clock=clock)
        with clock.phase("work: targets"):
            counts |= _Targets(city, rng).write(report)
        with clock.phase("work: analyze"):
            # What the closes and the targets wrote, for the phases after this one.
            tables_analyze(MonthlyScore, MonthlyAssessment, Period, TargetSet, Indicator)
        audit_record(
            actor=None,
            action="demo.work_build",
            obj=city.root,
            after={**counts, "seed": seed, "today": today.isoformat()},
            note="Dữ liệu mẫu: công việc, kết quả tháng và chỉ tiêu của Thành phố Mẫu",
        )
    return counts
