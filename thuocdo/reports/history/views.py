"""Pages of the import of past years' results: the upload (every problem listed, nothing
half-written) and the empty template workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from thuocdo.org.imports import ImportRejected
from thuocdo.reports.common.exports import XLSX
from thuocdo.reports.common.permissions import may_import_history
from thuocdo.reports.history.forms import HistoryUploadForm
from thuocdo.reports.history.imports import (
    TEMPLATE_FILE_NAME,
    history_import,
    rejected_lines,
    template_write,
)

SHOWN_PROBLEMS = 500


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
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
    return response
