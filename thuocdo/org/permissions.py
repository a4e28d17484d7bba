"""Access checks: an object out of scope is reported exactly as a missing one (404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from thuocdo.org.models import Person, Unit
from thuocdo.org.scope import people_q, people_write_q, scope_for, units_q, units_write_q


def access_unit(actor: Any, unit_id: int | str, *, write: bool = False) -> Unit:
    """Return the unit if the actor may see it; 404 otherwise, 403 if read-only and write."""
    scope = scope_for(actor)
    try:
        unit = Unit.objects.filter(units_q(scope)).get(pk=int(unit_id))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đơn vị.") from None
    if write and not Unit.objects.filter(units_write_q(scope), pk=unit.pk).exists():
        raise PermissionDenied("Bạn chỉ có quyền xem đơn vị này.")
    return unit


def access_unit_by_code(actor: Any, code: str, *, write: bool = False) -> Unit:
    """access_unit for a unit named by its code (API and command line)."""
    pk = Unit.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404("Không tìm thấy đơn vị.")
    return access_unit(actor, pk, write=write)


def access_person(actor: Any, person_id: int | str, *, write: bool = False) -> Person:
    """Return the person if the actor may see them; 404 otherwise, 403 if read-only and write."""
    scope = scope_for(actor)
    try:
        person = Person.objects.filter(people_q(scope)).get(pk=int(person_id))
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy cán bộ.") from None
    if write and not Person.objects.filter(people_write_q(scope), pk=person.pk).exists():
        raise PermissionDenied("Bạn chỉ có quyền xem hồ sơ này.")
    return person
