"""`import units|people FILE.xlsx [--user NAME]`: import units or people from an Excel workbook."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from thuocdo.org.imports import people_import, units_import
from thuocdo.spreadsheets.commands import (
    command_actor,
    command_file,
    command_import,
    command_report,
)


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
        actor = command_actor(user)
        path = command_file(file)
        importer = units_import if kind == "units" else people_import
        report = command_import(
            self, lambda progress: importer(actor=actor, source=path, progress=progress)
        )
        if report.created or report.updated:
            # Fresh planner statistics after a bulk load: without them SQLite picks the wrong
            # index for the scope queries of a large registry (PostgreSQL's autovacuum catches
            # up on its own, but only later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        command_report(self, path, report)
