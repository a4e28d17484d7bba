"""Pages of confidence votes: the organiser's campaign, the counting committee's paper batches,
the documents, and the voter's ballot (no account; nothing about the voter is kept)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.ballots import documents, services
from thuocdo.ballots import selectors as sel
from thuocdo.ballots.forms import BallotForm, BatchForm, CampaignForm, CodeForm, PaperIssueForm
from thuocdo.ballots.models import Campaign
from thuocdo.ballots.permissions import access_batch, access_campaign, can_count, can_organise
from thuocdo.numbers import whole_number
from thuocdo.rules.confidence import CHOICE_LABELS
from thuocdo.security.inputs import query_int
from thuocdo.web.throttle import code_failure_record, code_throttled

# Wrong codes allowed per client address per hour on the voter's page (a right code is spent
# on first use, so it cannot be replayed either).
MAX_BATCH_ROWS = 100


def _errors(error: ValidationError | PermissionDenied) -> str:
    return str(error) if isinstance(error, PermissionDenied) else " ".join(error.messages)


def _back(campaign: Campaign) -> HttpResponse:
    return redirect("ballots:campaign-detail", campaign_id=campaign.pk)


# -- the organiser ----------------------------------------------------------------------------


@require_GET
@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns in the user's scope, with their turnout."""
    units = sel.writable_units(actor=request.user)
    return render(
        request,
        "ballots/campaign_list.html",
        {"campaigns": sel.campaign_list(actor=request.user), "can_create": units.exists()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Pick the body (unit), then who is voted on, who votes and the rule option."""
    units = sel.writable_units(actor=request.user)
    unit = units.filter(pk=query_int(request.GET.get("don-vi"), field="don-vi") or 0).first()
    if unit is None:
        text = request.GET.get("tim", "").strip()[:100]
        found = sel.units_matching(units, text)
        page = Paginator(found, 50).get_page(request.GET.get("trang"))
        return render(
            request,
            "ballots/campaign_pick.html",
            {"page": page, "text": text, "total": units.count(), "query": urlencode({"tim": text})},
        )
    form = CampaignForm(request.POST or None, people=sel.unit_members(unit))
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, unit=unit, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return _back(campaign)
    return render(request, "ballots/campaign_form.html", {"unit": unit, "form": form})


@require_GET
@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign: people on the ballot, turnout, paper batches, result once counted."""
    campaign = access_campaign(request.user, campaign_id)
    voted, summoned = sel.turnout(campaign)
    counter = can_count(request.user, campaign.unit)
    context = {
        "campaign": campaign,
        "candidates": campaign.candidates.select_related("person"),
        "voted": voted,
        "summoned": summoned,
        "can_run": can_organise(request.user, campaign.unit),
        "can_count": counter,
        "batches": sel.batches_of(campaign) if counter else None,
        "paper_form": PaperIssueForm(roll=sel.roll_people(campaign)) if counter else None,
        "counted": sel.campaign_result(campaign),
    }
    return render(request, "ballots/campaign_detail.html", context)


@never_cache
@require_POST
@login_required
def campaign_open(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Open the vote: the codes are shown once, to print and hand out."""
    campaign = access_campaign(request.user, campaign_id, write=True)
    try:
        issued = services.campaign_open(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back(campaign)
    return render(request, "ballots/campaign_codes.html", {"issued": issued})


@require_POST
@login_required
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Close the vote and count."""
    campaign = access_campaign(request.user, campaign_id, write=True)
    try:
        result = services.campaign_close(actor=request.user, campaign=campaign)
        messages.success(request, f"Đã kiểm phiếu: cuộc lấy phiếu {result.status}.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return _back(campaign)


@require_POST
@login_required
def campaign_publish(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Publish the counted result."""
    campaign = access_campaign(request.user, campaign_id, write=True)
    try:
        services.campaign_publish(actor=request.user, campaign=campaign)
        messages.success(request, "Đã công bố kết quả lấy phiếu tín nhiệm.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return _back(campaign)


# -- the counting committee -------------------------------------------------------------------


def _counting_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = access_campaign(request.user, campaign_id)
    if not can_count(request.user, campaign.unit):
        raise Http404("Không tìm thấy cuộc lấy phiếu.")
    return campaign


@require_POST
@login_required
def paper_issue(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Record who received a paper ballot (their code stops working)."""
    campaign = _counting_campaign(request, campaign_id)
    form = PaperIssueForm(request.POST, roll=sel.roll_people(campaign))
    if not form.is_valid():
        messages.error(request, "Chưa chọn người nhận phiếu giấy.")
        return _back(campaign)
    try:
        count = services.paper_issue(
            actor=request.user, campaign=campaign, people=list(form.cleaned_data["people"])
        )
        messages.success(request, f"Đã phát {count} phiếu giấy.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return _back(campaign)


@require_GET
@login_required
def paper_pdf(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Blank paper ballots to print (as many as people summoned)."""
    campaign = access_campaign(request.user, campaign_id)
    pdf = documents.paper_ballots_pdf(campaign, copies=max(campaign.roll.count(), 1))
    response = HttpResponse(pdf, content_type=documents.PDF)
    response["Content-Disposition"] = f'attachment; filename="phieu-tin-nhiem-{campaign.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def batch_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Enter a batch of paper ballots, one row per ballot."""
    campaign = _counting_campaign(request, campaign_id)
    asked = request.GET.get("so-phieu", "")
    rows = min(max(whole_number(asked) or 10, 1), MAX_BATCH_ROWS)
    candidates = list(campaign.candidates.select_related("person"))
    form = BatchForm(request.POST or None, candidates=candidates, rows=rows)
    if request.method == "POST" and not form.is_valid():
        problems = " ".join(str(e) for e in form.non_field_errors())
        messages.error(request, problems or "Có lựa chọn không hợp lệ.")
    elif request.method == "POST":
        try:
            batch = services.batch_enter(
                actor=request.user, campaign=campaign, ballots=form.ballots()
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, f"Đã nhập {batch} ({batch.ballot_count} phiếu).")
            return _back(campaign)
    return render(request, "ballots/batch_form.html", {"campaign": campaign, "form": form})


@require_GET
@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The ballots of a batch, to compare with the paper before confirming."""
    batch = access_batch(request.user, batch_id)
    candidates = list(batch.campaign.candidates.select_related("person"))
    return render(
        request,
        "ballots/batch_detail.html",
        {"batch": batch, "candidates": candidates, "labels": CHOICE_LABELS},
    )


@require_POST
@login_required
def batch_check(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A second member confirms the batch: it now counts."""
    batch = access_batch(request.user, batch_id)
    try:
        services.batch_check(actor=request.user, batch=batch)
        messages.success(request, f"Đã xác nhận {batch}.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return _back(batch.campaign)


@require_POST
@login_required
def batch_discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The member who entered an unchecked batch withdraws it."""
    batch = access_batch(request.user, batch_id)
    try:
        services.batch_discard(actor=request.user, batch=batch)
        messages.success(request, f"Đã hủy {batch}.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return _back(batch.campaign)


# -- the counting record ----------------------------------------------------------------------


def _counted(request: HttpRequest, campaign_id: int) -> sel.CampaignResult:
    counted = sel.campaign_result(access_campaign(request.user, campaign_id))
    if counted is None:
        raise Http404("Chưa kiểm phiếu.")
    return counted


@require_GET
@login_required
def minutes_download(request: HttpRequest, campaign_id: int, extension: str) -> HttpResponse:
    """The counting record (biên bản kiểm phiếu) as Word or PDF."""
    if extension not in ("docx", "pdf"):
        raise Http404("Không có định dạng này.")
    counted = _counted(request, campaign_id)
    on = counted.campaign.meeting_date
    if extension == "docx":
        content, kind = documents.minutes_docx(counted, on=on), documents.DOCX
    else:
        content, kind = documents.minutes_pdf(counted, on=on), documents.PDF
    response = HttpResponse(content, content_type=kind)
    name = f"bien-ban-kiem-phieu-{counted.campaign.pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- the voter (no account) -------------------------------------------------------------------


def _refused(request: HttpRequest, form: CodeForm, message: str) -> HttpResponse:
    code_failure_record("ballots", request.POST.get("code", ""))
    form.add_error("code", message)
    return render(request, "ballots/vote_code.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def ballot_create(request: HttpRequest) -> HttpResponse:
    """The voter types the code, then marks the ballot once; nothing about them is kept."""
    form = CodeForm(request.POST or None)
    if request.method == "GET":
        return render(request, "ballots/vote_code.html", {"form": form})
    throttled = code_throttled("ballots", request.POST.get("code", ""))
    if throttled:
        context = {"form": form, "throttled": throttled}
        return render(request, "ballots/vote_code.html", context, status=429)
    if not form.is_valid():
        return _refused(request, form, services.CODE_REFUSED)
    try:
        campaign = services.credential_campaign(form.cleaned_data["code"])
    except ValidationError as error:
        return _refused(request, form, _errors(error))
    candidates = list(campaign.candidates.select_related("person"))
    ballot = BallotForm(
        request.POST if "voting" in request.POST else None,
        initial={"code": form.cleaned_data["code"]},
        candidates=candidates,
    )
    if ballot.is_bound and ballot.is_valid():
        try:
            services.ballot_cast(code=ballot.cleaned_data["code"], marks=ballot.marks())
        except ValidationError as error:
            return _refused(request, form, _errors(error))
        return render(request, "ballots/vote_done.html")
    return render(request, "ballots/vote_form.html", {"campaign": campaign, "form": ballot})
