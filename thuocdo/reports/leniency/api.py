"""REST endpoint of leniency analytics: GET /api/reports/leniency?unit=&year=&group=&format=.

The distribution's unit, year and group, in JSON, Excel or PDF, with the same scope: a unit out
of the caller's scope answers 404 exactly like a unit that does not exist, in every format.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.reports.common.api import RESPONSES, FormatIsAParameter, ReportInput, year_field
from thuocdo.reports.common.permissions import access_report_unit
from thuocdo.reports.leniency.exports import leniency_json
from thuocdo.reports.leniency.selectors import leniency_report
from thuocdo.reports.leniency.views import leniency_export_response


class LeniencyInput(ReportInput):
    """unit, year, group and format: leniency is read on whole years and over every category,
    so the distribution's month, category and Word options do not apply."""

    year = year_field(required=True)


class LeniencyReportView(APIView):
    """Leniency flags of a unit subtree in a year, with the self-proposal gap table."""

    content_negotiation_class = FormatIsAParameter

    @extend_schema(
        operation_id="reports_leniency",
        parameters=[LeniencyInput],
        responses=RESPONSES,
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
