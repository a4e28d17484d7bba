"""The demo city at work: task catalogues, two months of work record, a scored month, targets."""

from __future__ import annotations

from .month import demo_work_build, demo_work_tour, position_for

__all__ = ["demo_work_build", "demo_work_tour", "position_for"]
