"""The upload form of past years' results."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile


class HistoryUploadForm(forms.Form):
    """Upload of a workbook of past years' results."""

    file = forms.FileField(label="Tệp Excel (.xlsx)")

    def clean_file(self) -> UploadedFile[Any]:
        """Only .xlsx files."""
        upload: UploadedFile[Any] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx.")
        return upload
