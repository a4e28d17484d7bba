"""The one import page and the one template download, for every importer.

A feature's view checks who may import, then hands over to `upload_page` with its template
(which extends `spreadsheets/import_page.html`, kept with the shared layout in thuocdo/web) and a
function that queues the import as a job from the valid form's data
(thuocdo.spreadsheets.background): the browser then follows the job's page, which shows the
report or every problem of a refused file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thuocdo.jobs.models import Job
from thuocdo.jobs.views import job_follow
from thuocdo.security.inputs import InputRefused, upload_check
from thuocdo.spreadsheets import limits
from thuocdo.spreadsheets.background import SHOWN_PROBLEMS
from thuocdo.spreadsheets.columns import WorkbookSpec
from thuocdo.spreadsheets.writer import XLSX, template_bytes

__all__ = ["SHOWN_PROBLEMS", "UploadForm", "template_response", "upload_page"]


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
    start: Callable[[dict[str, Any]], Job],
    form: UploadForm | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The import page: a valid upload is handed to `start(form.cleaned_data)`, which queues
    the import as a job (`import_job_start`), and the browser follows the job's page (the
    report, or every problem of a refused file); otherwise the page with the form."""
    if form is None:
        form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return job_follow(start(form.cleaned_data))
    return render(request, template, {**(context or {}), "form": form})


def template_response(workbook: WorkbookSpec) -> HttpResponse:
    """The empty import workbook as a download."""
    response = HttpResponse(template_bytes(workbook), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{workbook.file_name}"'
    return response
