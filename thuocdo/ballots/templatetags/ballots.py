"""Template helpers of confidence votes for other apps' pages (the person's record)."""

from __future__ import annotations

from fractions import Fraction

from django import template

from thuocdo.ballots.models import ConsequenceFlag
from thuocdo.ballots.selectors import person_flags
from thuocdo.org.models import Person
from thuocdo.rules.confidence import pct

register = template.Library()


@register.simple_tag
def confidence_flags(person: Person) -> list[ConsequenceFlag]:
    """The consequences of published confidence votes on the person."""
    return list(person_flags(person))


@register.filter
def share(value: Fraction) -> str:
    """An exact share as Vietnamese percent with two decimals (2/3 -> 66,67%)."""
    return pct(value)
