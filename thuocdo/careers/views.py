"""Pages of careers: review cases, the person's dossier (and its PDF), planning pools, training
and rotation records. Thin: access → form → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.careers import exports, services
from thuocdo.careers import selectors as sel
from thuocdo.careers.forms import (
    CandidateForm,
    CaseDecisionForm,
    CaseFilterForm,
    PoolForm,
    PoolRulesForm,
    RotationForm,
    TrainingForm,
)
from thuocdo.careers.models import CaseOutcome, PlanningPool, PoolCandidate
from thuocdo.careers.permissions import (
    access_pool,
    cases_people_q,
    may_decide,
    may_manage_pools,
    may_see_cases,
    pool_units,
    pools_q,
)
from thuocdo.org.models import Person, Unit
from thuocdo.org.permissions import access_person
from thuocdo.org.scope import people_write_q, scope_for, today, units_write_q


def _errors(error: ValidationError | PermissionDenied) -> str:
    return str(error) if isinstance(error, PermissionDenied) else " ".join(error.messages)


def _default_year() -> int:
    """Last year: the year whose classification is concluded early in this one."""
    return today().year - 1


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """ "Trường hợp cần xem xét": the flags of a year in the user's scope, each a case to decide."""
    if not may_see_cases(request.user):
        raise Http404("Không tìm thấy trang.")
    form = CaseFilterForm(request.GET or None)
    year = (form.cleaned_data.get("nam") if form.is_valid() else None) or _default_year()
    cases = sel.case_list(actor=request.user, year=year)
    rows = [(c, may_decide(request.user, c.person)) for c in cases]
    context = {"form": form, "year": year, "rows": rows, "outcomes": CaseOutcome.choices}
    return render(request, "careers/case_list.html", context)


@require_POST
@login_required
def case_decide(request: HttpRequest) -> HttpResponse:
    """Record the authority's decision on a case, with its reason."""
    form = CaseDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("careers:case-list")
    data = form.cleaned_data
    person = Person.objects.filter(cases_people_q(request.user), pk=data["person"]).first()
    if person is None:
        raise Http404("Không tìm thấy cán bộ.")
    try:
        services.case_decide(
            actor=request.user,
            person=person,
            rule=data["rule"],
            year=data["year"],
            outcome=data["outcome"],
            reason=data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"Đã ghi quyết định về {person.full_name}.")
    return redirect(reverse("careers:case-list") + f"?nam={data['year']}")


@require_GET
@login_required
def dossier_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """ "Hồ sơ đánh giá": everything the evaluation record says about one person."""
    person = access_person(request.user, person_id)
    dossier = sel.dossier_build(person)
    may_write = Person.objects.filter(
        people_write_q(scope_for(request.user)), pk=person.pk
    ).exists()
    return render(request, "careers/dossier_detail.html", {"d": dossier, "may_write": may_write})


@require_GET
@login_required
def dossier_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    """The dossier as a PDF."""
    dossier = sel.dossier_build(access_person(request.user, person_id))
    response = HttpResponse(exports.dossier_pdf(dossier), content_type=exports.PDF)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(dossier)}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def training_create(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record a course, degree or certificate (organisers over the person)."""
    person = access_person(request.user, person_id, write=True)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record(actor=request.user, person=person, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return redirect("careers:dossier-detail", person_id=person.pk)
    return render(request, "careers/training_form.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def rotation_create(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record a rotation or transfer: the old post ends, the new one starts."""
    person = access_person(request.user, person_id, write=True)
    units = Unit.objects.filter(units_write_q(scope_for(request.user)), is_active=True)
    form = RotationForm(request.POST or None, person=person, units=units.order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            services.rotation_record(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return redirect("careers:dossier-detail", person_id=person.pk)
    return render(request, "careers/rotation_form.html", {"person": person, "form": form})


@require_GET
@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    """The planning pools the user may see."""
    pools = PlanningPool.objects.filter(pools_q(request.user)).select_related("unit")
    context = {"pools": pools, "may_create": bool(pool_units(request.user))}
    return render(request, "careers/pool_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def pool_create(request: HttpRequest) -> HttpResponse:
    """Open a pool for a title and term (organisers)."""
    units = pool_units(request.user)
    if not units:
        raise PermissionDenied("Chỉ Ban Tổ chức được lập quy hoạch.")
    form = PoolForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return redirect("careers:pool-detail", pool_id=pool.pk)
    return render(request, "careers/pool_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def pool_detail(request: HttpRequest, pool_id: int) -> HttpResponse:
    """A pool: each candidate eligible or why not (rule and year), its structure and
    warnings; organisers add candidates here."""
    pool = access_pool(request.user, pool_id, write=request.method == "POST")
    people = Person.objects.filter(people_write_q(scope_for(request.user)))
    form = CandidateForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_candidate_add(
                actor=request.user,
                pool=pool,
                person=form.cleaned_data["code"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return redirect("careers:pool-detail", pool_id=pool.pk)
    context = {
        "view": sel.pool_view(pool),
        "form": form,
        "rules_form": PoolRulesForm(initial={"conditions": pool.rules}),
        "may_manage": may_manage_pools(request.user, pool.unit),
    }
    return render(request, "careers/pool_detail.html", context)


@require_POST
@login_required
def pool_rules(request: HttpRequest, pool_id: int) -> HttpResponse:
    """Replace the pool's eligibility rules; every problem is listed."""
    pool = access_pool(request.user, pool_id, write=True)
    form = PoolRulesForm(request.POST)
    if form.is_valid():
        try:
            services.pool_rules_set(
                actor=request.user, pool=pool, conditions=form.cleaned_data["conditions"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, "Đã lưu điều kiện quy hoạch.")
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("conditions", [])))
    return redirect("careers:pool-detail", pool_id=pool.pk)


@require_POST
@login_required
def pool_candidate_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Take a person out of a pool, with the reason."""
    entry = PoolCandidate.objects.filter(
        pool__in=PlanningPool.objects.filter(pools_q(request.user))
    )
    found = entry.select_related("pool__unit", "person").filter(pk=entry_id).first()
    if found is None:
        raise Http404("Không tìm thấy người trong quy hoạch.")
    access_pool(request.user, found.pool_id, write=True)
    try:
        services.pool_candidate_remove(
            actor=request.user, entry=found, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"Đã đưa {found.person.full_name} ra khỏi quy hoạch.")
    return redirect("careers:pool-detail", pool_id=found.pool_id)
