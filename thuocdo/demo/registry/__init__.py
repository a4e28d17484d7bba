"""The demo city's registry: the units of "Thành phố Mẫu", its people and their posts,
disciplines and rewards, the competent authorities and one login per role. `city` holds the
names and the unit profiles, `plan` lays the city out in plain Python (no database), `build`
writes it with a handful of bulk inserts per table (`demo_build`).
"""

from __future__ import annotations

from thuocdo.demo.common import DemoError, Progress

from .build import BATCH, DEMO_PASSWORD, DemoLogin, DemoSummary, demo_build, demo_is_empty
from .city import DEPARTMENTS, ROOT_CODE
from .plan import LOGIN_UNITS

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
