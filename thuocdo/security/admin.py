"""The admin site audits every write made through /quan-tri/.

Every ModelAdmin registered on the site, ours, django-otp's, knox's and axes' alike, is wrapped
at registration with `AuditedAdminMixin`, so a model added later cannot be forgotten: each
addition, change and deletion (one by one, in bulk, or through an inline) records an
AuditEvent with the actor, the object and its fields before and after. This keeps the admin a
place to fix data in an emergency, but never an unaudited one. Models whose invariants live in
a service (the targets, imported history) stay read-only in their own admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models.query import QuerySet
from django.forms import BaseModelFormSet
from django.http import HttpRequest

from thuocdo.audit.services import audit_record, snapshot


def _snapshot(obj: models.Model) -> dict[str, Any]:
    data = snapshot(obj)
    for secret in ("password", "key", "digest", "bin_key"):
        if secret in data:
            data[secret] = "***"  # audit says it changed, never what it is
    return data


def _stored(obj: models.Model) -> dict[str, Any] | None:
    if obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return _snapshot(stored) if stored is not None else None


class AuditedAdminMixin:
    """Record an AuditEvent for each write of a ModelAdmin or an inline's formset."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _stored(obj) if change else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        action = "admin.change" if change else "admin.add"
        audit_record(actor=request.user, action=action, obj=obj, before=before,
                     after=_snapshot(obj))  # fmt: skip

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = _snapshot(obj)
        audit_record(actor=request.user, action="admin.delete", obj=obj, before=before)
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", obj=obj, before=_snapshot(obj))
        super().delete_queryset(request, queryset)  # type: ignore[misc]

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        befores = {
            f.instance.pk: _stored(f.instance)
            for f in formset.forms
            if f.instance.pk is not None and f.has_changed()
        }
        deleted = [
            (str(f.instance.pk), str(f.instance), _snapshot(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk is not None
        ]
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        label = formset.model._meta.label_lower if formset.model is not None else ""
        for pk, text, before in deleted:
            audit_record(actor=request.user, action="admin.delete",
                         object_type=label, object_id=pk,
                         object_repr=text, before=before)  # fmt: skip
        for obj in formset.new_objects:
            audit_record(actor=request.user, action="admin.add", obj=obj, after=_snapshot(obj))
        for obj, _changed in formset.changed_objects:
            audit_record(actor=request.user, action="admin.change", obj=obj,
                         before=befores.get(obj.pk), after=_snapshot(obj))  # fmt: skip


class AuditedAdminSite(admin.AdminSite):
    """Django's admin site, every ModelAdmin of which audits its writes."""

    site_header = "Thước Đo — quản trị hệ thống"
    site_title = "Thước Đo"
    index_title = "Quản trị"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdminMixin):
            base = type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {})
        super().register(model_or_iterable, base, **options)
