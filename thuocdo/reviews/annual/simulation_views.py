"""The page of "Mô phỏng": a year re-run under another rule-set or options, writing nothing,
shown to the organiser of the period, or downloaded as an Excel workbook."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.reviews.annual.permissions import can_organise
from thuocdo.reviews.annual.simulation import parse_options, what_if
from thuocdo.reviews.annual.simulation_export import XLSX, what_if_xlsx
from thuocdo.reviews.forms import WhatIfForm
from thuocdo.reviews.models import PeriodKind
from thuocdo.reviews.monthly import selectors


@require_GET
@login_required
def period_what_if(request: HttpRequest, period_id: int) -> HttpResponse:
    """ "Mô phỏng": the year re-run under another rule-set or options, writing nothing; as a
    page, or as an Excel workbook (?format=xlsx). The organiser of the period only (404 out
    of scope, 403 to others who see it)."""
    period = selectors.access_period(request.user, period_id)
    if period.kind != PeriodKind.YEAR or not can_organise(request.user, period):
        raise PermissionDenied("Chỉ Ban Tổ chức của kỳ đánh giá năm được mô phỏng.")
    bound = "ruleset" in request.GET
    form = WhatIfForm(
        request.GET if bound else None,
        initial={"ruleset": period.ruleset},
        period_rulesets=period.rulesets,
    )
    result = None
    if bound and form.is_valid():
        try:
            lines = form.option_lines()
            options = {**period.options, **parse_options(lines)} if lines else None
            result = what_if(
                period,
                ruleset=form.cleaned_data["ruleset"],
                rulesets=form.rulesets(),
                options=options,
            )
        except ValidationError as error:
            form.add_error(None, error)
    if result is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(what_if_xlsx(result), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="mo-phong-ky-{period.pk}.xlsx"'
        return response
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "reviews/period_what_if.html",
        {"period": period, "form": form, "result": result, "xlsx_query": query.urlencode()},
    )
