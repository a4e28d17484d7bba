"""REST endpoints of trends and of equivalent positions:
GET /api/reports/trends?unit=&group=&from=&to=&year=&format= and
GET /api/reports/positions?unit=&year=&group=&position=&format=.

The same selectors, exports and scope as the pages: a unit out of the caller's scope answers
404 exactly like a unit that does not exist, in every format.
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

from thuocdo.reports import exports, position_selectors, trend_exports, trend_selectors
from thuocdo.reports.api import FORMATS, FormatIsAParameter
from thuocdo.reports.permissions import access_report_unit
from thuocdo.reports.views_trends import positions_response, trends_response
from thuocdo.reviews.models import EvaluationGroup

YEAR_ERRORS = {
    "invalid": "Năm phải là số nguyên, ví dụ 2021.",
    "min_value": "Năm phải từ {min_value}.",
    "max_value": "Năm phải đến {max_value}.",
}
RESPONSES: dict[Any, Any] = {
    (200, "application/json"): OpenApiTypes.OBJECT,
    (200, exports.XLSX): OpenApiTypes.BINARY,
    (200, exports.PDF): OpenApiTypes.BINARY,
}


def _year(required: bool = False, **extra: Any) -> serializers.IntegerField:
    """A year parameter with Vietnamese errors."""
    errors: dict[str, Any] = {**YEAR_ERRORS, "required": "Cần ghi năm (year)."}
    return serializers.IntegerField(
        min_value=1990, max_value=2100, required=required, error_messages=errors, **extra
    )


class ReportInput(serializers.Serializer[dict[str, Any]]):
    """unit, group and format, as in the distribution endpoint."""

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
    format = serializers.ChoiceField(
        choices=FORMATS,
        required=False,
        default="json",
        error_messages={
            "invalid_choice": "«{input}» không phải định dạng; chọn json, xlsx hoặc pdf."
        },
    )


class TrendsInput(ReportInput):
    to = _year(help_text="đến năm (mặc định: năm gần nhất có kết quả)")
    year = _year(help_text="năm cần xem kết quả hằng tháng (không ghi: không kèm các tháng)")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """The declared fields and "from", a Python keyword that cannot be declared."""
        fields = super().get_fields()
        fields["from"] = _year(help_text="từ năm (mặc định: năm đầu tiên có kết quả)")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """From must not come after to."""
        first, last = attrs.get("from"), attrs.get("to")
        if first is not None and last is not None and first > last:
            raise serializers.ValidationError({"to": "Năm cuối phải từ năm đầu (from) trở đi."})
        return attrs


class PositionsInput(ReportInput):
    year = _year(required=True)
    position = serializers.CharField(
        max_length=120, required=False, help_text="một chức danh tương đương (nhóm hoặc chức danh)"
    )


class TrendsReportView(APIView):
    """Counts, shares and mean scores per year of a unit subtree (per group, with the child
    units' matrix) and, with `year`, the months of that year."""

    content_negotiation_class = FormatIsAParameter

    @extend_schema(parameters=[TrendsInput], responses=RESPONSES)
    def get(self, request: Request) -> Response | HttpResponse:
        params = TrendsInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = access_report_unit(request.user, data["unit"])
        group = data.get("group") or None
        trends = trend_selectors.year_trends(
            unit=unit, group=group, first=data.get("from"), last=data.get("to")
        )
        year = data.get("year")
        months = trend_selectors.month_trends(unit=unit, year=year) if year else None
        if data["format"] == "json":
            return Response(trend_exports.trends_json(trends, months))
        return trends_response(trends, months, data["format"], group or "")


class PositionsReportView(APIView):
    """People's published results of a year grouped by equivalent position, ranked by score."""

    content_negotiation_class = FormatIsAParameter

    @extend_schema(parameters=[PositionsInput], responses=RESPONSES)
    def get(self, request: Request) -> Response | HttpResponse:
        params = PositionsInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        unit = access_report_unit(request.user, data["unit"])
        group = data.get("group") or None
        comparison = position_selectors.position_comparison(
            unit=unit, year=data["year"], group=group, position=data.get("position") or None
        )
        if data["format"] == "json":
            return Response(trend_exports.positions_json(comparison))
        return positions_response(comparison, data["format"], group or "")
