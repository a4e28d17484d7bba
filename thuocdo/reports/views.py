"""Pages of reports ("Báo cáo, thống kê"): the distribution table with its drill-down and
exports, and the import of past years' results."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from thuocdo.org.models import Category, Unit
from thuocdo.org.scope import today
from thuocdo.reports import exports, selectors
from thuocdo.reports.forms import DistributionQueryForm, HistoryUploadForm
from thuocdo.reports.imports import (
    TEMPLATE_FILE_NAME,
    history_import,
    rejected_lines,
    template_write,
)
from thuocdo.reports.permissions import (
    access_report_unit,
    may_import_history,
    report_root_units,
)
from thuocdo.reviews.models import EvaluationGroup
from thuocdo.spreadsheets import ImportRejected

SHOWN_PROBLEMS = 500


@dataclass(frozen=True)
class Query:
    """A resolved report request: a unit the actor may see, a year (or one of its months), a
    group or all, a category of people or all."""

    unit: Unit
    year: int
    group: str
    years: list[int]
    month: int | None = None
    category: str = ""

    @property
    def params(self) -> dict[str, str]:
        """The request's parameters that are set, for links to the same report elsewhere."""
        values = {
            "unit": self.unit.code,
            "year": str(self.year),
            "month": str(self.month or ""),
            "group": self.group,
            "category": self.category,
        }
        return {key: value for key, value in values.items() if value}

    @property
    def querystring(self) -> str:
        """The parameters as a query string (unit=Q1&year=2021&group=leader)."""
        return urlencode(self.params)

    def report(self) -> selectors.DistributionReport:
        """The distribution this query asks for."""
        return selectors.distribution_report(
            unit=self.unit,
            year=self.year,
            group=self.group or None,
            category=self.category or None,
            month=self.month,
        )


def report_query(request: HttpRequest) -> Query:
    """Read unit, year and group from the query string; 404 for a unit out of scope."""
    code = request.GET.get("unit", "")
    if not code:
        roots = report_root_units(request.user)
        if not roots:
            raise Http404("Không tìm thấy đơn vị.")
        code = roots[0].code
    unit = access_report_unit(request.user, code)
    years = selectors.report_years(unit=unit)
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and 1900 < int(text) < 2200 else None
    year = year or (years[0] if years else today().year)
    if year not in years:
        years = sorted([*years, year], reverse=True)
    group = request.GET.get("group", "")
    month_text = request.GET.get("month", "")
    month = int(month_text) if month_text.isdigit() and 1 <= int(month_text) <= 12 else None
    category = request.GET.get("category", "")
    return Query(
        unit,
        year,
        group if group in EvaluationGroup.values and not month else "",
        years,
        month,
        category if category in Category.values else "",
    )


@require_GET
@login_required
def distribution(request: HttpRequest) -> HttpResponse:
    """The distribution of levels for a subtree, year and group, with the drill-down."""
    query = report_query(request)
    report = query.report()
    context = {
        "report": report,
        "form": query_form(query),
        "group": query.group,
        "query": query,
        "sources": exports.sources_text(report),
        "period": exports.period_label(report),
        "title": exports.report_title(report),
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=query.unit),
        "may_import": may_import_history(request.user),
    }
    return render(request, "reports/distribution_report.html", context)


@require_GET
@login_required
def distribution_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same report as an Excel workbook or a PDF."""
    query = report_query(request)
    return export_response(query.report(), fmt, query.group)


def query_form(query: Query) -> DistributionQueryForm:
    """The filter form of a report page, showing the query."""
    initial = {**query.params, "year": query.year, "month": query.month or ""}
    return DistributionQueryForm(initial=initial, years=query.years)


def export_response(report: selectors.DistributionReport, fmt: str, group: str) -> HttpResponse:
    """An attachment of the report in a format ("xlsx" or "pdf"); shared with the API."""
    if fmt == "xlsx":
        content, content_type = exports.distribution_workbook(report), exports.XLSX
    elif fmt == "pdf":
        content, content_type = exports.distribution_pdf(report), exports.PDF
    else:
        raise Http404("Không có định dạng này.")
    response = HttpResponse(content, content_type=content_type)
    name = exports.file_name(report, fmt, group or None)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def history_upload(request: HttpRequest) -> HttpResponse:
    """Upload past years' results; every problem is listed and nothing is half-written."""
    if not may_import_history(request.user):
        raise PermissionDenied("Chỉ Ban Tổ chức được nhập kết quả xếp loại các năm trước.")
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context["report"] = history_import(actor=request.user, source=form.cleaned_data["file"])
        except ImportRejected as rejected:
            # A wrong column in a 50.000-row file is 50.000 problems: the page shows the first.
            lines = rejected_lines(rejected)
            context["problems"], context["problem_count"] = lines[:SHOWN_PROBLEMS], len(lines)
    return render(request, "reports/history_import.html", context)


@require_GET
@login_required
def history_template(request: HttpRequest) -> HttpResponse:
    """The empty results workbook with its instruction sheet."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / TEMPLATE_FILE_NAME
        template_write(path)
        content = path.read_bytes()
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response
