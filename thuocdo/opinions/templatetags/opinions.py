"""The tags behind the fragment included in the evaluation page and the meeting link of the
year's board."""

from __future__ import annotations

from typing import Any

from django import template

from thuocdo.opinions.selectors import (
    EvaluationOpinions,
    evaluation_opinions,
    meeting_units,
    visible_evaluation,
)
from thuocdo.reviews.models import Evaluation, Period

register = template.Library()


@register.simple_tag(takes_context=True)
def opinions_for(context: Any, evaluation: Evaluation) -> EvaluationOpinions | None:
    """The opinions of an evaluation for the request's user; None outside their scope."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not visible_evaluation(user, evaluation):
        return None
    return evaluation_opinions(actor=user, evaluation=evaluation)


@register.simple_tag(takes_context=True)
def holds_meetings(context: Any, period: Period) -> bool:
    """The request's user may record a collective meeting of some unit of the period."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and meeting_units(actor=user, period=period).exists()
