"""The rules engine over HTTP: the same JSON contract as the CLI (DESIGN.md §5)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.rules import RulesInputError, classify_json, list_rulesets


class RulesClassify(APIView):
    """Classify a batch of subjects; bad input is rejected whole with every problem listed."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data: Any = request.data
        if not isinstance(data, dict):
            return Response(
                {"errors": ["Dữ liệu phải là một đối tượng JSON."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            return Response(classify_json(data))
        except RulesInputError as error:
            return Response({"errors": error.problems}, status=status.HTTP_400_BAD_REQUEST)


class RulesetList(APIView):
    """The rule-sets the engine knows, with their titles and what they apply to."""

    @extend_schema(
        responses=inline_serializer(
            "RulesetOutput",
            fields={
                "id": serializers.CharField(),
                "title": serializers.CharField(),
                "applies_to": serializers.CharField(),
            },
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        rows = [
            {"id": info.id, "title": info.title, "applies_to": info.applies_to}
            for info in list_rulesets()
        ]
        return Response(rows)
