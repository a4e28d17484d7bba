"""Forms of the accounts pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from thuocdo.accounts.permissions import AUTHORITY_ROLES, UNIT_ROLES
from thuocdo.org.models import Authority, Role, Unit
from thuocdo.org.permissions import access_unit_by_code
from thuocdo.org.scope import scope_for


class AccountSearchForm(forms.Form):
    """The search box of the account list."""

    q = forms.CharField(label="Tìm theo tên đăng nhập, họ tên, mã cán bộ", required=False)


def _unit_in_reach(actor: Any, code: str) -> Unit:
    """A unit the actor may write, by code; a missing one and one out of reach read the same."""
    try:
        return access_unit_by_code(actor, code, write=True)
    except (Http404, PermissionDenied):
        raise forms.ValidationError(
            "Không có đơn vị mang mã này trong phạm vi bạn quản lý."
        ) from None


class AccountsCreateForm(forms.Form):
    """Create accounts for the people of a unit subtree who have none."""

    unit = forms.CharField(
        label="Mã đơn vị", max_length=40, help_text="Đơn vị và toàn bộ đơn vị trực thuộc."
    )
    roles_from_posts = forms.BooleanField(
        label="Giao vai trò theo chức vụ: người đứng đầu là «Người đứng đầu», cấp phó là «Lãnh "
        "đạo trực tiếp» của đơn vị mình",
        required=False,
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        # The organiser's own unit, the usual answer.
        paths = scope_for(actor).write_paths
        own = Unit.objects.filter(path__in=paths).order_by("path").values_list("code", flat=True)
        self.fields["unit"].initial = own.first()

    def clean_unit(self) -> Unit:
        """The unit, in the actor's reach."""
        return _unit_in_reach(self.actor, self.cleaned_data["unit"].strip())


class RoleGrantForm(forms.Form):
    """Give an account one more role."""

    role = forms.ChoiceField(label="Vai trò", choices=[c for c in Role.choices if c[0] != "person"])
    target = forms.CharField(
        label="Mã đơn vị hoặc cấp có thẩm quyền", max_length=40, required=False
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self) -> dict[str, Any]:
        """Resolve the code to the unit or authority the role needs."""
        data = super().clean() or {}
        role, code = data.get("role"), (data.get("target") or "").strip()
        data["unit"] = data["authority"] = None
        if role in UNIT_ROLES:
            if not code:
                self.add_error("target", "Vai trò này cần mã đơn vị.")
            else:
                try:
                    data["unit"] = _unit_in_reach(self.actor, code)
                except forms.ValidationError as error:
                    self.add_error("target", error)
        elif role in AUTHORITY_ROLES:
            data["authority"] = Authority.objects.filter(code=code).first()
            if data["authority"] is None:
                self.add_error("target", "Không có cấp có thẩm quyền mang mã này.")
        return data
