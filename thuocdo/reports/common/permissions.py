"""Who sees reports, built on the one scope mechanism (thuocdo.org.scope).

A distribution report is a statement about a unit's whole subtree, so it is open to those who
see subtrees: heads and organisers (their unit and everything below) and system
administrators. A unit outside that answers 404, exactly like a unit that does not exist.
Importing history is for organisers (into their subtree) and system administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from thuocdo.org.models import Unit
from thuocdo.org.scope import Scope, _paths_q, scope_for

NOT_FOUND = "Không tìm thấy đơn vị."


def report_units_q(scope: Scope) -> Q:
    """Filter on Unit for the units whose reports a scope may see."""
    if scope.everything:
        return Q()
    return _paths_q("path", scope.subtree_paths)


def access_report_unit(actor: Any, code: str | None) -> Unit:
    """The unit with this code if the actor may see its report; 404 otherwise."""
    if not code:
        raise Http404(NOT_FOUND)
    unit = Unit.objects.filter(report_units_q(scope_for(actor)), code=code).first()
    if unit is None:
        raise Http404(NOT_FOUND)
    return unit


def report_root_units(actor: Any) -> list[Unit]:
    """The highest units whose reports the actor may see (where the report page opens)."""
    scope = scope_for(actor)
    if scope.everything:
        return list(Unit.objects.filter(parent__isnull=True).order_by("path"))
    # A subtree inside another of the actor's subtrees is not a root of its own.
    paths = [
        p
        for p in scope.subtree_paths
        if not any(p != o and p.startswith(o) for o in scope.subtree_paths)
    ]
    return list(Unit.objects.filter(path__in=paths).order_by("path"))


def may_see_reports(actor: Any) -> bool:
    """True if the actor may open any report (for the menu and the page)."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.subtree_paths)


def may_import_history(actor: Any) -> bool:
    """Only organisers and system administrators import past results."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.write_paths)
