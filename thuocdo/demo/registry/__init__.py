"""The demo city's registry: units, people, posts, records and logins."""

from __future__ import annotations

from .plan import (
    BATCH,
    DEMO_PASSWORD,
    DEPARTMENTS,
    LOGIN_UNITS,
    ROOT_CODE,
    DemoError,
    DemoLogin,
    DemoSummary,
    Progress,
    demo_build,
    demo_is_empty,
)

__all__ = [
    "BATCH",
    "DEMO_PASSWORD",
    "DEPARTMENTS",
    "LOGIN_UNITS",
    "ROOT_CODE",
    "DemoError",
    "DemoLogin",
    "DemoSummary",
    "Progress",
    "demo_build",
    "demo_is_empty",
]
