"""The health check a load balancer or a monitor polls: is the app up and its database there."""

from __future__ import annotations

import time
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from thuocdo.ops.manifest import app_version


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", ...} when a query answers; 503 with the reason otherwise."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        body: dict[str, Any] = {
            "status": "error",
            "database": "unavailable",
            "error": str(error)[:200],
        }
        return JsonResponse(body, status=503)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    body = {
        "status": "ok",
        "database": connection.vendor,
        "database_ms": elapsed,
        # The pool's size per process when `thuocdo serve` turned it on (PostgreSQL).
        "database_pool": (connection.settings_dict.get("OPTIONS", {}).get("pool") or {}).get(
            "max_size"
        ),
        "version": app_version(),
    }
    return JsonResponse(body)
