"""Read-only admin of the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thuocdo.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    # The note is the reason a change was made (a reopened month, a changed level).
    list_display = ["at", "actor", "action", "object_type", "object_repr", "note"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "note"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
