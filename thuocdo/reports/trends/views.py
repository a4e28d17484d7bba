"""Pages of trends ("Xu hướng") and of the comparison of equivalent positions ("So sánh chức
danh tương đương"), with their Excel and PDF exports; scoped like the distribution page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.org.models import Unit
from thuocdo.org.scope import today
from thuocdo.reports import position_selectors
from thuocdo.reports.common import exports, selectors
from thuocdo.reports.common.permissions import (
    access_report_unit,
    may_import_history,
    report_root_units,
)
from thuocdo.reports.position_selectors import PositionComparison
from thuocdo.reports.trends import exports as trend_exports
from thuocdo.reports.trends import selectors as trend_selectors
from thuocdo.reports.trends.forms import PositionQueryForm, TrendQueryForm
from thuocdo.reports.trends.selectors import MonthTrends, YearTrends
from thuocdo.reviews.models import EvaluationGroup


def _unit(request: HttpRequest) -> Unit:
    """The unit of the query string (the actor's first root by default); 404 out of scope."""
    code = request.GET.get("unit", "")
    if not code:
        roots = report_root_units(request.user)
        if not roots:
            raise Http404("Không tìm thấy đơn vị.")
        code = roots[0].code
    return access_report_unit(request.user, code)


def _year(request: HttpRequest, name: str) -> int | None:
    """A year from the query string, or None when absent or not a plausible year."""
    text = request.GET.get(name, "")
    return int(text) if text.isdigit() and 1900 < int(text) < 2200 else None


def _group(request: HttpRequest) -> str:
    """The subject group of the query string, or "" for all."""
    group = request.GET.get("group", "")
    return group if group in EvaluationGroup.values else ""


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
    unit = _unit(request)
    month_years = trend_selectors.month_years(unit=unit)
    month_year = _year(request, "year") or (month_years[0] if month_years else today().year)
    if month_year not in month_years:
        month_years = sorted([*month_years, month_year], reverse=True)
    years = trend_selectors.trend_years(unit=unit)
    first, last = _year(request, "from"), _year(request, "to")
    return TrendQuery(unit, _group(request), first, last, month_year, years, month_years)


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
        return _attachment(trend_exports.trends_workbook(report, months), exports.XLSX, name)
    if fmt == "pdf":
        return _attachment(trend_exports.trends_pdf(report, months), exports.PDF, name)
    raise Http404("Không có định dạng này.")


def _comparison(request: HttpRequest) -> tuple[PositionComparison, str, list[int]]:
    """The comparison the query string asks for (the latest published year by default), its
    group, and the years to choose from."""
    unit = _unit(request)
    years = position_selectors.position_years(unit=unit)
    year = _year(request, "year") or (years[0] if years else today().year)
    if year not in years:
        years = sorted([*years, year], reverse=True)
    group = _group(request)
    position = request.GET.get("position", "").strip()[:120] or None
    comparison = position_selectors.position_comparison(
        unit=unit, year=year, group=group or None, position=position
    )
    return comparison, group, years


def _positions_rest(comparison: PositionComparison, group: str) -> str:
    """The query string of everything but the unit, for links to other units and exports."""
    params = {"year": comparison.year, "group": group, "position": comparison.position}
    return urlencode({k: v for k, v in params.items() if v})


@require_GET
@login_required
def positions(request: HttpRequest) -> HttpResponse:
    """People of equivalent positions across the subtree's units, ranked within each."""
    comparison, group, years = _comparison(request)
    unit = comparison.unit
    initial = {"unit": unit.code, "year": comparison.year, "group": group}
    form = PositionQueryForm(initial=initial | {"position": comparison.position}, years=years)
    context = {
        "comparison": comparison,
        "form": form,
        "group": group,
        "rest": _positions_rest(comparison, group),
        "title": trend_exports.positions_title(comparison),
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=unit),
    }
    return render(request, "reports/positions_report.html", context)


@require_GET
@login_required
def positions_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same comparison as an Excel workbook or a PDF."""
    comparison, group, _ = _comparison(request)
    return positions_response(comparison, fmt, group)


def positions_response(comparison: PositionComparison, fmt: str, group: str) -> HttpResponse:
    """An attachment of the comparison in a format ("xlsx" or "pdf"); shared with the API."""
    name = trend_exports.positions_file_name(comparison, fmt, group or None)
    if fmt == "xlsx":
        return _attachment(trend_exports.positions_workbook(comparison), exports.XLSX, name)
    if fmt == "pdf":
        return _attachment(trend_exports.positions_pdf(comparison), exports.PDF, name)
    raise Http404("Không có định dạng này.")


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    """A file to download."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
