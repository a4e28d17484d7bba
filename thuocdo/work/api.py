"""REST endpoints of the work record: tasks in scope, and pushes from e-office and one-stop
systems (idempotent by external id). They call the same selectors, access checks and
services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.api.params import month_param, year_param
from thuocdo.org.models import Person
from thuocdo.org.scope import people_q, scope_for
from thuocdo.work import integration, selectors
from thuocdo.work.models import CitizenRating, ProductType, Task
from thuocdo.work.permissions import access_task


class TaskOutput(serializers.ModelSerializer[Task]):
    person = serializers.IntegerField(source="plan.person_id", read_only=True)
    person_code = serializers.CharField(source="plan.person.code", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    month = serializers.IntegerField(source="plan.month", read_only=True)
    product_type = serializers.CharField(
        source="product_type.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Task
        fields = [
            "id", "person", "person_code", "year", "month", "product_type", "title", "quantity",
            "due_date", "source", "source_system", "external_id", "state", "progress",
            "completed_on", "quantity_done", "evidence_number", "quality_passed", "exceeded",
            "delays", "failed_reviews",
        ]  # fmt: skip


class PushedTaskOutput(TaskOutput):
    created = serializers.BooleanField(help_text="true the first time, false for a repeat")

    class Meta(TaskOutput.Meta):
        fields = ["created", *TaskOutput.Meta.fields]


def _person_by_code(actor: Any, code: str) -> Person:
    """A person the caller may see, by code; 404 otherwise (no probing of codes)."""
    person = Person.objects.filter(people_q(scope_for(actor)), code=code).first()
    if person is None:
        raise Http404("Không tìm thấy cán bộ.")
    return person


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Năm"),
            OpenApiParameter("month", int, description="Tháng"),
        ]
    )
)
class TaskList(generics.ListAPIView[Task]):
    """Tasks the caller may see; `?year=&month=` narrow to one month."""

    serializer_class = TaskOutput

    def get_queryset(self) -> QuerySet[Task]:
        params = self.request.query_params
        return selectors.task_list(
            actor=self.request.user, year=year_param(params), month=month_param(params)
        )


class TaskDetail(generics.GenericAPIView[Task]):
    """One task, 404 when out of scope."""

    serializer_class = TaskOutput

    def get(self, request: Request, pk: int) -> Response:
        """The task."""
        return Response(TaskOutput(access_task(request.user, pk)).data)


class WorkItemPush(APIView):
    """Create a task (or record its completion) from another system: 201 once, then 200."""

    @extend_schema_serializer(component_name="WorkItemPushInput")
    class InputSerializer(serializers.Serializer[Any]):
        source_system = serializers.CharField(max_length=60)
        external_id = serializers.CharField(max_length=120)
        person = serializers.CharField(max_length=40, help_text="Mã cán bộ")
        title = serializers.CharField(max_length=500)
        quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
        due_date = serializers.DateField()
        product_type = serializers.CharField(max_length=40, required=False, allow_blank=True)
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
        month = serializers.IntegerField(required=False, min_value=1, max_value=12)
        completed_on = serializers.DateField(required=False)
        quantity_done = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, min_value=0
        )
        evidence_number = serializers.CharField(max_length=120, required=False, allow_blank=True)
        evidence_note = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer, responses={200: PushedTaskOutput, 201: PushedTaskOutput}
    )
    def post(self, request: Request) -> Response:
        """Push one work item."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person_by_code(request.user, values.pop("person"))
        product_code = values.pop("product_type", "")
        product = None
        if product_code:
            product = ProductType.objects.filter(code=product_code).order_by("id").first()
            if product is None:
                raise serializers.ValidationError(
                    {"product_type": "Không tìm thấy loại sản phẩm có mã này."}
                )
        task, created = integration.task_push(
            actor=request.user, person=person, product_type=product, **values
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response({"created": created, **TaskOutput(task).data}, status=code)


class RatingOutput(serializers.ModelSerializer[CitizenRating]):
    class Meta:
        model = CitizenRating
        fields = [
            "id", "person", "year", "month", "score", "counter", "rated_on", "comment",
            "source_system", "external_id",
        ]  # fmt: skip


class PushedRatingOutput(RatingOutput):
    created = serializers.BooleanField(help_text="true the first time, false for a repeat")

    class Meta(RatingOutput.Meta):
        fields = ["created", *RatingOutput.Meta.fields]


class CitizenRatingPush(APIView):
    """Attach a citizen's rating to a person's month: 201 once, then 200 for a repeat."""

    @extend_schema_serializer(component_name="CitizenRatingPushInput")
    class InputSerializer(serializers.Serializer[Any]):
        person = serializers.CharField(max_length=40, help_text="Mã cán bộ")
        score = serializers.IntegerField(min_value=1, max_value=5)
        rated_on = serializers.DateField()
        counter = serializers.CharField(max_length=120, required=False, allow_blank=True)
        comment = serializers.CharField(required=False, allow_blank=True)
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
        month = serializers.IntegerField(required=False, min_value=1, max_value=12)
        source_system = serializers.CharField(max_length=60, required=False, allow_blank=True)
        external_id = serializers.CharField(max_length=120, required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer, responses={200: PushedRatingOutput, 201: PushedRatingOutput}
    )
    def post(self, request: Request) -> Response:
        """Record one rating."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = _person_by_code(request.user, values.pop("person"))
        rating, created = integration.citizen_rating_record(
            actor=request.user, person=person, **values
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response({"created": created, **RatingOutput(rating).data}, status=code)
