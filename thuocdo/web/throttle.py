"""Failed one-time codes per client address: the anonymous survey and the ballot box refuse a
client that keeps guessing (a code is short enough to type, so guesses must be few)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

FAILED_CODES_PER_HOUR = 20
WINDOW = 3600


def _key(request: HttpRequest, scope: str) -> str:
    return f"{scope}:failed-codes:{request.META.get('REMOTE_ADDR', '')}"


def failed_codes_exceeded(request: HttpRequest, scope: str) -> bool:
    """True when this client has typed too many wrong codes in the last hour."""
    return (cache.get(_key(request, scope)) or 0) >= FAILED_CODES_PER_HOUR


def failed_code_record(request: HttpRequest, scope: str) -> None:
    """Count one wrong code for this client."""
    key = _key(request, scope)
    if not cache.add(key, 1, WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, WINDOW)
