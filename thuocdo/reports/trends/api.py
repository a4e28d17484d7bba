"""REST endpoint of trends: GET /api/reports/trends?unit=&group=&from=&to=&year=&format=.

The same selectors, exports and scope as the pages: a unit out of the caller's scope answers
404 exactly like a unit that does not exist, in every format.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.reports.common.api import RESPONSES, FormatIsAParameter, ReportInput, year_field
from thuocdo.reports.common.permissions import access_report_unit
from thuocdo.reports.trends import exports as trend_exports
from thuocdo.reports.trends import selectors as trend_selectors
from thuocdo.reports.trends.views import trends_response


class TrendsInput(ReportInput):
    to = year_field(help_text="đến năm (mặc định: năm gần nhất có kết quả)")
    year = year_field(help_text="năm cần xem kết quả hằng tháng (không ghi: không kèm các tháng)")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """The declared fields and "from", a Python keyword that cannot be declared."""
        fields = super().get_fields()
        fields["from"] = year_field(help_text="từ năm (mặc định: năm đầu tiên có kết quả)")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """From must not come after to."""
        first, last = attrs.get("from"), attrs.get("to")
        if first is not None and last is not None and first > last:
            raise serializers.ValidationError({"to": "Năm cuối phải từ năm đầu (from) trở đi."})
        return attrs


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
