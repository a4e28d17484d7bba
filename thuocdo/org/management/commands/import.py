"""`import units|people FILE.xlsx`: import units or people from an Excel workbook."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Q
from tqdm import tqdm

from thuocdo.org.imports import ImportRejected, people_import, units_import
from thuocdo.org.models import Role, User

# Exit status of a rejected file, distinct from Django's 1 for usage and other errors.
REJECTED = 2


def system_administrator() -> User | None:
    """The first active system administrator (superuser or admin role), if any."""
    admins = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(roles__role=Role.ADMIN)
    )
    return admins.order_by("pk").first()


class Command(BaseCommand):
    help = "Nhập đơn vị (units) hoặc cán bộ, chức vụ (people) từ tệp Excel .xlsx."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Kind, file, and the account the import is done as."""
        parser.add_argument("kind", choices=["units", "people"], help="units hoặc people")
        parser.add_argument("file", help="tệp .xlsx cần nhập")
        parser.add_argument(
            "--user",
            help="nhập với quyền của tài khoản này (mặc định: quản trị hệ thống)",
        )

    def handle(self, *args: Any, kind: str, file: str, user: str | None, **options: Any) -> None:
        """Run the import; print every problem and exit with status 2 if the file is rejected."""
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản «{user}».")
        else:
            actor = system_administrator()
            if actor is None:
                raise CommandError(
                    "Chưa có tài khoản quản trị hệ thống: tạo bằng lệnh createsuperuser "
                    "hoặc chỉ định tài khoản bằng --user."
                )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp «{file}».")
        importer = units_import if kind == "units" else people_import
        # disable=None hides the bar when stderr is not a terminal (tests, cron, pipes).
        with tqdm(total=0, unit=" dòng", desc="Đọc tệp", file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                """Move the bar to the rows read so far."""
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                report = importer(actor=actor, source=path, progress=progress)
            except ImportRejected as rejected:
                bar.close()
                for problem in rejected.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"Tệp bị từ chối: {len(rejected.problems)} lỗi, không có dữ liệu nào được ghi.",
                    returncode=REJECTED,
                ) from None
        if report.created or report.updated:
            # Fresh planner statistics after a bulk load: without them SQLite picks the wrong
            # index for the scope queries of a large registry (PostgreSQL's autovacuum catches
            # up on its own, but only later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Đã nhập tệp «{path.name}»."))
        for line in report.lines():
            self.stdout.write(line)
