"""The page of "Mô phỏng": a year re-run under another rule-set or options, writing nothing,
shown to the organiser of the period, or downloaded as an Excel workbook. A large year is
simulated by a background job; the page then shows the job's stored result (`?ket-qua=`) and
its Excel is the workbook the job built and stored, sent as a plain file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from thuocdo.jobs.files import job_file_response
from thuocdo.jobs.services import job_start
from thuocdo.jobs.views import job_follow
from thuocdo.reviews.annual.simulation import WhatIf, parse_options, what_if
from thuocdo.reviews.annual.simulation_export import XLSX, what_if_xlsx
from thuocdo.reviews.annual.simulation_store import (
    RESULT,
    WHAT_IF,
    access_what_if,
    what_if_file,
    what_if_file_name,
    what_if_in_background,
    what_if_stored,
)
from thuocdo.reviews.forms import WhatIfForm


@require_GET
@login_required
def period_what_if(request: HttpRequest, period_id: int) -> HttpResponseBase:
    """ "Mô phỏng": the year re-run under another rule-set or options, writing nothing; as a
    page, or as an Excel workbook (?format=xlsx). The organiser of the period only (404 out
    of scope, 403 to others who see it). A large year starts a job and follows it here."""
    period = access_what_if(request.user, period_id)
    bound = "ruleset" in request.GET
    form = WhatIfForm(
        request.GET if bound else None,
        initial={"ruleset": period.ruleset},
        period_rulesets=period.rulesets,
    )
    result: WhatIf | None = None
    if RESULT in request.GET:
        job_id = request.GET[RESULT]
        if request.GET.get("format") == "xlsx":
            stored = what_if_file(actor=request.user, period=period, job_id=job_id)
            if stored is not None:  # built by the job: sent as it is
                return job_file_response(file=stored, actor=request.user)
        result = what_if_stored(actor=request.user, period=period, job_id=job_id)
    elif bound and form.is_valid():
        try:
            lines = form.option_lines()
            scenario = {
                "ruleset": form.cleaned_data["ruleset"],
                "rulesets": form.rulesets(),
                "options": {**period.options, **parse_options(lines)} if lines else None,
            }
            if what_if_in_background(period):
                query = request.GET.copy()
                query.pop("format", None)
                params = {"period_id": period.pk, "actor_id": request.user.pk, **scenario}
                job = job_start(
                    kind=WHAT_IF,
                    actor=request.user,
                    unit=period.unit,
                    params={**params, "query": query.urlencode()},
                )
                return job_follow(job)
            result = what_if(period, **scenario)
        except ValidationError as error:
            form.add_error(None, error)
    if result is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(what_if_xlsx(result), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{what_if_file_name(period)}"'
        return response
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "reviews/period_what_if.html",
        {"period": period, "form": form, "result": result, "xlsx_query": query.urlencode()},
    )
