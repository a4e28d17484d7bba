"""The distribution page ("Báo cáo, thống kê"): the distribution table with its drill-down,
and its Excel and PDF exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.reports.common import selectors
from thuocdo.reports.common.exports import PDF, XLSX, period_label, report_title, sources_text
from thuocdo.reports.common.permissions import may_import_history
from thuocdo.reports.common.query import query_form, report_query
from thuocdo.reports.distribution import exports


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
        "sources": sources_text(report),
        "period": period_label(report),
        "title": report_title(report),
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


def export_response(report: selectors.DistributionReport, fmt: str, group: str) -> HttpResponse:
    """An attachment of the report in a format ("xlsx" or "pdf"); shared with the API."""
    if fmt == "xlsx":
        content, content_type = exports.distribution_workbook(report), XLSX
    elif fmt == "pdf":
        content, content_type = exports.distribution_pdf(report), PDF
    else:
        raise Http404("Không có định dạng này.")
    response = HttpResponse(content, content_type=content_type)
    name = exports.file_name(report, fmt, group or None)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
