"""What every report endpoint of the API shares: `format` as a parameter (json, or a file
sent as it is), the unit, group, year and format parameters with Vietnamese errors, and the
responses documented in the schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from thuocdo.reports.common.exports import PDF, XLSX
from thuocdo.reviews.models import EvaluationGroup

FILE_FORMATS = ("json", "xlsx", "pdf")
RESPONSES: dict[Any, Any] = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, XLSX): OpenApiTypes.BINARY,
    (200, PDF): OpenApiTypes.BINARY,
}


class FormatIsAParameter(DefaultContentNegotiation):
    """`format` chooses the export here, not DRF's renderer: files are sent as they are."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        """Always the first renderer (JSON), for the data and for errors alike."""
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


def year_field(*, required: bool = False, **extra: Any) -> serializers.IntegerField:
    """A year parameter with Vietnamese errors."""
    errors: dict[str, Any] = {
        "required": "Cần ghi năm (year).",
        "invalid": "Năm phải là số nguyên, ví dụ 2021.",
        "min_value": "Năm phải từ {min_value}.",
        "max_value": "Năm phải đến {max_value}.",
    }
    return serializers.IntegerField(
        min_value=1990, max_value=2100, required=required, error_messages=errors, **extra
    )


def format_field(formats: tuple[str, ...] = FILE_FORMATS) -> serializers.ChoiceField:
    """The `format` parameter: JSON by default, or one of the files."""
    named = ", ".join(formats[:-1]) + " hoặc " + formats[-1]
    return serializers.ChoiceField(
        choices=formats,
        required=False,
        default="json",
        error_messages={"invalid_choice": f"«{{input}}» không phải định dạng; chọn {named}."},
    )


class ReportInput(serializers.Serializer[dict[str, Any]]):
    """unit, group and format: the parameters every report endpoint takes."""

    unit = serializers.CharField(
        max_length=40, error_messages={"required": "Cần ghi mã đơn vị (unit)."}
    )
    group = serializers.ChoiceField(
        choices=EvaluationGroup.choices,
        required=False,
        error_messages={
            "invalid_choice": "«{input}» không phải nhóm đối tượng; chọn một trong: "
            + ", ".join(EvaluationGroup.values)
            + "."
        },
    )
    format = format_field()
