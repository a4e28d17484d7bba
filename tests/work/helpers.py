"""Helpers of the work tests: the test month and alice's usual actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from thuocdo.work import services

YEAR, MONTH = 2025, 3


def day(d: int) -> datetime.date:
    """A day of the test month."""
    return datetime.date(YEAR, MONTH, d)


def register(world, catalogue, *, title="Báo cáo tháng", quantity="1", due=10, product=None):
    """Alice registers a task in the test month."""
    return services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=YEAR,
        month=MONTH,
        title=title,
        quantity=Decimal(quantity),
        due_date=day(due),
        product_type=product or catalogue.report,
    )


def complete(world, task, on=9, quantity=None):
    """Alice reports a task done."""
    return services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=day(on),
        quantity_done=Decimal(quantity) if quantity else task.quantity,
        evidence_number="12/BC-UBND",
    )
