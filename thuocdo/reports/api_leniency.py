"""REST endpoint of leniency analytics: GET /api/reports/leniency?unit=&year=&group=&format=.

The distribution's unit, year and group, in JSON, Excel or PDF, with the same scope: a unit out
of the caller's scope answers 404 exactly like a unit that does not exist, in every format.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.reports import exports
from thuocdo.reports.api import FormatIsAParameter
from thuocdo.reports.leniency_exports import leniency_json
from thuocdo.reports.leniency_selectors import leniency_report
from thuocdo.reports.permissions import access_report_unit
from thuocdo.reports.views_leniency import leniency_export_response
from thuocdo.reviews.models import EvaluationGroup

FORMATS = ("json", "xlsx", "pdf")


class LeniencyInput(serializers.Serializer[dict[str, Any]]):
    """unit, year, group and format: leniency is read on whole years and over every category,
    so the distribution's month, category and Word options do not apply (not inherited)."""

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
    format = serializers.ChoiceField(
        choices=FORMATS,
        required=False,
        default="json",
        error_messages={
            "invalid_choice": "«{input}» không phải định dạng; chọn json, xlsx hoặc pdf."
        },
    )


class LeniencyReportView(APIView):
    """Leniency flags of a unit subtree in a year, with the self-proposal gap table."""

    content_negotiation_class = FormatIsAParameter

    @extend_schema(
        operation_id="reports_leniency",
        parameters=[LeniencyInput],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, exports.XLSX): OpenApiTypes.BINARY,
            (200, exports.PDF): OpenApiTypes.BINARY,
        },
    )
    def get(self, request: Request) -> Response | HttpResponse:
        params = LeniencyInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = access_report_unit(request.user, data["unit"])
        report = leniency_report(unit=unit, year=data["year"], group=data.get("group") or None)
        if data["format"] == "json":
            return Response(leniency_json(report))
        return leniency_export_response(report, data["format"])
