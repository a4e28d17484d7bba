"""`backup`: write a backup folder (database, evidence files, manifest)."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuocdo.jobs.progress import Progress
from thuocdo.ops.backup import backup_create
from thuocdo.ops.jobs import backup_prune
from thuocdo.ops.manifest import BackupError


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và tệp minh chứng vào một thư mục (kèm bản kê: phiên bản, "
        "migration, số dòng từng bảng, mã SHA-256)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare --output and --keep."""
        parser.add_argument(
            "--output", help="thư mục chứa các bản sao lưu (mặc định THUOCDO_BACKUP_DIR)"
        )
        parser.add_argument(
            "--keep", type=int, default=0, help="giữ lại N bản mới nhất, xoá các bản cũ hơn"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Back up, with progress on stderr, and print the folder."""
        progress = Progress(console=cast(IO[str], self.stderr._out))
        try:
            folder = backup_create(output=options["output"], progress=progress)
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        finally:
            progress.close()
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {folder}"))
        if options["keep"]:
            for old in backup_prune(folder.parent, keep=options["keep"]):
                self.stdout.write(f"Đã xoá bản cũ {old}")
