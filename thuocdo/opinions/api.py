"""REST endpoints of the opinion sources: the same selectors and services as the pages. The
aggregate never carries an individual answer; submitting by code needs no account and is
throttled per client address."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from thuocdo.opinions import selectors as sel
from thuocdo.opinions import services
from thuocdo.opinions.selectors import LevelShare
from thuocdo.reviews.annual.selectors import access_evaluation


def _levels(rows: list[LevelShare]) -> list[dict[str, Any]]:
    return [{"level": r.level, "count": r.count, "share": str(r.share)} for r in rows]


def opinions_json(opinions: sel.EvaluationOpinions) -> dict[str, Any]:
    """The evaluation's opinions as plain JSON: aggregates only, never one answer."""
    return {
        "evaluation": opinions.evaluation.pk,
        "meetings": [
            {
                "meeting": row.meeting.pk,
                "held_on": row.meeting.held_on.isoformat(),
                "summoned": row.meeting.summoned_count,
                "present": row.meeting.present_count,
                "quorum": row.meeting.quorum_label,
                "valid": row.meeting.is_valid,
                "proposed_level": row.vote.proposed_level,
                "counts": row.vote.counts,
                "result": row.vote.result,
            }
            for row in opinions.votes
        ],
        "surveys": [
            {
                "role": agg.survey.role,
                "invited": agg.invited,
                "responded": agg.responded,
                "open": agg.is_open,
                "shown": agg.shown,
                "message": agg.message,
                "overall": _levels(agg.overall),
                "groups": [
                    {
                        "key": g.key,
                        "label": g.label,
                        "levels": _levels(g.levels),
                        "comments": g.comments,
                    }
                    for g in agg.groups
                ],
            }
            for agg in opinions.surveys
        ],
        "bodies": [
            {
                "body": row.request.body_name,
                "due_on": row.request.due_on.isoformat(),
                "status": row.status,
                "opinion": row.request.opinion,
                "proposed_level": row.request.proposed_level,
            }
            for row in opinions.bodies
        ],
    }


class EvaluationOpinions(APIView):
    """Collective votes, anonymous aggregates (≥ 3 answers, survey over) and bodies' opinions."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, evaluation_id: int) -> Response:
        evaluation = access_evaluation(request.user, evaluation_id)
        return Response(
            opinions_json(sel.evaluation_opinions(actor=request.user, evaluation=evaluation))
        )


class CodeThrottle(AnonRateThrottle):
    """Answers by code per client address: a right code is spent at first use anyway."""

    scope = "opinions-code"
    rate = "30/hour"


class AnswerInput(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40)
    answers = serializers.DictField(child=serializers.DictField())


class ResponseCreate(APIView):
    """Answer a survey with a one-time code. No account: whoever is logged in stays unknown."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [CodeThrottle]

    @extend_schema(
        request=AnswerInput,
        responses={
            201: inline_serializer("AnswerReceived", {"received": serializers.BooleanField()})
        },
    )
    def post(self, request: Request) -> Response:
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.response_submit(
            code=data.validated_data["code"], answers=data.validated_data["answers"]
        )
        return Response({"received": True}, status=status.HTTP_201_CREATED)
