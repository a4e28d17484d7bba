"""The demo city at work: `catalogue` (job positions, their products), `city` (who is who in
the built registry), `rows` (the rows written in bulk), `month` (two months of work record and
last month scored), `targets` (this year's targets of heads), `build` (the entry point).
"""

from __future__ import annotations

from .build import demo_work_build, demo_work_tour
from .catalogue import position_for

__all__ = ["demo_work_build", "demo_work_tour", "position_for"]
