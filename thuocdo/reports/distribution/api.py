"""REST endpoint of reports: GET /api/reports/distribution?unit=&year=&group=&format=.

The same selector, exports and scope as the pages: a unit out of the caller's scope answers
404 exactly like a unit that does not exist, in every format. `format=docx` is the summary
report in Word, its letterhead the unit's defaults but for `number`, `place` and `date`.
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

from thuocdo.org.models import Category, Unit
from thuocdo.org.scope import today
from thuocdo.reports.common import selectors
from thuocdo.reports.common.api import (
    FILE_FORMATS,
    RESPONSES,
    FormatIsAParameter,
    ReportInput,
    format_field,
    year_field,
)
from thuocdo.reports.common.permissions import access_report_unit
from thuocdo.reports.distribution import exports
from thuocdo.reports.distribution.views import export_response
from thuocdo.reports.documents import summary as documents
from thuocdo.reports.documents.forms import BAD_DATE, DATE_FORMAT
from thuocdo.reports.documents.views import docx_response

FORMATS = (*FILE_FORMATS, "docx")


class DistributionInput(ReportInput):
    year = year_field(required=True)
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
    format = format_field(FORMATS)
    # The letterhead of format=docx; the rest of it comes from the unit.
    number = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": "Số văn bản (number) dài quá {max_length} ký tự."},
    )
    place = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        error_messages={"max_length": "Địa danh (place) dài quá {max_length} ký tự."},
    )
    date = serializers.DateField(
        input_formats=[DATE_FORMAT],
        required=False,
        error_messages={"invalid": BAD_DATE.replace("Ngày ban hành", "Ngày ban hành (date)")},
    )


class DistributionReportView(APIView):
    """Counts and shares per level of a unit subtree in a year, per subject group."""

    content_negotiation_class = FormatIsAParameter

    @extend_schema(
        parameters=[DistributionInput],
        responses={**RESPONSES, (200, documents.DOCX): OpenApiTypes.BINARY},
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
        if data["format"] == "docx":
            return docx_response(
                report=report, letterhead=_letterhead(unit, group, data), group=group
            )
        return export_response(report, data["format"], group or "")


def _letterhead(unit: Unit, group: str | None, data: dict[str, Any]) -> documents.Letterhead:
    """The unit's default letterhead with the number, place and date of the query."""
    on = data.get("date") or today()
    place = data.get("place") or ""
    return documents.letterhead_with(
        unit=unit, group=group, on=on, number=data["number"], place=place
    )
