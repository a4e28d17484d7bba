"""`template units|people [--output FILE]`: write an empty import workbook with instructions."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from thuocdo.org.imports import WORKBOOKS
from thuocdo.spreadsheets.commands import command_template


class Command(BaseCommand):
    help = "Ghi tệp Excel mẫu (trống) để nhập đơn vị (units) hoặc cán bộ (people)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Kind and output file."""
        parser.add_argument("kind", choices=sorted(WORKBOOKS), help="units hoặc people")
        parser.add_argument(
            "--output",
            "-o",
            help="tệp cần ghi (mặc định mau-nhap-don-vi.xlsx / mau-nhap-can-bo.xlsx)",
        )

    def handle(self, *args: Any, kind: str, output: str | None, **options: Any) -> None:
        """Write the template and say where."""
        command_template(self, WORKBOOKS[kind], output)
