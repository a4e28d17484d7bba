"""Django admin for system administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from thuocdo.org.models import (
    Authority,
    Discipline,
    Person,
    Post,
    Reward,
    RoleAssignment,
    Unit,
    User,
)
from thuocdo.org.services import unit_path_assign


class RoleInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["unit", "authority"]


@admin.register(User)
class ThuocDoUserAdmin(UserAdmin):  # type: ignore[type-arg]  # UserAdmin's generic is untyped in the stubs
    inlines = [RoleInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["code", "name", "kind", "is_party_grassroots", "depth"]
    list_filter = ["kind", "is_party_grassroots", "depth"]
    search_fields = ["code", "name", "search_text"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> list[str]:
        # A move rewrites the paths of a whole subtree, which the units import does (and
        # audits); here a unit only gets its place when it is added.
        return ["parent"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        obj.refresh_search_text()
        super().save_model(request, obj, form, change)
        if not change:
            unit_path_assign(obj)
            obj.save(update_fields=["path", "depth"])


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["code", "full_name", "birth_date", "gender", "category", "is_party_member"]
    list_filter = ["category", "gender", "is_party_member"]
    search_fields = ["code", "search_text"]
    raw_id_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        obj.refresh_name_keys()  # the sort key and search text follow the name, as in services
        super().save_model(request, obj, form, change)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["person", "title", "unit", "is_head", "start_date", "end_date"]
    list_filter = ["is_head", "is_deputy"]
    raw_id_fields = ["person", "unit", "managed_by"]


admin.site.register(Authority)
admin.site.register(Discipline)
admin.site.register(Reward)
admin.site.site_header = "Thước Đo — quản trị hệ thống"
