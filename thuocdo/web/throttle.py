"""Wrong one-time codes (the anonymous survey and the ballot box), counted in the shared cache
(settings.CACHES: every web process sees the same counts), never per client address: a whole
meeting room votes from one address, so one guesser there must not lock everyone out.

Two counts, both in fixed windows:
- per code typed (a keyed hash of it): the same wrong code is refused after
  `FAILED_TRIES_PER_CODE` tries, until an hour has passed since the last. Someone else's
  mistakes never block a right code.
- for everyone together: after settings.FAILED_CODES_PER_MINUTE wrong codes in a minute every
  code is refused until the minute ends. This bounds a guesser spraying codes over the 60-bit
  code space (docs/security.md gives the figures); its price is that a flood of wrong codes
  holds the box for the rest of that minute.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

FAILED_TRIES_PER_CODE = 20
CODE_WINDOW = 3600
SITE_WINDOW = 60

CODE_THROTTLED = (
    "Mã này đã bị nhập sai quá nhiều lần. Vui lòng kiểm tra lại mã trên phiếu hoặc thử lại "
    "sau một giờ."
)
SITE_THROTTLED = "Hệ thống đang nhận quá nhiều mã sai. Vui lòng thử lại sau một phút."


def _code_key(scope: str, code: str) -> str:
    # Keyed like the stored code hashes, but under another key: the cache holds neither codes
    # nor anything that matches a roll's hashes.
    typed = "".join(ch for ch in code.upper() if ch.isalnum())
    key = f"thuocdo.throttle:{scope}:{settings.SECRET_KEY}".encode()
    digest = hmac.new(key, typed.encode(), hashlib.sha256).hexdigest()
    return f"{scope}:failed-code:{digest}"


def _site_key(scope: str) -> str:
    return f"{scope}:failed-codes:{int(time.time()) // SITE_WINDOW}"


def code_throttled(scope: str, code: str) -> str | None:
    """The Vietnamese refusal when this code, or everyone together, has failed too often."""
    if (cache.get(_site_key(scope)) or 0) >= settings.FAILED_CODES_PER_MINUTE:
        return SITE_THROTTLED
    if (cache.get(_code_key(scope, code)) or 0) >= FAILED_TRIES_PER_CODE:
        return CODE_THROTTLED
    return None


def code_failure_record(scope: str, code: str) -> None:
    """Count one wrong code: against the code typed and against everyone's minute."""
    _count(_code_key(scope, code), CODE_WINDOW)
    _count(_site_key(scope), SITE_WINDOW * 2)


def _count(key: str, timeout: int) -> None:
    # Read then write, each write restarting the key's time (the database cache's own incr
    # would fall back to its default timeout). Concurrent failures may be counted once, so
    # the bounds hold to within the number of requests served at the same moment.
    cache.set(key, (cache.get(key) or 0) + 1, timeout)
