"""Shared set-up of the opinion tests: a year over Q1, a closed survey, codes and answers."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD
from tests.reviews.annual.cycle import evaluation_of, open_year
from thuocdo.opinions import services
from thuocdo.opinions.services import IssuedCodes
from thuocdo.org import services as org
from thuocdo.org.models import User
from thuocdo.reviews.models import Evaluation, Period

GROUPS_2A = ["politics", "ethics", "style", "discipline", "results"]


def year_and_alice(world: Any) -> tuple[Period, Evaluation]:
    """2026 opened over Q1, and Alice's evaluation in it."""
    period = open_year(world)
    return period, evaluation_of(period, world.alice)


def peers(world: Any, evaluation: Evaluation, count: int = 6) -> IssuedCodes:
    """Olga opens a peer survey on the evaluation with `count` codes."""
    return services.survey_open(
        actor=world.users["olga"], evaluation=evaluation, role="peer", count=count
    )


def answers(
    level: str = "HTT", comment: str = "", evaluation: Evaluation | None = None
) -> dict[str, dict[str, str]]:
    """The same level for every group of the form (Mẫu 2A unless an evaluation is given),
    a comment on the results group."""
    groups = list(services.criteria_of(evaluation)) if evaluation else GROUPS_2A
    out = {g: {"level": level, "comment": ""} for g in groups}
    out["results"]["comment"] = comment
    return out


def sibling_organiser(world: Any) -> User:
    """Otto, organiser of Quận Hai: must see nothing of Quận Một."""
    user = org.user_create(actor=None, username="otto", password=PASSWORD)
    org.role_assign(actor=None, user=user, role="organiser", unit=world.q2)
    return user
