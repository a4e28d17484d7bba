"""The page of the comparison of equivalent positions ("So sánh chức danh tương đương"), with
its Excel and PDF exports; scoped like the distribution page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.org.scope import today
from thuocdo.reports.common import exports, selectors
from thuocdo.reports.common.exports import attachment
from thuocdo.reports.common.query import query_group, query_year, report_unit
from thuocdo.reports.positions import exports as position_exports
from thuocdo.reports.positions import selectors as position_selectors
from thuocdo.reports.positions.forms import PositionQueryForm
from thuocdo.reports.positions.selectors import PositionComparison


def _comparison(request: HttpRequest) -> tuple[PositionComparison, str, list[int]]:
    """The comparison the query string asks for (the latest published year by default), its
    group, and the years to choose from."""
    unit = report_unit(request)
    years = position_selectors.position_years(unit=unit)
    year = query_year(request, "year") or (years[0] if years else today().year)
    if year not in years:
        years = sorted([*years, year], reverse=True)
    group = query_group(request)
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
        "title": position_exports.positions_title(comparison),
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
    name = position_exports.positions_file_name(comparison, fmt, group or None)
    if fmt == "xlsx":
        return attachment(position_exports.positions_workbook(comparison), exports.XLSX, name)
    if fmt == "pdf":
        return attachment(position_exports.positions_pdf(comparison), exports.PDF, name)
    raise Http404("Không có định dạng này.")
