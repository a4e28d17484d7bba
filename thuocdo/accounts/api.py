"""REST endpoints of accounts; the same access checks and services as the pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.accounts import selectors, services
from thuocdo.accounts.jobs import ACCOUNTS_IMPORT, PASSWORDS
from thuocdo.accounts.permissions import access_account, require_account_manager
from thuocdo.jobs.files import XLSX, FileGone, access_job_file, job_file_response
from thuocdo.jobs.models import Job, JobState
from thuocdo.jobs.selectors import access_job
from thuocdo.org.models import Authority, Person, RoleAssignment, User
from thuocdo.org.permissions import access_unit_by_code
from thuocdo.spreadsheets.background import import_job_start
from thuocdo.spreadsheets.web import UploadForm


class RoleOutput(serializers.ModelSerializer[RoleAssignment]):
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True, default=None)
    authority = serializers.CharField(
        source="authority.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "unit", "authority"]


class AccountOutput(serializers.ModelSerializer[User]):
    person = serializers.CharField(
        source="person.code", read_only=True, allow_null=True, default=None
    )
    full_name = serializers.CharField(
        source="person.full_name", read_only=True, allow_null=True, default=None
    )
    roles = RoleOutput(many=True, read_only=True, source="role_list")

    class Meta:
        model = User
        fields = [
            "id", "username", "email", "person", "full_name", "is_active",
            "must_change_password", "last_login", "roles",
        ]  # fmt: skip


class CredentialOutput(serializers.Serializer[Any]):
    full_name = serializers.CharField()
    person_code = serializers.CharField()
    unit_name = serializers.CharField()
    username = serializers.CharField()
    password = serializers.CharField(help_text="Mật khẩu một lần, chỉ trả về một lần")


CreatedOutput = inline_serializer(
    "AccountsCreatedOutput", fields={"created": CredentialOutput(many=True)}
)


class PersonAccountOutput(serializers.ModelSerializer[Person]):
    """A person's account, in the same shape as AccountOutput."""

    id = serializers.IntegerField(source="user.id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)
    person = serializers.CharField(source="code", read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)
    must_change_password = serializers.BooleanField(
        source="user.must_change_password", read_only=True
    )
    last_login = serializers.DateTimeField(
        source="user.last_login", read_only=True, allow_null=True
    )
    roles = RoleOutput(many=True, read_only=True, source="user.role_list")

    class Meta:
        model = Person
        fields = AccountOutput.Meta.fields


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter("q", str, description="Tìm kiếm")])
)
class AccountList(generics.ListAPIView[Person]):
    """Accounts of the people in the caller's reach, by name; `?q=` searches name, code and
    login without diacritics."""

    serializer_class = PersonAccountOutput

    def get_queryset(self) -> QuerySet[Person]:
        query = self.request.query_params.get("q", "")
        return selectors.account_list(actor=self.request.user, query=query)


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter("q", str, description="Tìm kiếm")])
)
class UnlinkedAccountList(generics.ListAPIView[User]):
    """Accounts of no person in the caller's reach, by login; `?q=` searches login, e-mail."""

    serializer_class = AccountOutput

    def get_queryset(self) -> QuerySet[User]:
        query = self.request.query_params.get("q", "")
        return selectors.unlinked_account_list(actor=self.request.user, query=query)


class AccountDetail(generics.GenericAPIView[User]):
    """One account with its roles, 404 when out of reach."""

    serializer_class = AccountOutput

    def get(self, request: Request, pk: int) -> Response:
        """The account."""
        account = selectors.account_detail(access_account(request.user, pk))
        return Response(AccountOutput(account).data)


AccountsImportStarted = inline_serializer(
    "AccountsImportStarted",
    {
        "job": serializers.UUIDField(),
        "url": serializers.CharField(help_text="The job's web page."),
        "result": serializers.CharField(help_text="Where its progress and report are read."),
    },
)


class AccountsImport(APIView):
    """Import an accounts workbook (multipart `file`) by a background job: 202 with where to
    follow it, or 400 when the upload is not an .xlsx workbook. The job checks the whole
    file and writes all or nothing (`AccountsImportJob`)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "AccountsImportInput", fields={"file": serializers.FileField()}
            )
        },
        responses={202: AccountsImportStarted, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        """Queue the import."""
        require_account_manager(request.user)
        form = UploadForm(data={}, files=request.FILES)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        job = import_job_start(
            kind=ACCOUNTS_IMPORT, actor=request.user, upload=form.cleaned_data["file"]
        )
        started = {
            "job": job.pk,
            "url": reverse("jobs:job-detail", args=[job.pk]),
            "result": reverse("accounts:api-account-import-job", args=[job.pk]),
        }
        return Response(started, status=status.HTTP_202_ACCEPTED)


def _import_job(actor: Any, job_id: uuid.UUID) -> Job:
    """The actor's own accounts import job, while they manage accounts; 404 otherwise."""
    require_account_manager(actor)
    job = access_job(actor, job_id)
    if job.kind != ACCOUNTS_IMPORT or job.created_by_id != actor.pk:
        raise Http404("Không tìm thấy công việc.")
    return job


class AccountsImportJob(APIView):
    """An accounts import job (only who started it): its progress; once done, the report and
    where to download the one-time passwords (once, before `passwords_expire_at`); once
    failed, the reason and every problem of a refused file (sheet, row, column, reason)."""

    @extend_schema(
        responses=inline_serializer(
            "AccountsImportJobOutput",
            {
                "state": serializers.ChoiceField(choices=JobState.choices),
                "step": serializers.CharField(),
                "done": serializers.IntegerField(),
                "total": serializers.IntegerField(allow_null=True),
                "error": serializers.CharField(),
                "report": serializers.ListField(child=serializers.CharField()),
                "problems": serializers.ListField(child=serializers.DictField()),
                "passwords": serializers.CharField(allow_null=True),
                "passwords_expire_at": serializers.DateTimeField(allow_null=True),
            },
        )
    )
    def get(self, request: Request, job_id: uuid.UUID) -> Response:
        """The job's state."""
        job = _import_job(request.user, job_id)
        result = job.result or {}
        passwords = job.files.filter(purpose=PASSWORDS).first()
        available = passwords is not None and passwords.available
        return Response(
            {"state": job.state, "step": job.step, "done": job.done, "total": job.total,
             "error": job.error, "report": result.get("lines", []),
             "problems": result.get("details", []),
             "passwords": reverse("accounts:api-account-import-passwords", args=[job.pk])
             if available else None,
             "passwords_expire_at": passwords.expires_at if available and passwords else None}
        )  # fmt: skip


class AccountsImportPasswords(APIView):
    """The one-time passwords of the accounts an import created, as a workbook: only who
    started the import, only once (410 afterwards, or after the expiry); audited."""

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY, 410: OpenApiTypes.OBJECT})
    def get(self, request: Request, job_id: uuid.UUID) -> HttpResponseBase:
        """Download them; the file is destroyed."""
        job = _import_job(request.user, job_id)
        file = access_job_file(request.user, job, PASSWORDS)
        try:
            return job_file_response(file=file, actor=request.user)
        except FileGone as gone:
            return Response({"detail": str(gone)}, status=status.HTTP_410_GONE)


class AccountsCreate(APIView):
    """Accounts, with one-time passwords, for the people of a unit subtree who have none."""

    @extend_schema_serializer(component_name="AccountsCreateInput")
    class InputSerializer(serializers.Serializer[Any]):
        unit = serializers.CharField(max_length=40, help_text="Mã đơn vị")
        roles_from_posts = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={201: CreatedOutput})
    def post(self, request: Request) -> Response:
        """Create the accounts; 201 with their credentials."""
        require_account_manager(request.user)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = access_unit_by_code(request.user, data.validated_data["unit"], write=True)
        credentials = services.accounts_create_for_unit(
            actor=request.user,
            unit=unit,
            roles_from_posts=data.validated_data["roles_from_posts"],
            limit=settings.THUOCDO_ACCOUNTS_PAGE_LIMIT,
        )
        body = {"created": CredentialOutput(credentials, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)


class AccountPasswordReset(APIView):
    """A new one-time password for an account (to be changed at its next login)."""

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "PasswordResetOutput",
            fields={"username": serializers.CharField(), "password": serializers.CharField()},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Issue it."""
        account = access_account(request.user, pk, write=True)
        password = services.account_password_reset(actor=request.user, user=account)
        return Response({"username": account.username, "password": password})


class RoleGrant(APIView):
    """Give an account a role over a unit (`unit`) or an authority (`authority`)."""

    @extend_schema_serializer(component_name="RoleGrantInput")
    class InputSerializer(serializers.Serializer[Any]):
        role = serializers.ChoiceField(
            choices=["leader", "head", "organiser", "authority", "admin"]
        )
        unit = serializers.CharField(max_length=40, required=False, help_text="Mã đơn vị")
        authority = serializers.CharField(
            max_length=40, required=False, help_text="Mã cấp có thẩm quyền"
        )

    @extend_schema(request=InputSerializer, responses={200: RoleOutput, 201: RoleOutput})
    def post(self, request: Request, pk: int) -> Response:
        """Grant it; 201 with the role (200 if the account held it already)."""
        account = access_account(request.user, pk, write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = access_unit_by_code(request.user, values["unit"]) if values.get("unit") else None
        authority = None
        if values.get("authority"):
            authority = Authority.objects.filter(code=values["authority"]).first()
            if authority is None:
                raise ValidationError({"authority": "Không có cấp có thẩm quyền mang mã này."})
        assignment, created = services.role_grant(
            actor=request.user, user=account, role=values["role"], unit=unit, authority=authority
        )
        return Response(
            RoleOutput(assignment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PasswordChange(APIView):
    """The caller changes their own password (the one call open before a one-time password
    is replaced)."""

    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="PasswordChangeInput")
    class InputSerializer(serializers.Serializer[Any]):
        old_password = serializers.CharField(style={"input_type": "password"})
        new_password = serializers.CharField(style={"input_type": "password"})

    @extend_schema(
        request=InputSerializer,
        responses=inline_serializer("PasswordChangeOutput", {"detail": serializers.CharField()}),
    )
    def post(self, request: Request) -> Response:
        """Check the old password, apply the policy to the new one, change it."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated
        if not user.check_password(data.validated_data["old_password"]):
            raise ValidationError({"old_password": "Mật khẩu cũ không đúng."})
        services.password_change(user=user, password=data.validated_data["new_password"])
        return Response({"detail": "Đã đổi mật khẩu."})
