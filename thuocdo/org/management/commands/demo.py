"""`demo`: build the demo city "Thành phố Mẫu" on an empty database and print its logins."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from thuocdo import demo

COUNT_LABELS = {
    "units": "Đơn vị",
    "people": "Cán bộ",
    "posts": "Chức vụ",
    "authorities": "Cấp có thẩm quyền",
    "disciplines": "Kỷ luật",
    "rewards": "Khen thưởng",
    "users": "Tài khoản",
}
WORK_LABELS = {
    "job_positions": "Vị trí việc làm",
    "product_types": "Loại sản phẩm",
    "work_plans": "Kế hoạch công tác tháng",
    "tasks": "Nhiệm vụ",
    "exemptions": "Đề nghị miễn trừ",
    "monthly_scores": "Kết quả tháng",
    "target_sets": "Bộ chỉ tiêu",
    "indicators": "Chỉ tiêu",
    "indicator_actuals": "Kết quả thực hiện chỉ tiêu",
    "history": "Kết quả xếp loại các năm trước",
    "candidates": "Người trong quy hoạch",
    "rotations": "Luân chuyển, điều động",
    "flagged": "Trường hợp cần xem xét (năm trước)",
    "year_evaluations": "Phiếu đánh giá năm nay (phường của tài khoản thử)",
    "year_self_reviews": "Bản tự kiểm điểm năm nay",
    "year_on_behalf": "Bản tự kiểm điểm nhập hộ",
    "year_reviews": "Lãnh đạo đã đánh giá",
}


class _Bars:
    """One tqdm bar per stage of the build, opened when the stage starts."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: tqdm[Any] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Move the current stage's bar, opening a new one when the stage changes."""
        if stage != self.stage:
            self.close()
            self.stage = stage
            # disable=None hides the bars when stderr is not a terminal (tests, logs).
            self.bar = tqdm(total=total, desc=stage, unit=" dòng", file=sys.stderr, disable=None)
        if self.bar is not None:
            self.bar.total = total
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        """Close the open bar, if any."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _number(value: int) -> str:
    """An integer with Vietnamese thousands separators (49.463)."""
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Dựng dữ liệu mẫu “Thành phố Mẫu” (đơn vị, cán bộ, chức vụ, tài khoản thử, công việc "
        "hai tháng, kết quả tháng trước, chỉ tiêu năm và kết quả xếp loại ba năm trước)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare --people, --seed, --if-empty and --no-work."""
        parser.add_argument("--people", type=int, default=3000, help="số cán bộ (mặc định 3000)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="chỉ dựng khi cơ sở dữ liệu còn trống; nếu đã có dữ liệu thì bỏ qua",
        )
        parser.add_argument(
            "--no-work",
            action="store_true",
            help=(
                "chỉ dựng đơn vị, cán bộ, tài khoản; không tạo nhiệm vụ, kết quả tháng, chỉ tiêu, "
                "kết quả các năm trước"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Build the demo and print the counts, the logins and the time it took."""
        if not demo.is_empty():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; bỏ qua việc dựng dữ liệu mẫu.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu. Dữ liệu mẫu chỉ được dựng trên cơ sở dữ liệu trống "
                "(dùng --if-empty để bỏ qua khi đã có dữ liệu).",
                returncode=2,
            )
        started = time.monotonic()
        bars = _Bars()
        # The demo's months are last month and this one, as the pages show them today.
        today = timezone.localdate()
        try:
            # One transaction: a failure leaves the database empty, so the demo can be rerun.
            city = demo.build(
                people=options["people"],
                seed=options["seed"],
                today=today,
                work=not options["no_work"],
                progress=bars,
            )
        except demo.DemoError as error:
            raise CommandError(str(error), returncode=2) from error
        finally:
            bars.close()
        summary, work = city.summary, city.work
        # Fresh statistics after a bulk load: without them SQLite probes 200,000 people
        # through the wrong index and a leader's page takes a minute instead of a second.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS("Đã dựng dữ liệu mẫu Thành phố Mẫu."))
        for key, label in COUNT_LABELS.items():
            self.stdout.write(f"  {label}: {_number(summary.counts.get(key, 0))}")
        for key, label in WORK_LABELS.items() if work else ():
            self.stdout.write(f"  {label}: {_number(work.get(key, 0))}")
        self.stdout.write("")
        self.stdout.write("Tài khoản dùng thử:")
        rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Phạm vi được xem")]
        rows += [(lg.username, lg.password, lg.role, lg.sees) for lg in summary.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        if work:
            self.stdout.write("")
            self.stdout.write("Xem thử:")
            for username, what in demo.tour(today):
                self.stdout.write(f"  {username}: {what}")
        self.stdout.write("")
        self.stdout.write(f"Thời gian: {elapsed:.1f} giây".replace(".", ","))
