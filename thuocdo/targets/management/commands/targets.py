"""`targets import FILE --unit CODE --year YYYY [--user NAME]` and `targets template [-o FILE]`."""

from __future__ import annotations

import importlib
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from thuocdo.org.imports import ImportRejected
from thuocdo.org.models import Unit, User
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.targets import services
from thuocdo.targets.imports import TEMPLATE_FILE_NAME, targets_import, template_write
from thuocdo.targets.models import TargetSet

# Exit status of a rejected file, as for the registry import.
REJECTED = 2


def _default_actor() -> User | None:
    """The registry import's default account: the first active system administrator."""
    # The module is named "import", a keyword, so it cannot be imported with a statement.
    registry_import = importlib.import_module("thuocdo.org.management.commands.import")
    actor: User | None = registry_import.system_administrator()
    return actor


class Command(BaseCommand):
    help = "Nhập chỉ tiêu, kết quả thực hiện từ tệp Excel, hoặc ghi tệp mẫu trống."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """The two sub-commands and their options."""
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("import", help="nhập tệp .xlsx vào bộ chỉ tiêu của đơn vị, năm")
        run.add_argument("file", help="tệp .xlsx cần nhập")
        run.add_argument("--unit", required=True, help="mã đơn vị")
        run.add_argument("--year", required=True, type=int, help="năm của bộ chỉ tiêu")
        run.add_argument("--user", help="nhập với quyền của tài khoản này")
        template = sub.add_parser("template", help="ghi tệp mẫu trống có sheet Hướng dẫn")
        template.add_argument("--output", "-o", default=TEMPLATE_FILE_NAME, help="tệp cần ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the sub-command."""
        if options["action"] == "template":
            template_write(options["output"])
            self.stdout.write(self.style.SUCCESS(f"Đã ghi tệp mẫu «{options['output']}»."))
            return
        self._import(Path(options["file"]), options["unit"], options["year"], options["user"])

    def _import(self, path: Path, unit_code: str, year: int, username: str | None) -> None:
        """Import into the unit's set for the year, creating it as a draft when missing."""
        actor = (
            User.objects.filter(username=username, is_active=True).first()
            if username
            else _default_actor()
        )
        if actor is None:
            raise CommandError(
                f"Không có tài khoản «{username}»."
                if username
                else "Chưa có tài khoản quản trị hệ thống: chỉ định tài khoản bằng --user."
            )
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp «{path}».")
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{unit_code}».")
        if not Unit.objects.filter(units_write_q(scope_for(actor)), pk=unit.pk).exists():
            raise CommandError(f"Tài khoản «{actor.username}» không được giao chỉ tiêu cho {unit}.")
        target_set = TargetSet.objects.filter(unit=unit, year=year).first()
        created = target_set is None
        try:
            # A set created for a file that is then rejected must not remain.
            with transaction.atomic():
                if target_set is None:
                    target_set = services.target_set_create(actor=actor, unit=unit, year=year)
                report = targets_import(actor=actor, target_set=target_set, source=path)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Tệp bị từ chối: {len(rejected.problems)} lỗi, không có dữ liệu nào được ghi.",
                returncode=REJECTED,
            ) from None
        if created:
            self.stdout.write(f"Đã tạo bộ chỉ tiêu năm {year} của {unit.name} (dự thảo).")
        self.stdout.write(self.style.SUCCESS(f"Đã nhập tệp «{path.name}»."))
        for line in report.lines():
            self.stdout.write(line)
