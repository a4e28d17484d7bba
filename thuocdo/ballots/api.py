"""REST endpoints of confidence votes: the same selectors and services as the pages. A campaign
reads as its turnout while open and as counts per cadre once counted; casting a ballot by code
needs no account; wrong codes are counted per code and for everyone in the shared cache
(thuocdo/web/throttle.py), never per client address."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.ballots import selectors as sel
from thuocdo.ballots import services
from thuocdo.ballots.models import Campaign
from thuocdo.ballots.permissions import access_campaign
from thuocdo.web.throttle import code_failure_record, code_throttled


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    """A campaign as plain JSON: turnout, and once counted the result per cadre."""
    voted, summoned = sel.turnout(campaign)
    counted = sel.campaign_result(campaign)
    data: dict[str, Any] = {
        "id": campaign.pk,
        "unit": campaign.unit.code,
        "title": campaign.title,
        "meeting_date": campaign.meeting_date.isoformat(),
        "base": campaign.base,
        "state": campaign.state,
        "summoned": summoned,
        "voted": voted,
        "result": None,
    }
    if counted is not None:
        result = counted.result
        data["result"] = {
            "status": result.status,
            "participated": result.participated,
            "valid_ballots": result.valid_ballots,
            "invalid_ballots": result.invalid_ballots,
            "trace": [s.as_json() for s in result.trace],
            "candidates": [
                {
                    "person": row.candidate.person_id,
                    "name": row.candidate.person.full_name,
                    "post": row.candidate.post_title,
                    "counts": dict(row.outcome.counts),
                    "shares": {k: str(v) for k, v in row.outcome.shares.items()},
                    "consequence": row.outcome.consequence,
                    "consequence_label": row.outcome.consequence_label,
                    "trace": [s.as_json() for s in row.outcome.trace],
                }
                for row in counted.rows
            ],
        }
    return data


class CampaignDetail(APIView):
    """A campaign in the user's scope (404 otherwise)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, campaign_id: int) -> Response:
        return Response(campaign_json(access_campaign(request.user, campaign_id)))


class BallotInput(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40)
    marks = serializers.DictField(child=serializers.CharField())


class BallotCreate(APIView):
    """Cast a ballot with a one-time code. No account: whoever is logged in stays unknown."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    @extend_schema(
        request=BallotInput,
        responses={
            201: inline_serializer("BallotReceived", {"received": serializers.BooleanField()})
        },
    )
    def post(self, request: Request) -> Response:
        data = BallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data["code"]
        refusal = code_throttled("ballots", code)
        if refusal:
            return Response({"errors": [refusal]}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        try:
            services.ballot_cast(code=code, marks=data.validated_data["marks"])
        except ValidationError as error:
            if services.CODE_REFUSED in error.messages:
                code_failure_record("ballots", code)
            raise
        return Response({"received": True}, status=status.HTTP_201_CREATED)
