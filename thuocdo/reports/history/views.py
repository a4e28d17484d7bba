"""Pages of the import of past years' results: the upload (every problem listed, nothing
half-written) and the empty template workbook, both the shared import's (thuocdo.spreadsheets)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from thuocdo.reports.common.permissions import may_import_history
from thuocdo.reports.history.imports import WORKBOOK
from thuocdo.reports.jobs import HISTORY_IMPORT, REFUSAL
from thuocdo.spreadsheets.background import import_job_start
from thuocdo.spreadsheets.web import template_response, upload_page


@require_http_methods(["GET", "POST"])
@login_required
def history_upload(request: HttpRequest) -> HttpResponse:
    """Upload past years' results, imported by a job: every problem is listed on the job's
    page and nothing is half-written."""
    if not may_import_history(request.user):
        raise PermissionDenied(REFUSAL)
    return upload_page(
        request,
        template="reports/history_import.html",
        start=lambda data: import_job_start(
            kind=HISTORY_IMPORT, actor=request.user, upload=data["file"]
        ),
    )


@require_GET
@login_required
def history_template(request: HttpRequest) -> HttpResponse:
    """The empty results workbook with its instruction sheet."""
    return template_response(WORKBOOK)
