"""Pages of the organisation registry: tree, unit, people list, person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from thuocdo.jobs.models import Job
from thuocdo.org import selectors
from thuocdo.org.forms import ImportForm, PeopleSearchForm
from thuocdo.org.imports import WORKBOOKS
from thuocdo.org.jobs import ORG_IMPORT, REFUSAL, may_import_registry
from thuocdo.org.permissions import access_person, access_unit
from thuocdo.spreadsheets.background import import_job_start
from thuocdo.spreadsheets.web import template_response, upload_page
from thuocdo.web.http import HtmxHttpRequest


@require_GET
@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The organisation tree from the top units the user may see."""
    roots = selectors.unit_roots(actor=request.user)
    counts = selectors.unit_headcounts(roots)
    nodes = [(u, counts[u.pk]) for u in roots]
    return render(request, "org/unit_tree.html", {"nodes": nodes})


@require_GET
@login_required
def unit_children(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One level of the tree under a unit (an htmx fragment)."""
    unit = access_unit(request.user, unit_id)
    children = selectors.unit_children(actor=request.user, unit=unit)
    counts = selectors.unit_headcounts(children)
    nodes = [(u, counts[u.pk]) for u in children]
    return render(request, "org/unit_tree.html#branch", {"nodes": nodes})


@require_GET
@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit: where it sits, its sub-units and the people holding posts in it."""
    unit = access_unit(request.user, unit_id)
    children = selectors.unit_children(actor=request.user, unit=unit)
    counts = selectors.unit_headcounts([unit, *children])
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "headcount": counts[unit.pk],
        "nodes": [(u, counts[u.pk]) for u in children],
        "posts": selectors.unit_people(actor=request.user, unit=unit),
    }
    return render(request, "org/unit_detail.html", context)


@require_GET
@login_required
def person_list(request: HtmxHttpRequest) -> HttpResponse:
    """People the user may see, searchable without diacritics, sorted the Vietnamese way."""
    form = PeopleSearchForm(request.GET or None, actor=request.user)
    filters = form.filters() if form.is_valid() else selectors.PeopleFilter()
    people = selectors.person_list(actor=request.user, filters=filters).prefetch_related(
        selectors.person_posts_prefetch()
    )
    page = Paginator(people, 50).get_page(request.GET.get("trang"))
    template = "org/person_list.html#results" if request.htmx else "org/person_list.html"
    return render(request, template, {"form": form, "page": page})


@require_GET
@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person: posts held, discipline and rewards."""
    person = selectors.person_detail(access_person(request.user, person_id))
    return render(request, "org/person_detail.html", {"person": person})


def _require_registry_writer(request: HttpRequest) -> None:
    """Only organisers and system administrators change the registry."""
    if not may_import_registry(request.user):
        raise PermissionDenied(REFUSAL)


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a workbook, imported by a job: every problem is listed on the job's page and
    nothing is written unless all is well."""
    _require_registry_writer(request)

    def start(data: dict[str, Any]) -> Job:
        return import_job_start(
            kind=ORG_IMPORT, actor=request.user, upload=data["file"], params={"kind": data["kind"]}
        )

    form = ImportForm(request.POST or None, request.FILES or None)
    return upload_page(request, template="org/import_form.html", start=start, form=form)


@require_GET
@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """Download an empty import workbook with its instruction sheet."""
    _require_registry_writer(request)
    if kind not in WORKBOOKS:
        raise Http404("Không có mẫu này.")
    return template_response(WORKBOOKS[kind])


@require_GET
@login_required
def unit_search(request: HttpRequest) -> HttpResponse:
    """The unit picker's suggestions: units the user manages (``?pham_vi=xem``: may see)
    whose name or code holds what was typed, each with its parent."""
    # The picker sends its field's own name (unit, to_unit, ma-don-vi...): the text typed.
    text = next((str(v) for k, v in request.GET.items() if k != "pham_vi"), "")
    write = request.GET.get("pham_vi") != "xem"
    units = selectors.unit_search(actor=request.user, text=text[:100], write=write)
    return render(request, "org/_unit_options.html", {"units": units})
