"""Who sees and who changes target sets, built on the one scope mechanism (thuocdo.org.scope).

Seeing: heads and organisers the sets of their subtree, leaders the sets of the units they
lead, an authority the sets of the heads whose posts it manages, a person the sets assigned to
them. Changing targets (create, assign, close, indicators): organisers over their subtree and
system administrators. Recording actuals: also the head of a unit in the subtree (the unit
reports its own results, with evidence). Recording the council's assessment: organisers,
administrators and the authority managing the head. An object out of scope answers 404.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from thuocdo.org.models import Post, Role
from thuocdo.org.scope import Scope, _paths_q, scope_for, today
from thuocdo.targets.models import TargetSet

Action = Literal["manage", "actuals", "council"]

REFUSED = {
    "manage": "Chỉ Ban Tổ chức được giao, điều chỉnh chỉ tiêu.",
    "actuals": "Bạn chỉ có quyền xem kết quả thực hiện chỉ tiêu này.",
    "council": "Chỉ Ban Tổ chức hoặc cấp có thẩm quyền được ghi đánh giá của Hội đồng tư vấn.",
}


def _managed_head_q(authority_ids: tuple[int, ...], at: datetime.date) -> Q:
    """Sets whose head holds a post, on `at`, managed by one of the authorities."""
    managed = Post.objects.active(at).filter(
        person=OuterRef("head_person"), managed_by__in=authority_ids
    )
    return Q(head_post__managed_by__in=authority_ids) | Q(Exists(managed))


def target_sets_q(scope: Scope, at: datetime.date | None = None) -> Q:
    """Filter on TargetSet for the sets a scope may see."""
    if scope.everything:
        return Q()
    q = _paths_q("unit__path", scope.subtree_paths) | Q(unit_id__in=scope.led_unit_ids)
    if scope.authority_ids:
        q |= _managed_head_q(scope.authority_ids, at or today())
    if scope.person_id:
        q |= Q(head_person_id=scope.person_id)
    return q


def target_sets_write_q(scope: Scope, action: Action = "manage") -> Q:
    """Filter on TargetSet for the sets a scope may change in the given way."""
    if scope.everything:
        return Q()
    q = _paths_q("unit__path", scope.write_paths)
    if action == "actuals" and Role.HEAD in scope.roles:
        q |= _paths_q("unit__path", scope.subtree_paths)
    if action == "council" and scope.authority_ids:
        q |= _managed_head_q(scope.authority_ids, today())
    return q


def access_target_set(
    actor: Any, set_id: int | str, *, write: bool = False, action: Action = "manage"
) -> TargetSet:
    """Return the set if the actor may see it; 404 otherwise, 403 if it may not do `action`."""
    scope = scope_for(actor)
    visible = TargetSet.objects.filter(target_sets_q(scope)).select_related("unit", "head_person")
    try:
        target_set = visible.get(pk=int(set_id))
    except (TargetSet.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy bộ chỉ tiêu.") from None
    if write and not can_change(actor, target_set, action):
        raise PermissionDenied(REFUSED[action])
    return target_set


def can_change(actor: Any, target_set: TargetSet, action: Action = "manage") -> bool:
    """True if the actor may change the set in the given way (for showing buttons, too)."""
    scope = scope_for(actor)
    return TargetSet.objects.filter(target_sets_write_q(scope, action), pk=target_set.pk).exists()


def may_create_targets(actor: Any) -> bool:
    """Only organisers and system administrators assign targets."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.write_paths)
