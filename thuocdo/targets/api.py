"""REST endpoints of targets: the same selectors and access checks as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from thuocdo.api.params import year_param
from thuocdo.targets import selectors
from thuocdo.targets.models import Indicator, IndicatorActual, TargetSet
from thuocdo.targets.permissions import access_target_set


class ActualOutput(serializers.ModelSerializer[IndicatorActual]):
    period = serializers.DateField(format="%Y-%m")

    class Meta:
        model = IndicatorActual
        fields = ["id", "period", "value", "evidence_note", "document_number"]


class IndicatorOutput(serializers.ModelSerializer[Indicator]):
    actuals = ActualOutput(many=True, read_only=True)
    group_name = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id", "code", "group", "group_name", "name", "unit_of_measure", "target",
            "direction", "aggregation", "is_main", "weight", "force_majeure",
            "force_majeure_reason", "actuals",
        ]  # fmt: skip


class SummaryOutput(serializers.Serializer[selectors.TargetsSummary]):
    assigned = serializers.IntegerField()
    met = serializers.IntegerField()
    main_missed = serializers.IntegerField()
    force_majeure = serializers.BooleanField()
    achievement_pct = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    veto = serializers.BooleanField()
    review = serializers.BooleanField()


class TargetSetOutput(serializers.ModelSerializer[TargetSet]):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    head_person_code = serializers.CharField(
        source="head_person.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TargetSet
        fields = [
            "id", "unit", "unit_code", "head_person", "head_person_code", "year", "title",
            "state", "decision_number", "assigned_on", "achievement_ceiling",
        ]  # fmt: skip


class TargetSetDetailOutput(TargetSetOutput):
    indicators = IndicatorOutput(many=True, read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta(TargetSetOutput.Meta):
        fields = [*TargetSetOutput.Meta.fields, "indicators", "summary"]

    def get_summary(self, obj: TargetSet) -> dict[str, Any]:
        """The counts the engine uses, with the veto and review flags."""
        return dict(SummaryOutput(self.context["summary"]).data)


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter("year", int, description="Năm")])
)
class TargetSetList(generics.ListAPIView[TargetSet]):
    """Target sets the caller may see; `?year=` narrows to one year."""

    serializer_class = TargetSetOutput

    def get_queryset(self) -> QuerySet[TargetSet]:
        return selectors.target_set_list(
            actor=self.request.user, year=year_param(self.request.query_params)
        )


class TargetSetDetail(generics.GenericAPIView[TargetSet]):
    """One set with its indicators, actuals and summary; 404 when out of scope."""

    serializer_class = TargetSetDetailOutput

    def get(self, request: Request, pk: int) -> Response:
        dashboard = selectors.targets_dashboard(access_target_set(request.user, pk))
        output = TargetSetDetailOutput(
            dashboard.target_set, context={"summary": dashboard.summary, "request": request}
        )
        return Response(output.data)
