"""The one import page and the one template download, for every importer.

A feature's view checks who may import, then hands over to `upload_page` with its template
(which extends `spreadsheets/import_page.html`, kept with the shared layout in thuocdo/web) and a
function that runs the import from the valid form's data: the page shows the form, then every
problem of a refused file or the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thuocdo.security.inputs import InputRefused, upload_check
from thuocdo.spreadsheets import limits
from thuocdo.spreadsheets.columns import WorkbookSpec
from thuocdo.spreadsheets.problems import ImportRejected, ImportReport
from thuocdo.spreadsheets.writer import XLSX, template_bytes

# A wrong column in a 50.000-row file is 50.000 problems: the page shows the first ones.
SHOWN_PROBLEMS = 500


class UploadForm(forms.Form):
    """Upload of one .xlsx workbook, refused before it is opened if it cannot be one."""

    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self) -> UploadedFile[Any]:
        """Only .xlsx files, none over the size limit, each starting like a zip (the uploads'
        input policy, thuocdo.security.inputs)."""
        upload: UploadedFile[Any] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx.")
        try:
            upload_check(upload, max_bytes=limits.MAX_FILE_BYTES, allowed={".xlsx": XLSX})
        except InputRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        return upload


def upload_page(
    request: HttpRequest,
    *,
    template: str,
    run: Callable[[dict[str, Any]], ImportReport],
    form: UploadForm | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The import page: on a valid upload, `run(form.cleaned_data)` imports, and the page shows
    the report or every problem (the first SHOWN_PROBLEMS of them) of a refused file."""
    if form is None:
        form = UploadForm(request.POST or None, request.FILES or None)
    page: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            page["report"] = run(form.cleaned_data)
        except ImportRejected as rejected:
            lines = rejected.lines()
            page["problems"], page["problem_count"] = lines[:SHOWN_PROBLEMS], len(lines)
    # Read after the run, which may have added to it (a target set created for the file).
    return render(request, template, {**(context or {}), **page})


def template_response(workbook: WorkbookSpec) -> HttpResponse:
    """The empty import workbook as a download."""
    response = HttpResponse(template_bytes(workbook), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{workbook.file_name}"'
    return response
