"""Who may see and run a confidence vote; an out-of-scope campaign is answered as a missing
one (404). The system administrator runs campaigns but never handles ballots (DESIGN §2)."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from thuocdo.ballots.models import Campaign, PaperBatch
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for


def can_organise(actor: Any, unit: Unit) -> bool:
    """Ban Tổ chức over the unit's subtree, or the system administrator."""
    scope = scope_for(actor)
    return scope.everything or any(unit.path.startswith(p) for p in scope.write_paths)


def can_count(actor: Any, unit: Unit) -> bool:
    """The counting committee: organisers over the unit, never the administrator as such."""
    return any(unit.path.startswith(p) for p in scope_for(actor).write_paths)


def campaigns_q(actor: Any) -> Q:
    """Filter on Campaign: organisers over the unit's subtree, administrators. A head, who may
    be on the ballot, reads the published result on the person's record like everyone else."""
    scope = scope_for(actor)
    if scope.everything:
        return Q()
    paths = (Q(unit__path__startswith=p) for p in scope.write_paths)
    return reduce(or_, paths, Q(pk__in=[]))


def access_campaign(actor: Any, campaign_id: int | str, *, write: bool = False) -> Campaign:
    """The campaign if the actor may see it, else 404; 403 if read-only and write."""
    try:
        campaign = (
            Campaign.objects.filter(campaigns_q(actor))
            .select_related("unit", "unit__parent")
            .get(pk=int(campaign_id))
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy cuộc lấy phiếu.") from None
    if write and not can_organise(actor, campaign.unit):
        raise PermissionDenied("Bạn chỉ có quyền xem cuộc lấy phiếu này.")
    return campaign


def access_batch(actor: Any, batch_id: int | str) -> PaperBatch:
    """A paper batch, for the counting committee of its campaign only (404 for anyone else)."""
    try:
        batch = PaperBatch.objects.select_related("campaign__unit").get(pk=int(batch_id))
    except (PaperBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy tập phiếu.") from None
    if not can_count(actor, batch.campaign.unit):
        raise Http404("Không tìm thấy tập phiếu.")
    return batch
