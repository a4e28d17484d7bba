"""Forms of the monthly pages that the annual cycle does not share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from thuocdo.reviews.forms import AssessmentForm, PeriodOpenForm


class MonthOpenForm(PeriodOpenForm):
    """Open a month (or a quarter) over a subtree, and optionally let the next months open by
    themselves on their first day."""

    schedule = forms.BooleanField(
        label="Tự động mở kỳ tháng các tháng sau vào ngày đầu tháng", required=False
    )


class ScheduleForm(forms.Form):
    """Turn a unit's automatic monthly opening off (or on again)."""

    enabled = forms.TypedChoiceField(
        choices=[("1", "Bật"), ("0", "Tắt")], coerce=lambda v: v == "1"
    )


def assessment_form(
    data: Mapping[str, Any] | None,
    initial: dict[str, object],
    *,
    source: str,
    leader: bool,
    bonus: bool = True,
) -> AssessmentForm:
    """The scoring form as each writer needs it: the person (or whoever enters it on their
    behalf) writes general points, deductions and a note; the leader adds the bonus where the
    rule-set has one, and the organising capacity of a head or deputy."""
    form = AssessmentForm(data, initial=initial)
    if source == "self" or not bonus:
        del form.fields["bonus"]
    if source == "self" or not leader:
        del form.fields["organising"]
    return form
