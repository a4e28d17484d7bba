"""The "Cảnh báo nể nang" page: leniency flags of a subtree in a year, the self-proposal gap
table, and their Excel and PDF exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.reports.common import exports, selectors
from thuocdo.reports.common.permissions import may_import_history
from thuocdo.reports.common.query import report_query
from thuocdo.reports.leniency import exports as leniency_exports
from thuocdo.reports.leniency.forms import LeniencyQueryForm
from thuocdo.reports.leniency.selectors import LeniencyReport, leniency_report


@require_GET
@login_required
def leniency_page(request: HttpRequest) -> HttpResponse:
    """The flags, each with its explanation, and the gap table, for a subtree, year and group."""
    query = report_query(request)
    report = leniency_report(unit=query.unit, year=query.year, group=query.group or None)
    form = LeniencyQueryForm(
        initial={"unit": query.unit.code, "year": query.year, "group": query.group},
        years=query.years,
    )
    context = {
        "report": report,
        "query": query,
        "form": form,
        "group": query.group,
        "title": leniency_exports.leniency_title(report),
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=query.unit),
        "may_import": may_import_history(request.user),
        "rules": leniency_exports.method_lines(),
    }
    return render(request, "reports/leniency_report.html", context)


@require_GET
@login_required
def leniency_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same flags and gap table as an Excel workbook or a PDF."""
    query = report_query(request)
    report = leniency_report(unit=query.unit, year=query.year, group=query.group or None)
    return leniency_export_response(report, fmt)


def leniency_export_response(report: LeniencyReport, fmt: str) -> HttpResponse:
    """An attachment of the leniency report ("xlsx" or "pdf"); shared with the API."""
    if fmt == "xlsx":
        content, content_type = leniency_exports.leniency_workbook(report), exports.XLSX
    elif fmt == "pdf":
        content, content_type = leniency_exports.leniency_pdf(report), exports.PDF
    else:
        raise Http404("Không có định dạng này.")
    response = HttpResponse(content, content_type=content_type)
    name = leniency_exports.leniency_file_name(report, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
