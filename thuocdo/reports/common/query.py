"""The report query of the pages: the unit (404 out of scope), year, month, subject group and
category of people a report page asks for in its query string, and the filter form showing it.
The distribution, the dashboard, the Word summary and the leniency page read it the same way."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest

from thuocdo.numbers import whole_number
from thuocdo.org.models import Category, Unit
from thuocdo.org.scope import today
from thuocdo.reports.common import selectors
from thuocdo.reports.common.forms import DistributionQueryForm
from thuocdo.reports.common.permissions import access_report_unit, report_root_units
from thuocdo.reviews.models import EvaluationGroup


@dataclass(frozen=True)
class Query:
    """A resolved report request: a unit the actor may see, a year (or one of its months), a
    group or all, a category of people or all."""

    unit: Unit
    year: int
    group: str
    years: list[int]
    month: int | None = None
    category: str = ""

    @property
    def params(self) -> dict[str, str]:
        """The request's parameters that are set, for links to the same report elsewhere."""
        values = {
            "unit": self.unit.code,
            "year": str(self.year),
            "month": str(self.month or ""),
            "group": self.group,
            "category": self.category,
        }
        return {key: value for key, value in values.items() if value}

    @property
    def querystring(self) -> str:
        """The parameters as a query string (unit=Q1&year=2021&group=leader)."""
        return urlencode(self.params)

    def report(self) -> selectors.DistributionReport:
        """The distribution this query asks for."""
        return selectors.distribution_report(
            unit=self.unit,
            year=self.year,
            group=self.group or None,
            category=self.category or None,
            month=self.month,
        )


def report_query(request: HttpRequest) -> Query:
    """Read unit, year and group from the query string; 404 for a unit out of scope."""
    code = request.GET.get("unit", "")
    if not code:
        roots = report_root_units(request.user)
        if not roots:
            raise Http404("Không tìm thấy đơn vị.")
        code = roots[0].code
    unit = access_report_unit(request.user, code)
    years = selectors.report_years(unit=unit)
    text = request.GET.get("year", "")
    year = whole_number(text, low=1901, high=2199)
    year = year or (years[0] if years else today().year)
    if year not in years:
        years = sorted([*years, year], reverse=True)
    group = request.GET.get("group", "")
    month_text = request.GET.get("month", "")
    month = whole_number(month_text, low=1, high=12)
    category = request.GET.get("category", "")
    return Query(
        unit,
        year,
        group if group in EvaluationGroup.values and not month else "",
        years,
        month,
        category if category in Category.values else "",
    )


def query_form(query: Query) -> DistributionQueryForm:
    """The filter form of a report page, showing the query."""
    initial = {**query.params, "year": query.year, "month": query.month or ""}
    return DistributionQueryForm(initial=initial, years=query.years)


def report_unit(request: HttpRequest) -> Unit:
    """The unit of the query string (the actor's first root by default); 404 out of scope."""
    code = request.GET.get("unit", "")
    if not code:
        roots = report_root_units(request.user)
        if not roots:
            raise Http404("Không tìm thấy đơn vị.")
        code = roots[0].code
    return access_report_unit(request.user, code)


def query_year(request: HttpRequest, name: str) -> int | None:
    """A year from the query string, or None when absent or not a plausible year."""
    text = request.GET.get(name, "")
    return whole_number(text, low=1901, high=2199)


def query_group(request: HttpRequest) -> str:
    """The subject group of the query string, or "" for all."""
    group = request.GET.get("group", "")
    return group if group in EvaluationGroup.values else ""
