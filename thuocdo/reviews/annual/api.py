"""REST endpoints of the annual cycle: the same selectors, access checks and services as the
pages, so the API can never see or do more than the web (a locked period refuses both)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.jobs.models import JobState
from thuocdo.jobs.services import job_start
from thuocdo.org.permissions import access_unit_by_code
from thuocdo.reviews.annual import appeals
from thuocdo.reviews.annual import selectors as sel
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.simulation import what_if, what_if_json
from thuocdo.reviews.annual.simulation_store import (
    WHAT_IF,
    access_what_if,
    what_if_in_background,
    what_if_job,
    what_if_stored,
)
from thuocdo.reviews.forms import LEVEL_CHOICES
from thuocdo.reviews.models import Appeal, Evaluation, Period, PeriodKind
from thuocdo.reviews.monthly import selectors, services

LEVELS = [code for code, _ in LEVEL_CHOICES]


class EvaluationOutput(serializers.ModelSerializer[Evaluation]):
    person_code = serializers.CharField(
        source="person.code", read_only=True, allow_null=True, default=None
    )
    person_name = serializers.CharField(
        source="person.full_name", read_only=True, allow_null=True, default=None
    )
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    concluded_by = serializers.CharField(
        source="concluded_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Evaluation
        fields = [
            "id", "period", "kind", "person", "person_code", "person_name", "unit", "unit_code",
            "group", "ruleset", "quota_group", "duty_group", "is_head", "authority", "state",
            "self_level", "self_score", "leader_level", "leader_score", "score", "score_source",
            "criteria",
            "proposed_level", "flags", "trace", "level", "concluded_by", "concluded_at", "reason",
        ]  # fmt: skip


class EvaluationList(generics.ListAPIView[Evaluation]):
    """Evaluations of a period that the caller may see."""

    serializer_class = EvaluationOutput

    def get_queryset(self) -> QuerySet[Evaluation]:
        period = selectors.access_period(self.request.user, self.kwargs["period_id"])
        return sel.evaluation_list(actor=self.request.user, period=period)


class EvaluationDetail(APIView):
    """One evaluation with the engine's explanation; 404 when out of scope."""

    @extend_schema(responses=EvaluationOutput)
    def get(self, request: Request, evaluation_id: int) -> Response:
        return Response(EvaluationOutput(sel.access_evaluation(request.user, evaluation_id)).data)


class SheetInput(serializers.Serializer[Any]):
    # Points under a 100-point rule-set; `criteria` ratings under one without (124, NĐ 90).
    general = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), required=False
    )
    results = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal(0), required=False
    )
    criteria = serializers.DictField(child=serializers.CharField(), required=False)
    proposed_level = serializers.ChoiceField(choices=LEVELS)


class SelfInput(SheetInput):
    strengths = serializers.DictField(child=serializers.CharField(), required=False)
    shortcomings = serializers.CharField(required=False, allow_blank=True, default="")
    causes = serializers.CharField(required=False, allow_blank=True, default="")
    remedies = serializers.CharField(required=False, allow_blank=True, default="")
    responsibility = serializers.CharField(required=False, allow_blank=True, default="")
    direction = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationSelfAssess(APIView):
    """Write one's own self-review (Mẫu 2A, 2B, 01) with the score sheet."""

    @extend_schema(request=SelfInput, responses=EvaluationOutput)
    def post(self, request: Request, evaluation_id: int) -> Response:
        evaluation = sel.access_evaluation(request.user, evaluation_id)
        data = SelfInput(data=request.data)
        data.is_valid(raise_exception=True)
        cycle.evaluation_self_assess(
            actor=request.user, evaluation=evaluation, **data.validated_data
        )
        evaluation.refresh_from_db()
        return Response(EvaluationOutput(evaluation).data)


class ReviewInput(SheetInput):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationReview(APIView):
    """The direct leader's score and proposed level."""

    @extend_schema(request=ReviewInput, responses=EvaluationOutput)
    def post(self, request: Request, evaluation_id: int) -> Response:
        evaluation = sel.access_evaluation(request.user, evaluation_id)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        cycle.evaluation_review(actor=request.user, evaluation=evaluation, **data.validated_data)
        evaluation.refresh_from_db()
        return Response(EvaluationOutput(evaluation).data)


class PeriodOutput(serializers.ModelSerializer[Period]):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Period
        fields = [
            "id", "kind", "year", "number", "unit", "unit_code", "ruleset", "rulesets",
            "options", "state", "self_due", "review_due", "appeal_days", "published_at",
        ]  # fmt: skip


StateOutput = inline_serializer("PeriodStateOutput", fields={"state": serializers.CharField()})


def _counted(name: str, field: str) -> Any:
    """A response of one count, named for the schema."""
    return inline_serializer(name, fields={field: serializers.IntegerField()})


class PeriodOpenInput(serializers.Serializer[Any]):
    unit = serializers.CharField(help_text="Mã đơn vị")
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(required=False, allow_null=True, default=None)
    ruleset = serializers.CharField()
    rulesets = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    options = serializers.DictField(required=False, default=dict)
    self_due = serializers.DateField(required=False, allow_null=True, default=None)
    review_due = serializers.DateField(required=False, allow_null=True, default=None)


class PeriodOpen(APIView):
    """Open a period over a unit (a year creates every evaluation, each group under its
    rule-set); the same service as the page."""

    @extend_schema(request=PeriodOpenInput, responses={201: PeriodOutput})
    def post(self, request: Request) -> Response:
        data = PeriodOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        unit = access_unit_by_code(request.user, fields.pop("unit"))
        period = services.period_open(actor=request.user, unit=unit, **fields)
        return Response(PeriodOutput(period).data, status=status.HTTP_201_CREATED)


class VerifyInput(serializers.Serializer[Any]):
    evaluations = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class PeriodVerify(APIView):
    """The organiser verifies evaluations of the period."""

    @extend_schema(request=VerifyInput, responses=_counted("VerifiedOutput", "verified"))
    def post(self, request: Request, period_id: int) -> Response:
        period = selectors.access_period(request.user, period_id)
        data = VerifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        count = cycle.evaluations_verify(
            actor=request.user, period=period, evaluation_ids=data.validated_data["evaluations"]
        )
        return Response({"verified": count})


class PeriodPropose(APIView):
    """Run the engine over the whole period; returns the counts per level and the ties."""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, period_id: int) -> Response:
        period = selectors.access_period(request.user, period_id)
        return Response(cycle.period_propose(actor=request.user, period=period))


class ConcludeInput(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=[*LEVELS, "KXL"], required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationConclude(APIView):
    """Conclude one level (or `accept` the proposal); refusals name the rule (HTTP 400)."""

    @extend_schema(request=ConcludeInput, responses=EvaluationOutput)
    def post(self, request: Request, evaluation_id: int) -> Response:
        evaluation = sel.access_evaluation(request.user, evaluation_id)
        data = ConcludeInput(data=request.data)
        data.is_valid(raise_exception=True)
        level = data.validated_data.get("level") or evaluation.proposed_level
        cycle.evaluation_conclude(
            actor=request.user,
            evaluation=evaluation,
            level=level,
            reason=data.validated_data["reason"],
        )
        return Response(EvaluationOutput(evaluation).data)


class PeriodPublish(APIView):
    """Publish the concluded results of the period."""

    @extend_schema(request=None, responses=_counted("PublishedOutput", "published"))
    def post(self, request: Request, period_id: int) -> Response:
        period = selectors.access_period(request.user, period_id)
        count = cycle.period_publish(actor=request.user, period=period)
        return Response({"published": count}, status=status.HTTP_200_OK)


class PeriodLock(APIView):
    """Lock a published period after its appeal window."""

    @extend_schema(request=None, responses=StateOutput)
    def post(self, request: Request, period_id: int) -> Response:
        period = selectors.access_period(request.user, period_id)
        cycle.period_lock(actor=request.user, period=period)
        return Response({"state": period.state})


class WhatIfInput(serializers.Serializer[Any]):
    ruleset = serializers.CharField(required=False)
    rulesets = serializers.DictField(child=serializers.CharField(), required=False)
    options = serializers.DictField(required=False)


WhatIfStarted = inline_serializer(
    "WhatIfStarted",
    {
        "job": serializers.UUIDField(),
        "url": serializers.CharField(help_text="The job's web page."),
        "result": serializers.CharField(help_text="Where the result is read once done."),
    },
)
WhatIfJobOutput = inline_serializer(
    "WhatIfJobOutput",
    {
        "state": serializers.ChoiceField(choices=JobState.choices),
        "step": serializers.CharField(),
        "done": serializers.IntegerField(),
        "total": serializers.IntegerField(allow_null=True),
        "error": serializers.CharField(),
        "result": serializers.JSONField(allow_null=True, help_text="As the 200 of a small year."),
    },
)


class PeriodWhatIf(APIView):
    """Mô phỏng: the year re-run under another rule-set or options, writing nothing (the
    organiser of the period; 404 out of scope). A year of more than WHAT_IF_INLINE_MAX
    evaluations is simulated by a background job: 202 with where to read its result."""

    @extend_schema(request=WhatIfInput, responses={200: OpenApiTypes.OBJECT, 202: WhatIfStarted})
    def post(self, request: Request, period_id: int) -> Response:
        period = access_what_if(request.user, period_id)
        data = WhatIfInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        options = given.get("options")
        scenario = {
            "ruleset": given.get("ruleset"),
            "rulesets": {**period.rulesets, **given.get("rulesets", {})},
            "options": {**period.options, **options} if options is not None else None,
        }
        if what_if_in_background(period):
            params = {"period_id": period.pk, "actor_id": request.user.pk, **scenario}
            job = job_start(kind=WHAT_IF, actor=request.user, unit=period.unit, params=params)
            started = {
                "job": job.pk,
                "url": reverse("jobs:job-detail", args=[job.pk]),
                "result": reverse("reviews:api-period-what-if-job", args=[period.pk, job.pk]),
            }
            return Response(started, status=status.HTTP_202_ACCEPTED)
        return Response(what_if_json(what_if(period, **scenario)))


class PeriodWhatIfJob(APIView):
    """The simulation job of a large year: its progress, then its result (only who started
    it, while they still organise the period; 404 otherwise)."""

    @extend_schema(responses=WhatIfJobOutput)
    def get(self, request: Request, period_id: int, job_id: uuid.UUID) -> Response:
        period = access_what_if(request.user, period_id)
        job = what_if_job(actor=request.user, period=period, job_id=job_id)
        result = None
        if job.state == JobState.DONE:
            stored = what_if_stored(actor=request.user, period=period, job_id=job.pk)
            result = what_if_json(stored)
        return Response(
            {"state": job.state, "step": job.step, "done": job.done, "total": job.total,
             "error": job.error, "result": result}
        )  # fmt: skip


class ReasonInput(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, default="")


class PeriodReopen(APIView):
    """Reopen a locked period (the authority, with a reason)."""

    @extend_schema(request=ReasonInput, responses=StateOutput)
    def post(self, request: Request, period_id: int) -> Response:
        period = selectors.access_period(request.user, period_id)
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        cycle.period_reopen(actor=request.user, period=period, reason=data.validated_data["reason"])
        return Response({"state": period.state})


class AppealOutput(serializers.ModelSerializer[Appeal]):
    class Meta:
        model = Appeal
        fields = [
            "id", "evaluation", "text", "filed_at", "state", "review_note", "decision_level",
            "decision_reason", "decided_at",
        ]  # fmt: skip


class AppealInput(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, default="")


class AppealFile(APIView):
    """The evaluated person appeals the published result."""

    @extend_schema(request=AppealInput, responses={201: AppealOutput})
    def post(self, request: Request, evaluation_id: int) -> Response:
        evaluation = sel.access_evaluation(request.user, evaluation_id)
        data = AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = appeals.appeal_file(
            actor=request.user, evaluation=evaluation, text=data.validated_data["text"]
        )
        return Response(AppealOutput(appeal).data, status=status.HTTP_201_CREATED)


class NoteInput(serializers.Serializer[Any]):
    note = serializers.CharField(allow_blank=True, default="")


class AppealReexamine(APIView):
    """The organiser's re-examination of an appeal."""

    @extend_schema(request=NoteInput, responses=AppealOutput)
    def post(self, request: Request, appeal_id: int) -> Response:
        appeal = appeals.access_appeal(request.user, appeal_id)
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        appeals.appeal_reexamine(
            actor=request.user, appeal=appeal, note=data.validated_data["note"]
        )
        return Response(AppealOutput(appeal).data)


class AppealDecide(APIView):
    """The authority upholds or changes the result; a change obeys the conclusion rules."""

    @extend_schema(request=ConcludeInput, responses=AppealOutput)
    def post(self, request: Request, appeal_id: int) -> Response:
        appeal = appeals.access_appeal(request.user, appeal_id)
        data = ConcludeInput(data=request.data)
        data.is_valid(raise_exception=True)
        level = data.validated_data.get("level") or appeal.evaluation.level
        appeals.appeal_decide(
            actor=request.user, appeal=appeal, level=level, reason=data.validated_data["reason"]
        )
        return Response(AppealOutput(appeal).data)
