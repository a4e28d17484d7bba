"""Django admin for system administrators only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["code", "full_name", "birth_date", "gender", "category", "is_party_member"]
    list_filter = ["category", "gender", "is_party_member"]
    search_fields = ["code", "search_text"]
    raw_id_fields = ["user"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ["person", "title", "unit", "is_head", "start_date", "end_date"]
    list_filter = ["is_head", "is_deputy"]
    raw_id_fields = ["person", "unit", "managed_by"]


admin.site.register(Authority)
admin.site.register(Discipline)
admin.site.register(Reward)
admin.site.site_header = "Thước Đo — quản trị hệ thống"
