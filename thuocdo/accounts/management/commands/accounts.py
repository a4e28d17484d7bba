"""`accounts import|create|template`: accounts for a whole city from the command line.

thuocdo accounts import TEP.xlsx [--user NAME] [--output MAT-KHAU.xlsx]
thuocdo accounts create --unit MA [--role person|posts] --output MAT-KHAU.xlsx [--user NAME]
thuocdo accounts template [--output mau-nhap-tai-khoan.xlsx]
"""

from __future__ import annotations

import io
import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import Http404
from tqdm import tqdm

from thuocdo.accounts.imports import WORKBOOK, AccountsImportReport, accounts_import
from thuocdo.accounts.services import Credential, accounts_create_for_unit
from thuocdo.accounts.workbooks import credentials_file_name, credentials_write
from thuocdo.org.permissions import access_unit_by_code
from thuocdo.org.scope import today
from thuocdo.spreadsheets.commands import (
    command_actor,
    command_file,
    command_import,
    command_report,
    command_template,
)
from thuocdo.spreadsheets.reader import Progress

# The passwords workbook is created, never overwritten: O_EXCL makes the creation atomic and
# refuses any existing name, a symbolic link included (never followed); readable by its owner.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC
EXISTS = 2  # exit status when the passwords file already exists: nothing is imported


def _exists_error(target: str) -> CommandError:
    return CommandError(
        f"Tệp «{target}» đã tồn tại: không ghi đè tệp mật khẩu. Không có tài khoản nào được "
        "tạo. Hãy chọn tệp khác bằng --output, hoặc xóa tệp cũ sau khi đã bàn giao.",
        returncode=EXISTS,
    )


def _refuse_existing(target: str) -> None:
    """Refuse before anything is imported if the passwords file is already there."""
    if os.path.lexists(target):
        raise _exists_error(target)


def _credentials_save(credentials: list[Credential], target: str) -> None:
    """Create the passwords workbook, mode 0600, refusing an existing file (FileExistsError);
    built in memory first, and removed again if it cannot be written whole (OSError)."""
    buffer = io.BytesIO()
    credentials_write(credentials, buffer, issued=today())
    descriptor = os.open(target, _CREATE, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(buffer.getvalue())
    except BaseException:
        Path(target).unlink(missing_ok=True)
        raise


def _handover(count: int, target: str) -> str:
    return (
        f"Mật khẩu một lần của {count} tài khoản mới: «{target}». Tệp này chứa mật khẩu (chỉ "
        "tài khoản đang chạy lệnh đọc được): hãy bàn giao cho người dùng rồi xóa tệp."
    )


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, as `thuocdo import` does: without them
    PostgreSQL plans the account list of a city for hundreds, not 200,000 (8 s, not 0,3)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Tài khoản: nhập từ Excel (import), tạo cho cán bộ chưa có tài khoản của một đơn vị "
        "(create), ghi tệp mẫu (template)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Three sub-commands."""
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="nhập tài khoản và vai trò từ tệp .xlsx")
        imp.add_argument("file", help="tệp .xlsx cần nhập")
        imp.add_argument("--user", help="nhập với quyền của tài khoản này")
        imp.add_argument("--output", "-o", help="tệp ghi mật khẩu một lần của tài khoản mới")
        create = sub.add_parser("create", help="tạo tài khoản cho cán bộ chưa có")
        create.add_argument("--unit", required=True, help="mã đơn vị (cả cây đơn vị trực thuộc)")
        create.add_argument(
            "--role",
            choices=["person", "posts"],
            default="person",
            help="person: chỉ tài khoản cá nhân; posts: thêm vai trò theo chức vụ (người đứng "
            "đầu, cấp phó)",
        )
        create.add_argument("--output", "-o", required=True, help="tệp .xlsx ghi mật khẩu một lần")
        create.add_argument("--user", help="tạo với quyền của tài khoản này")
        template = sub.add_parser("template", help="ghi tệp mẫu nhập tài khoản")
        template.add_argument("--output", "-o", help=f"tệp cần ghi (mặc định {WORKBOOK.file_name})")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        """Run the sub-command."""
        if action == "template":
            command_template(self, WORKBOOK, options["output"])
        elif action == "import":
            self._import(options["file"], options["user"], options["output"])
        else:
            self._create(options["unit"], options["role"], options["output"], options["user"])

    def _import(self, file: str, username: str | None, output: str | None) -> None:
        path, actor = command_file(file), command_actor(username)
        target = output or credentials_file_name(today())
        _refuse_existing(target)

        def run(progress: Progress) -> AccountsImportReport:
            # The passwords exist only in the workbook: if it cannot be written, nothing is.
            with transaction.atomic():
                report = accounts_import(actor=actor, source=path, progress=progress)
                if report.credentials:
                    _credentials_save(report.credentials, target)
            return report

        try:
            report = command_import(self, run)
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from None
        except FileExistsError:
            raise _exists_error(target) from None
        except OSError as error:
            raise CommandError(f"Không ghi được tệp «{target}»: {error}") from None
        assert isinstance(report, AccountsImportReport)
        if report.created:
            _analyze()
        command_report(self, path, report)
        if report.credentials:
            self.stdout.write(_handover(len(report.credentials), target))

    def _create(self, code: str, role: str, output: str, username: str | None) -> None:
        actor = command_actor(username)
        _refuse_existing(output)
        try:
            unit = access_unit_by_code(actor, code, write=True)
        except (Http404, PermissionDenied):
            raise CommandError(f"Không có đơn vị «{code}» trong phạm vi của «{actor}».") from None
        with tqdm(total=0, unit=" tài khoản", file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total, bar.n = total, done
                bar.refresh()

            try:
                with transaction.atomic():
                    credentials = accounts_create_for_unit(
                        actor=actor, unit=unit, roles_from_posts=role == "posts", progress=progress
                    )
                    if credentials:
                        _credentials_save(credentials, output)
            except FileExistsError:
                raise _exists_error(output) from None
            except OSError as error:
                raise CommandError(f"Không ghi được tệp «{output}»: {error}") from None
        if not credentials:
            self.stdout.write(f"Mọi cán bộ của {unit.name} đều đã có tài khoản.")
            return
        _analyze()
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {len(credentials)} tài khoản."))
        self.stdout.write(_handover(len(credentials), output))
