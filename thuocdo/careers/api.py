"""REST endpoints of careers: the same selectors and access checks as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.api.params import year_param
from thuocdo.careers import selectors
from thuocdo.careers.permissions import access_pool, may_see_cases
from thuocdo.org.scope import today


class CaseOutput(serializers.Serializer[Any]):
    person = serializers.CharField(help_text="Mã cán bộ")
    full_name = serializers.CharField()
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    year = serializers.IntegerField()
    reason = serializers.CharField()
    trace = serializers.ListField(child=serializers.CharField())
    legal_source = serializers.CharField()
    decision = serializers.CharField(allow_null=True)
    decision_reason = serializers.CharField(allow_null=True)


class CaseList(APIView):
    """Review cases of a year (`?year=`, last year by default) in the caller's scope."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Năm")],
        responses=CaseOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        if not may_see_cases(request.user):
            raise Http404("Không tìm thấy trang.")
        year = year_param(request.query_params) or today().year - 1
        rows = [
            {
                "person": c.person.code,
                "full_name": c.person.full_name,
                "rule": c.flag.rule,
                "rule_label": c.flag.label,
                "year": c.flag.year,
                "reason": c.flag.reason,
                "trace": list(c.flag.trace),
                "legal_source": c.flag.source,
                "decision": c.decision.outcome if c.decision else None,
                "decision_reason": c.decision.reason if c.decision else None,
            }
            for c in selectors.case_list(actor=request.user, year=year)
        ]
        return Response(CaseOutput(rows, many=True).data)


class CandidateOutput(serializers.Serializer[Any]):
    person = serializers.CharField(help_text="Mã cán bộ")
    full_name = serializers.CharField()
    age = serializers.IntegerField()
    levels = serializers.DictField(child=serializers.CharField())
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.DictField())
    training_gaps = serializers.ListField(child=serializers.CharField())


class PoolOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField(help_text="Mã đơn vị")
    term = serializers.ListField(child=serializers.IntegerField())
    posts = serializers.IntegerField()
    candidates = CandidateOutput(many=True)
    structure = serializers.DictField()


class PoolDetail(APIView):
    """A planning pool: each candidate's eligibility (rule and year) and the structure."""

    @extend_schema(responses=PoolOutput)
    def get(self, request: Request, pk: int) -> Response:
        view = selectors.pool_view(access_pool(request.user, pk))
        pool, s = view.pool, view.structure
        data = {
            "id": pool.pk,
            "title": pool.title,
            "unit": pool.unit.code,
            "term": [pool.term_start, pool.term_end],
            "posts": pool.posts,
            "candidates": [
                {
                    "person": r.entry.person.code,
                    "full_name": r.entry.person.full_name,
                    "age": r.age,
                    "levels": {str(y): lv for y, lv in sorted(r.levels.items())},
                    "eligible": r.eligibility.eligible,
                    "reasons": [
                        {"rule": x.rule, "year": x.year, "text": x.text, "source": x.source}
                        for x in r.eligibility.reasons
                    ],
                    "training_gaps": r.gaps,
                }
                for r in view.rows
            ],
            "structure": {
                "total": s.total,
                "age_bands": dict(s.bands),
                "women": s.women,
                "women_share": s.women_share,
                "minority": s.minority,
                "minority_share": s.minority_share,
                "ratio": s.ratio,
                "warnings": list(s.warnings),
            },
        }
        return Response(PoolOutput(data).data)
