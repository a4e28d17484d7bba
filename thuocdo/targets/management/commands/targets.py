"""`targets import FILE --unit CODE --year YYYY [--user NAME]` and `targets template [-o FILE]`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.spreadsheets import ImportReport, Progress
from thuocdo.spreadsheets.commands import (
    command_actor,
    command_file,
    command_import,
    command_report,
    command_template,
)
from thuocdo.targets import services
from thuocdo.targets.imports import TEMPLATE_FILE_NAME, WORKBOOK, targets_import
from thuocdo.targets.models import TargetSet


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
            command_template(self, WORKBOOK, options["output"])
            return
        self._import(options["file"], options["unit"], options["year"], options["user"])

    def _import(self, file: str, unit_code: str, year: int, username: str | None) -> None:
        """Import into the unit's set for the year, creating it as a draft when missing."""
        actor = command_actor(username)
        path: Path = command_file(file)
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{unit_code}».")
        if not Unit.objects.filter(units_write_q(scope_for(actor)), pk=unit.pk).exists():
            raise CommandError(f"Tài khoản «{actor.username}» không được giao chỉ tiêu cho {unit}.")
        created = not TargetSet.objects.filter(unit=unit, year=year).exists()

        def run(progress: Progress) -> ImportReport:
            # A set created for a file that is then rejected must not remain.
            with transaction.atomic():
                target_set = TargetSet.objects.filter(unit=unit, year=year).first()
                if target_set is None:
                    target_set = services.target_set_create(actor=actor, unit=unit, year=year)
                return targets_import(actor=actor, target_set=target_set, source=path)

        report = command_import(self, run)
        if created:
            self.stdout.write(f"Đã tạo bộ chỉ tiêu năm {year} của {unit.name} (dự thảo).")
        command_report(self, path, report)
