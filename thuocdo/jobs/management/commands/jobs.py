"""`jobs prune`: delete the background jobs finished more than N days ago, with their results
and files (thuocdo/jobs/prune.py); the worker does the same once a day."""

from __future__ import annotations

from typing import IO, Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuocdo.jobs.jobs import prune_message
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.prune import jobs_prune


class Command(BaseCommand):
    help = "Quản lý công việc chạy nền: «prune» xóa công việc đã kết thúc quá N ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        """The `prune` action and its --days."""
        actions = parser.add_subparsers(dest="action", required=True)
        prune = actions.add_parser(
            "prune", help="xóa công việc đã kết thúc quá N ngày cùng kết quả và tệp của chúng"
        )
        prune.add_argument(
            "--days",
            type=int,
            default=None,
            help="số ngày giữ lại (mặc định THUOCDO_JOBS_KEEP_DAYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Prune, with progress on stderr, and print what was deleted."""
        days = settings.JOBS_KEEP_DAYS if options["days"] is None else options["days"]
        if days < 0:
            raise CommandError("Số ngày giữ lại phải từ 0 trở lên.", returncode=2)
        progress = Progress(console=cast(IO[str], self.stderr._out))
        try:
            counts = jobs_prune(days=days, progress=progress)
        finally:
            progress.close()
        self.stdout.write(self.style.SUCCESS(prune_message(counts, days)))
