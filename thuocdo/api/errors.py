"""One exception handler: domain errors become HTTP 400 with Vietnamese messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django validation errors to 400, and let DRF handle the rest."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response({"errors": detail}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
