"""The command-line side of every import: whose rights it runs with, the progress display, the
problems on stderr with exit status 2, the report, and writing the empty template."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, cast

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from thuocdo.jobs.progress import Progress as JobProgress
from thuocdo.org.models import Role, User
from thuocdo.spreadsheets.background import ImportProgress
from thuocdo.spreadsheets.columns import WorkbookSpec
from thuocdo.spreadsheets.problems import ImportRejected, ImportReport
from thuocdo.spreadsheets.reader import Progress
from thuocdo.spreadsheets.writer import template_write

# Exit status of a rejected file, distinct from Django's 1 for usage and other errors.
REJECTED = 2


def system_administrator() -> User | None:
    """The first active system administrator (superuser or admin role), if any."""
    admins = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(roles__role=Role.ADMIN)
    )
    return admins.order_by("pk").first()


def command_actor(username: str | None) -> User:
    """The account named by --user, or the first system administrator when none is named."""
    if username:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có tài khoản «{username}».")
        return actor
    admin = system_administrator()
    if admin is None:
        raise CommandError(
            "Chưa có tài khoản quản trị hệ thống: tạo bằng lệnh createsuperuser "
            "hoặc chỉ định tài khoản bằng --user."
        )
    return admin


def command_file(file: str | Path) -> Path:
    """The file to import, which must exist."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"Không tìm thấy tệp «{file}».")
    return path


def command_import(command: BaseCommand, run: Callable[[Progress], ImportReport]) -> ImportReport:
    """Run an import showing its progress on stderr (a bar per stage on a terminal, else one
    line per stage: reading, checking, writing); on a rejected file print every problem and
    exit with status 2. `run(progress)` does the import."""
    # Django's wrapper adds a newline to each write: fine for lines, not for a bar's redraws.
    console = cast(IO[str], sys.stderr if sys.stderr.isatty() else command.stderr)
    display = JobProgress(console=console)
    try:
        report = run(ImportProgress(display))
    except ImportRejected as rejected:
        display.close()
        for line in rejected.lines():
            command.stderr.write(line)
        raise CommandError(
            f"Tệp bị từ chối: {len(rejected.problems)} lỗi, không có dữ liệu nào được ghi.",
            returncode=REJECTED,
        ) from None
    display.close()
    return report


def command_report(command: BaseCommand, path: Path, report: ImportReport) -> None:
    """Say the file was imported and what it did."""
    command.stdout.write(command.style.SUCCESS(f"Đã nhập tệp «{path.name}»."))
    for line in report.lines():
        command.stdout.write(line)


def command_template(command: BaseCommand, workbook: WorkbookSpec, output: str | None) -> None:
    """Write the empty import workbook (to its default name unless told) and say where."""
    path = output or workbook.file_name
    template_write(workbook, path)
    command.stdout.write(command.style.SUCCESS(f"Đã ghi tệp mẫu «{path}»."))
