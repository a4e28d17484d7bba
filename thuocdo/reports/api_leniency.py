"""REST endpoint of leniency analytics: GET /api/reports/leniency?unit=&year=&group=&format=.

The same parameters, scope and file formats as /api/reports/distribution: a unit out of the
caller's scope answers 404 exactly like a unit that does not exist, in every format.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.reports import exports
from thuocdo.reports.api import DistributionInput, FormatIsAParameter
from thuocdo.reports.leniency_exports import leniency_json
from thuocdo.reports.leniency_selectors import leniency_report
from thuocdo.reports.permissions import access_report_unit
from thuocdo.reports.views_leniency import leniency_export_response


class LeniencyInput(DistributionInput):
    """The distribution's parameters but month and category: leniency is read on whole years
    and over every category (a lenient unit is lenient with everyone)."""

    month = None  # type: ignore[assignment]  # DRF drops an inherited field set to None
    category = None  # type: ignore[assignment]  # DRF drops an inherited field set to None


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
