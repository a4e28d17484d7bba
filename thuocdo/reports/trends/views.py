"""The trends page ("Xu hướng"), with its Excel and PDF exports; scoped like the distribution
page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.org.models import Unit
from thuocdo.org.scope import today
from thuocdo.reports.common import exports, selectors
from thuocdo.reports.common.exports import attachment
from thuocdo.reports.common.permissions import may_import_history
from thuocdo.reports.common.query import query_group, query_year, report_unit
from thuocdo.reports.trends import exports as trend_exports
from thuocdo.reports.trends import selectors as trend_selectors
from thuocdo.reports.trends.forms import TrendQueryForm
from thuocdo.reports.trends.selectors import MonthTrends, YearTrends


@dataclass(frozen=True)
class TrendQuery:
    """A resolved trends request."""

    unit: Unit
    group: str
    first: int | None
    last: int | None
    month_year: int
    years: list[int]
    month_years: list[int]

    @property
    def rest(self) -> str:
        """The query string of everything but the unit, for links to other units."""
        params = {"group": self.group, "from": self.first, "to": self.last}
        kept = {k: v for k, v in params.items() if v}
        return urlencode({**kept, "year": self.month_year})


def _trend_query(request: HttpRequest) -> TrendQuery:
    """Unit, group, range of years and the year whose months are shown."""
    unit = report_unit(request)
    month_years = trend_selectors.month_years(unit=unit)
    month_year = query_year(request, "year") or (month_years[0] if month_years else today().year)
    if month_year not in month_years:
        month_years = sorted([*month_years, month_year], reverse=True)
    years = trend_selectors.trend_years(unit=unit)
    first, last = query_year(request, "from"), query_year(request, "to")
    return TrendQuery(unit, query_group(request), first, last, month_year, years, month_years)


def _trend_reports(query: TrendQuery) -> tuple[YearTrends, MonthTrends]:
    """The yearly trends and the months of the chosen year."""
    trends = trend_selectors.year_trends(
        unit=query.unit, group=query.group or None, first=query.first, last=query.last
    )
    return trends, trend_selectors.month_trends(unit=query.unit, year=query.month_year)


@require_GET
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """Trends across years (per group, with the child units' matrix) and across months."""
    query = _trend_query(request)
    report, months = _trend_reports(query)
    initial = {"unit": query.unit.code, "group": query.group, "year": query.month_year}
    initial |= {"from": query.first or "", "to": query.last or ""}
    context = {
        "report": report,
        "months": months,
        "query": query,
        "form": TrendQueryForm(initial=initial, years=query.years, month_years=query.month_years),
        "title": trend_exports.trends_title(report),
        "months_title": trend_exports.months_title(months),
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=query.unit),
        "chart": trend_exports.trend_chart(report, months),
        "may_import": may_import_history(request.user),
    }
    return render(request, "reports/trends_report.html", context)


@require_GET
@login_required
def trends_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same trends (and months) as an Excel workbook or a PDF."""
    query = _trend_query(request)
    report, months = _trend_reports(query)
    return trends_response(report, months, fmt, query.group)


def trends_response(
    report: YearTrends, months: MonthTrends | None, fmt: str, group: str
) -> HttpResponse:
    """An attachment of the trends in a format ("xlsx" or "pdf"); shared with the API."""
    name = trend_exports.trends_file_name(report, fmt, group or None)
    if fmt == "xlsx":
        return attachment(trend_exports.trends_workbook(report, months), exports.XLSX, name)
    if fmt == "pdf":
        return attachment(trend_exports.trends_pdf(report, months), exports.PDF, name)
    raise Http404("Không có định dạng này.")
