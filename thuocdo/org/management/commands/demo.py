"""`demo`: build the demo city "Thành phố Mẫu" on an empty database and print its logins."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from thuocdo.org.demo import DemoError, demo_build, demo_is_empty

COUNT_LABELS = {
    "units": "Đơn vị",
    "people": "Cán bộ",
    "posts": "Chức vụ",
    "authorities": "Cấp có thẩm quyền",
    "disciplines": "Kỷ luật",
    "rewards": "Khen thưởng",
    "users": "Tài khoản",
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
    help = "Dựng dữ liệu mẫu “Thành phố Mẫu” (đơn vị, cán bộ, chức vụ, tài khoản thử)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare --people, --seed and --if-empty."""
        parser.add_argument("--people", type=int, default=3000, help="số cán bộ (mặc định 3000)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="chỉ dựng khi cơ sở dữ liệu còn trống; nếu đã có dữ liệu thì bỏ qua",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Build the demo and print the counts, the logins and the time it took."""
        if not demo_is_empty():
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
        try:
            summary = demo_build(people=options["people"], seed=options["seed"], progress=bars)
        except DemoError as error:
            raise CommandError(str(error), returncode=2) from error
        finally:
            bars.close()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS("Đã dựng dữ liệu mẫu Thành phố Mẫu."))
        for key, label in COUNT_LABELS.items():
            self.stdout.write(f"  {label}: {_number(summary.counts.get(key, 0))}")
        self.stdout.write("")
        self.stdout.write("Tài khoản dùng thử:")
        rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Phạm vi được xem")]
        rows += [(lg.username, lg.password, lg.role, lg.sees) for lg in summary.logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
        self.stdout.write("")
        self.stdout.write(f"Thời gian: {elapsed:.1f} giây".replace(".", ","))
