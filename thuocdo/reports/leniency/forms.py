"""The filter form of the leniency page."""

from __future__ import annotations

from thuocdo.reports.common.forms import DistributionQueryForm


class LeniencyQueryForm(DistributionQueryForm):
    """A unit, a year, one group or all: leniency is read on whole years and every category."""

    month = None  # type: ignore[assignment]  # Django drops an inherited field set to None
    category = None  # type: ignore[assignment]  # Django drops an inherited field set to None
