"""The home page: what waits for the user today, for each of their roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.org.models import Person, Role
from thuocdo.org.scope import scope_for, today
from thuocdo.web.home import today_for


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login: today's work, with a link to where each item is done."""
    scope = scope_for(request.user)
    context = {
        "person": Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None,
        "roles": [label for value, label in Role.choices if value in scope.roles],
        "today": today(),
        "work": today_for(request.user),
    }
    return render(request, "web/home.html", context)
