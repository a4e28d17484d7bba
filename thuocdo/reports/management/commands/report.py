"""`report distribution --unit CODE --year YYYY [--month M] [--group G] [--category C]
[--format json|xlsx|pdf|docx] [--number N] [--place P] [--date dd/mm/yyyy] [--output F]
[--user NAME]`, `report leniency --unit CODE --year YYYY [--group G] ...`, `report trends
--unit CODE [--from Y] [--to Y] [--group G] [--year Y] ...`, `report positions --unit CODE
--year YYYY [--group G] [--position P] ...`, `report import FILE.xlsx [--user NAME]` and
`report template [--output F]`."""

from __future__ import annotations

import datetime
import json
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from thuocdo.org.models import Category, Unit
from thuocdo.org.scope import today
from thuocdo.reports.common import selectors
from thuocdo.reports.common.permissions import access_report_unit
from thuocdo.reports.distribution import exports
from thuocdo.reports.documents import summary as documents
from thuocdo.reports.documents.forms import BAD_DATE, DATE_FORMAT
from thuocdo.reports.history.imports import TEMPLATE_FILE_NAME, WORKBOOK, history_import
from thuocdo.reports.leniency import exports as leniency_exports
from thuocdo.reports.leniency.selectors import leniency_report
from thuocdo.reports.positions import exports as position_exports
from thuocdo.reports.positions import selectors as position_selectors
from thuocdo.reports.trends import exports as trend_exports
from thuocdo.reports.trends import selectors as trend_selectors
from thuocdo.reviews.models import EvaluationGroup
from thuocdo.spreadsheets.commands import (
    command_actor,
    command_file,
    command_import,
    command_report,
    command_template,
)


def _date(text: str) -> datetime.date:
    """A dd/mm/yyyy date of the command line."""
    try:
        return datetime.datetime.strptime(text, DATE_FORMAT).date()
    except ValueError:
        raise ArgumentTypeError(BAD_DATE) from None


def _content(report: selectors.DistributionReport, fmt: str, options: dict[str, Any]) -> bytes:
    """The report as an Excel, PDF or Word file."""
    if fmt == "xlsx":
        return exports.distribution_workbook(report)
    if fmt == "pdf":
        return exports.distribution_pdf(report)
    letterhead = documents.letterhead_with(
        unit=report.unit,
        group=options["group"],
        on=options["date"] or today(),
        number=options["number"],
        place=options["place"] or "",
    )
    return documents.summary_docx(report=report, letterhead=letterhead, group=options["group"])


class Command(BaseCommand):
    help = (
        "Báo cáo phân bố xếp loại, cảnh báo nể nang; nhập kết quả xếp loại các năm trước từ Excel."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        """The sub-commands and their options."""
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("distribution", help="phân bố xếp loại của một đơn vị, một năm")
        report.add_argument("--unit", required=True, help="mã đơn vị (cả cây đơn vị trực thuộc)")
        report.add_argument("--year", required=True, type=int, help="năm")
        report.add_argument("--group", choices=EvaluationGroup.values, help="một nhóm đối tượng")
        report.add_argument(
            "--month", type=int, choices=range(1, 13), metavar="1-12", help="một tháng của năm"
        )
        report.add_argument("--category", choices=Category.values, help="một đối tượng")
        report.add_argument("--format", choices=["json", "xlsx", "pdf", "docx"], default="json")
        report.add_argument("--number", default="", help="số văn bản (docx; mặc định để trống)")
        report.add_argument("--place", help="địa danh (docx; mặc định tên đơn vị)")
        report.add_argument("--date", type=_date, help="ngày ban hành dd/mm/yyyy (docx)")
        report.add_argument(
            "--output", "-o", help="tệp cần ghi (mặc định: in ra màn hình với json)"
        )
        report.add_argument("--user", help="xem với phạm vi của tài khoản này")
        lenient = sub.add_parser("leniency", help="cảnh báo nể nang của một đơn vị, một năm")
        lenient.add_argument("--unit", required=True, help="mã đơn vị (cả cây đơn vị trực thuộc)")
        lenient.add_argument("--year", required=True, type=int, help="năm")
        trends = sub.add_parser("trends", help="xu hướng xếp loại qua các năm (và các tháng)")
        trends.add_argument("--unit", required=True, help="mã đơn vị (cả cây đơn vị trực thuộc)")
        trends.add_argument("--from", dest="first", type=int, help="từ năm")
        trends.add_argument("--to", dest="last", type=int, help="đến năm")
        trends.add_argument("--year", type=int, help="kèm kết quả hằng tháng của năm này")
        positions = sub.add_parser(
            "positions", help="so sánh kết quả giữa các chức danh tương đương trong một năm"
        )
        positions.add_argument("--unit", required=True, help="mã đơn vị (cả cây đơn vị)")
        positions.add_argument("--year", required=True, type=int, help="năm")
        positions.add_argument("--position", help="chỉ một chức danh tương đương")
        for each in (lenient, trends, positions):
            each.add_argument("--group", choices=EvaluationGroup.values, help="một nhóm đối tượng")
            each.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
            each.add_argument("--output", "-o", help="tệp cần ghi (mặc định: in ra với json)")
            each.add_argument("--user", help="xem với phạm vi của tài khoản này")
        run = sub.add_parser("import", help="nhập kết quả xếp loại các năm trước từ tệp .xlsx")
        run.add_argument("file", help="tệp .xlsx cần nhập")
        run.add_argument("--user", help="nhập với quyền của tài khoản này")
        template = sub.add_parser("template", help="ghi tệp mẫu trống có sheet Hướng dẫn")
        template.add_argument("--output", "-o", default=TEMPLATE_FILE_NAME, help="tệp cần ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the sub-command."""
        if options["action"] == "template":
            command_template(self, WORKBOOK, options["output"])
        elif options["action"] == "import":
            actor, path = command_actor(options["user"]), command_file(options["file"])
            report = command_import(
                self, lambda progress: history_import(actor=actor, source=path, progress=progress)
            )
            command_report(self, path, report)
        elif options["action"] == "leniency":
            self._leniency(options)
        elif options["action"] == "trends":
            self._trends(options)
        elif options["action"] == "positions":
            self._positions(options)
        else:
            self._distribution(options)

    def _unit(self, options: dict[str, Any]) -> Unit:
        """The unit asked for, if the account may see its reports."""
        actor = command_actor(options["user"])
        try:
            return access_report_unit(actor, options["unit"])
        except Http404:
            raise CommandError(
                f"Không tìm thấy đơn vị mã «{options['unit']}» trong phạm vi của tài khoản "
                f"«{actor.username}»."
            ) from None

    def _write(
        self,
        options: dict[str, Any],
        data: dict[str, Any],
        files: Callable[[str], bytes],
        name: str,
    ) -> None:
        """Print or write JSON, or write the file that `files(fmt)` makes."""
        fmt, output = options["format"], options["output"]
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2)
            if output is None:
                self.stdout.write(text)
                return
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            output = output or name
            Path(output).write_bytes(files(fmt))
        self.stdout.write(self.style.SUCCESS(f"Đã ghi báo cáo «{output}»."))

    def _trends(self, options: dict[str, Any]) -> None:
        """Write the trends (and a year's months) in the chosen format."""
        unit = self._unit(options)
        if options["first"] and options["last"] and options["first"] > options["last"]:
            raise CommandError("Năm cuối (--to) phải từ năm đầu (--from) trở đi.")
        trends = trend_selectors.year_trends(
            unit=unit, group=options["group"], first=options["first"], last=options["last"]
        )
        year = options["year"]
        months = trend_selectors.month_trends(unit=unit, year=year) if year else None

        def files(fmt: str) -> bytes:
            if fmt == "xlsx":
                return trend_exports.trends_workbook(trends, months)
            return trend_exports.trends_pdf(trends, months)

        name = trend_exports.trends_file_name(trends, options["format"], options["group"])
        self._write(options, trend_exports.trends_json(trends, months), files, name)

    def _positions(self, options: dict[str, Any]) -> None:
        """Write the comparison of equivalent positions in the chosen format."""
        unit = self._unit(options)
        comparison = position_selectors.position_comparison(
            unit=unit, year=options["year"], group=options["group"], position=options["position"]
        )

        def files(fmt: str) -> bytes:
            if fmt == "xlsx":
                return position_exports.positions_workbook(comparison)
            return position_exports.positions_pdf(comparison)

        name = position_exports.positions_file_name(comparison, options["format"], options["group"])
        self._write(options, position_exports.positions_json(comparison), files, name)

    def _distribution(self, options: dict[str, Any]) -> None:
        """Write the report in the chosen format."""
        unit = self._unit(options)
        report = selectors.distribution_report(
            unit=unit,
            year=options["year"],
            group=options["group"],
            category=options["category"],
            month=options["month"],
        )

        group, fmt = options["group"], options["format"]
        name = (
            documents.docx_file_name(report=report, group=group)
            if fmt == "docx"
            else exports.file_name(report, fmt, group)
        )
        data = exports.distribution_json(report)
        self._write(options, data, lambda f: _content(report, f, options), name)

    def _leniency(self, options: dict[str, Any]) -> None:
        """Write the leniency flags and the gap table in the chosen format."""
        unit = self._unit(options)
        report = leniency_report(unit=unit, year=options["year"], group=options["group"])

        def files(fmt: str) -> bytes:
            if fmt == "xlsx":
                return leniency_exports.leniency_workbook(report)
            return leniency_exports.leniency_pdf(report)

        name = leniency_exports.leniency_file_name(report, options["format"])
        self._write(options, leniency_exports.leniency_json(report), files, name)
