"""Clear Vietnamese answers to malformed requests: JSON for the API, a page otherwise."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def wants_json(request: HttpRequest) -> bool:
    """True for the API and for clients that sent or asked for JSON."""
    return (
        request.path.startswith("/api/")
        or request.content_type == "application/json"
        or "application/json" in request.headers.get("Accept", "")
    )


def bad_request(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """A 400 (or 413) saying what was wrong, in Vietnamese."""
    if wants_json(request):
        return JsonResponse({"errors": [message]}, status=status)
    html = render_to_string("security/bad_request.html", {"message": message}, request=request)
    return HttpResponse(html, status=status)
