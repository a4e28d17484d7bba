"""The home page: the user's job, for their role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.org.models import Person, Role
from thuocdo.org.scope import scope_for
from thuocdo.org.selectors import unit_list


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login."""
    scope = scope_for(request.user)
    person = Person.objects.filter(user__pk=request.user.pk or 0).first()
    roles = [label for value, label in Role.choices if value in scope.roles]
    context = {
        "person": person,
        "roles": roles,
        "unit_count": unit_list(actor=request.user).count(),
    }
    return render(request, "web/home.html", context)
