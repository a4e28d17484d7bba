"""The reports dashboard ("Tổng quan"): charts and the map of a subtree's year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.reports.common import exports, selectors
from thuocdo.reports.common.query import query_form, report_query
from thuocdo.reports.dashboard.charts import dashboard_data
from thuocdo.reports.trends.exports import trend_chart
from thuocdo.reports.trends.selectors import year_trends


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Level distribution bars, the units' HTXS shares and the map, for a subtree's year."""
    query = report_query(request)
    data = dashboard_data(report=query.report(), group=query.group or None)
    trend = None
    if data.focus is not None and not query.month and not query.category:
        # The focused group's years up to the one shown (trends are not split by category).
        trend = trend_chart(year_trends(unit=query.unit, group=data.focus.group, last=query.year))
    context = {
        "trend": trend,
        "data": data,
        "report": data.report,
        "form": query_form(query),
        "group": query.group,
        "query": query,
        "period": exports.period_label(data.report),
        "title": exports.report_title(data.report),
        "ancestors": selectors.unit_ancestors(actor=request.user, unit=query.unit),
    }
    return render(request, "reports/dashboard.html", context)
