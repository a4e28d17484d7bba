"""REST endpoint of reports: GET /api/reports/distribution?unit=&year=&group=&format=.

The same selector, exports and scope as the pages: a unit out of the caller's scope answers
404 exactly like a unit that does not exist, in every format.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.org.models import Category
from thuocdo.reports import exports, selectors
from thuocdo.reports.permissions import access_report_unit
from thuocdo.reports.views import export_response
from thuocdo.reviews.models import EvaluationGroup

FORMATS = ("json", "xlsx", "pdf")


class FormatIsAParameter(DefaultContentNegotiation):
    """`format` chooses the export here, not DRF's renderer: files are sent as they are."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        """Always the first renderer (JSON), for the data and for errors alike."""
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class DistributionInput(serializers.Serializer[dict[str, Any]]):
    unit = serializers.CharField(
        max_length=40, error_messages={"required": "Cần ghi mã đơn vị (unit)."}
    )
    year = serializers.IntegerField(
        min_value=1990,
        max_value=2100,
        error_messages={
            "required": "Cần ghi năm (year).",
            "invalid": "Năm phải là số nguyên, ví dụ 2021.",
            "min_value": "Năm phải từ {min_value}.",
            "max_value": "Năm phải đến {max_value}.",
        },
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
    month = serializers.IntegerField(
        min_value=1,
        max_value=12,
        required=False,
        error_messages={
            "invalid": "Tháng phải là số nguyên từ 1 đến 12.",
            "min_value": "Tháng phải từ 1 đến 12.",
            "max_value": "Tháng phải từ 1 đến 12.",
        },
    )
    category = serializers.ChoiceField(
        choices=Category.choices,
        required=False,
        error_messages={
            "invalid_choice": "«{input}» không phải đối tượng; chọn một trong: "
            + ", ".join(Category.values)
            + "."
        },
    )
    format = serializers.ChoiceField(
        choices=FORMATS,
        required=False,
        default="json",
        error_messages={
            "invalid_choice": "«{input}» không phải định dạng; chọn json, xlsx hoặc pdf."
        },
    )


class DistributionReportView(APIView):
    """Counts and shares per level of a unit subtree in a year, per subject group."""

    content_negotiation_class = FormatIsAParameter

    @extend_schema(
        parameters=[DistributionInput],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, exports.XLSX): OpenApiTypes.BINARY,
            (200, exports.PDF): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        params = DistributionInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = access_report_unit(request.user, data["unit"])
        group = data.get("group") or None
        report = selectors.distribution_report(
            unit=unit,
            year=data["year"],
            group=group,
            category=data.get("category") or None,
            month=data.get("month"),
        )
        if data["format"] == "json":
            return Response(exports.distribution_json(report))
        return export_response(report, data["format"], group or "")
