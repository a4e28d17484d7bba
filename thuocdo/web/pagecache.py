"""Reuse a busy page («Tháng của tôi», «Đơn vị của tôi») for as long as nothing it shows can
have changed: the same user, the same address, the same day and the same data stamp
(thuocdo/web/changes.py). The view still runs on every request with its permission checks;
only the page's queries and rendering are skipped. Each request puts its own form token in;
a page with messages to show is rendered afresh.

The stamp is read by `StampMiddleware` before anything else of the request is (the session's
user, their person and their rights), so everything the page is then built from is at least as
new as the stamp it is kept under.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from thuocdo.org.scope import today
from thuocdo.web.changes import data_stamp

# URL names of the pages reused.
CACHED_PAGES = ("work:month-detail", "work:team-detail")
# Stands for the form token while a page is kept; each request puts its own token in.
_TOKEN = "csrf-" + secrets.token_hex(16)


@cache
def _cached_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in CACHED_PAGES)


class StampMiddleware:
    """Read the data stamp first on a GET of a reused page (before the user is loaded)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.path in _cached_paths():
            request.thuocdo_stamp = data_stamp()  # type: ignore[attr-defined]
        return self.get_response(request)


def _key(request: HttpRequest, template: str, stamp: str) -> str:
    user = request.user
    parts = (template, user.pk, stamp, today().isoformat(), get_language(), request.get_full_path())
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _messages_pending(request: HttpRequest) -> bool:
    """Whether the page will show messages (counted without marking them shown)."""
    return bool(len(get_messages(request)))


def page_render(
    request: HttpRequest,
    template: str,
    build: Callable[[], dict[str, Any]],
    *,
    fresh: bool = False,
) -> HttpResponse:
    """`template` rendered from `build()`'s context, or the copy kept for this user, address,
    day and stamp (none is kept of a page that shows messages, or of a `fresh` one showing a
    refused form with what was typed: they are shown once)."""
    stamp: str | None = getattr(request, "thuocdo_stamp", None)
    store = caches["pages"]
    reused = not fresh and not _messages_pending(request)
    key = _key(request, template, stamp) if stamp and reused else ""
    html: str | None = store.get(key) if key else None
    if html is None:
        html = render_to_string(template, {**build(), "csrf_token": _TOKEN}, request)
        # Inside a transaction (a test's, or a request's that wrote) the data read may never
        # be committed: keep only what autocommit reads saw.
        if key and not connection.in_atomic_block:
            store.set(key, html)
    return HttpResponse(html.replace(_TOKEN, get_token(request)))
