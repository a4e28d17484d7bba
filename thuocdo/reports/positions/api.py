"""REST endpoint of equivalent positions:
GET /api/reports/positions?unit=&year=&group=&position=&format=.

The same selectors, exports and scope as the page: a unit out of the caller's scope answers
404 exactly like a unit that does not exist, in every format.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.reports.common.api import RESPONSES, FormatIsAParameter, ReportInput, year_field
from thuocdo.reports.common.permissions import access_report_unit
from thuocdo.reports.positions import exports as position_exports
from thuocdo.reports.positions import selectors as position_selectors
from thuocdo.reports.positions.views import positions_response


class PositionsInput(ReportInput):
    year = year_field(required=True)
    position = serializers.CharField(
        max_length=120, required=False, help_text="một chức danh tương đương (nhóm hoặc chức danh)"
    )


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
            return Response(position_exports.positions_json(comparison))
        return positions_response(comparison, data["format"], group or "")
