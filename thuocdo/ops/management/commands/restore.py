"""`restore`: put a backup folder back into the database and the media folder."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuocdo.jobs.progress import Progress
from thuocdo.ops.manifest import BackupError
from thuocdo.ops.restore import backup_restore


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu đang cấu hình (phải trống, trừ khi dùng "
        "--force) và thư mục tệp minh chứng; kiểm tra mã SHA-256 và số dòng từng bảng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the folder and --force."""
        parser.add_argument("directory", help="thư mục sao lưu (có manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="thay toàn bộ dữ liệu hiện có (mặc định: chỉ khôi phục vào cơ sở dữ liệu trống)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Restore, with progress on stderr, and print what came back."""
        progress = Progress(console=cast(IO[str], self.stderr._out))
        try:
            manifest = backup_restore(
                options["directory"], force=options["force"], progress=progress
            )
        except BackupError as error:
            raise CommandError(str(error), returncode=2) from error
        finally:
            progress.close()
        rows = sum(manifest.tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục bản sao lưu ngày {manifest.created_at[:10]} (Thước Đo "
                f"{manifest.app_version}, {manifest.engine}): {_number(rows)} dòng trong "
                f"{len(manifest.tables)} bảng, {_number(len(manifest.media_files()))} tệp."
            )
        )
        if manifest.campaigns_reset:
            self.stdout.write(
                "Các cuộc lấy phiếu đang mở khi sao lưu trở lại trạng thái “Đang chuẩn bị” "
                f"(không có phiếu): {', '.join(str(i) for i in manifest.campaigns_reset)}."
            )
