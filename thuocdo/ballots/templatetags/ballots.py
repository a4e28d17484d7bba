"""Template helpers of confidence votes for other apps' pages (the person's record)."""

from __future__ import annotations

from fractions import Fraction

from django import template

from thuocdo.ballots.models import ConsequenceFlag
from thuocdo.ballots.selectors import person_flags
from thuocdo.org.models import Person
from thuocdo.reviews.models import Evaluation
from thuocdo.rules.confidence import pct

register = template.Library()


@register.simple_tag
def confidence_flags(person: Person) -> list[ConsequenceFlag]:
    """The consequences of published confidence votes on the person."""
    return list(person_flags(person))


@register.simple_tag
def evaluation_flags(evaluation: Evaluation) -> list[ConsequenceFlag]:
    """The consequences of published confidence votes linked to the evaluation."""
    if evaluation.person is None:
        return []
    return list(person_flags(evaluation.person).filter(evaluation=evaluation))


@register.filter
def share(value: Fraction) -> str:
    """An exact share as Vietnamese percent with two decimals (2/3 -> 66,67%)."""
    return pct(value)
