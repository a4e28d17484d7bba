"""The page "Văn bản báo cáo": the summary report of a unit subtree and year as a Word file,
with its letterhead (number, issuing body, place, date, signer) written in a form."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from thuocdo.org.scope import today
from thuocdo.reports.common import selectors
from thuocdo.reports.common.query import query_form, report_query
from thuocdo.reports.documents import summary as documents
from thuocdo.reports.documents.forms import SummaryDocumentForm


def docx_response(
    *, report: selectors.DistributionReport, letterhead: documents.Letterhead, group: str | None
) -> HttpResponse:
    """The summary report as a .docx attachment; shared with the API."""
    content = documents.summary_docx(report=report, letterhead=letterhead, group=group)
    response = HttpResponse(content, content_type=documents.DOCX)
    name = documents.docx_file_name(report=report, group=group)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def summary_docx(request: HttpRequest) -> HttpResponse:
    """The letterhead form for a unit, year and group (GET); the Word file (POST)."""
    query = report_query(request)  # the distribution page's: the same filters, the same 404
    group = query.group or None
    defaults = documents.letterhead_defaults(unit=query.unit, group=group, on=today())
    form = SummaryDocumentForm(
        request.POST or None, initial=SummaryDocumentForm.initial_of(defaults)
    )
    if request.method == "POST" and form.is_valid():
        return docx_response(report=query.report(), letterhead=form.letterhead(), group=group)
    context = {
        "query": query,
        "form": form,
        "filters": query_form(query),
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=query.unit),
        "state": documents.is_state_report(group),
    }
    return render(request, "reports/summary_document.html", context)
