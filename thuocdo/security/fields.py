"""Form fields that carry the input policy (thuocdo/security/inputs.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from thuocdo.security.inputs import EVIDENCE_TYPES, InputRefused, upload_check


class EvidenceFileField(forms.FileField):
    """An evidence file: at most `EVIDENCE_MAX_BYTES`, a document, sheet or picture whose
    content starts like its extension says."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            try:
                upload_check(upload, max_bytes=settings.EVIDENCE_MAX_BYTES, allowed=EVIDENCE_TYPES)
            except InputRefused as error:
                raise forms.ValidationError(str(error)) from error
        return upload
