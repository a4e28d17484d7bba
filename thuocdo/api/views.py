"""REST endpoints of the registry; they read through the same selectors and access checks
as the pages, so the API can never show more than the web."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from thuocdo.org import selectors
from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.permissions import access_person, access_unit
from thuocdo.org.scope import people_q, scope_for


class UnitOutput(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "parent", "depth", "is_active"]


class PostOutput(serializers.ModelSerializer[Post]):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    person_code = serializers.CharField(source="person.code", read_only=True)
    managed_by = serializers.CharField(
        source="managed_by.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Post
        fields = [
            "id", "person", "person_code", "unit", "unit_code", "title", "is_head", "is_deputy",
            "is_key", "duty_group", "managed_by", "start_date", "end_date",
        ]  # fmt: skip


class PersonOutput(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = [
            "id", "code", "full_name", "birth_date", "gender", "category", "is_party_member",
            "party_joined", "ethnicity",
        ]  # fmt: skip


class PersonDetailOutput(PersonOutput):
    posts = PostOutput(many=True, read_only=True)

    class Meta(PersonOutput.Meta):
        fields = [*PersonOutput.Meta.fields, "posts"]


class UnitList(generics.ListAPIView[Unit]):
    """Units the caller may see, in tree order."""

    serializer_class = UnitOutput

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.unit_list(actor=self.request.user)


class UnitDetail(generics.GenericAPIView[Unit]):
    """One unit, 404 when out of scope."""

    serializer_class = UnitOutput

    def get(self, request: Request, pk: int) -> Response:
        return Response(UnitOutput(access_unit(request.user, pk)).data)


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter("q", str, description="Tìm kiếm")])
)
class PersonList(generics.ListAPIView[Person]):
    """People the caller may see; `?q=` searches names without diacritics."""

    serializer_class = PersonOutput

    def get_queryset(self) -> QuerySet[Person]:
        query = self.request.query_params.get("q", "")
        return selectors.person_list(
            actor=self.request.user, filters=selectors.PeopleFilter(query=query)
        )


class PersonDetail(generics.GenericAPIView[Person]):
    """One person with their posts, 404 when out of scope."""

    serializer_class = PersonDetailOutput

    def get(self, request: Request, pk: int) -> Response:
        person = selectors.person_detail(access_person(request.user, pk))
        return Response(PersonDetailOutput(person).data)


class PostList(generics.ListAPIView[Post]):
    """Posts of the people the caller may see."""

    serializer_class = PostOutput

    def get_queryset(self) -> QuerySet[Post]:
        visible = Person.objects.filter(people_q(scope_for(self.request.user))).values("pk")
        qs: QuerySet[Post] = Post.objects.filter(person__in=visible)
        return qs.select_related("unit", "person", "managed_by").order_by("id")
