"""The registry import's cast: a city "TP" with two sibling districts "Q1" and "Q2"; root
(system administrator), olga (organiser of Q1) and the authority "BTV" of the city."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from thuocdo.org import services
from thuocdo.org.models import Authority, Unit, User


@dataclass
class Org:
    city: Unit
    q1: Unit
    q2: Unit
    btv: Authority
    root: User
    olga: User


@pytest.fixture
def org() -> Org:
    root = services.user_create(
        actor=None, username="root", password="x", is_superuser=True, is_staff=True
    )
    city = services.unit_create(actor=root, code="TP", name="Thành phố Mẫu", kind="party")
    q1 = services.unit_create(actor=root, code="Q1", name="Quận Một", kind="party", parent=city)
    q2 = services.unit_create(actor=root, code="Q2", name="Quận Hai", kind="party", parent=city)
    btv = services.authority_create(actor=root, code="BTV", name="BTV Thành ủy", unit=city)
    olga = services.user_create(actor=root, username="olga", password="x")
    services.role_assign(actor=root, user=olga, role="organiser", unit=q1)
    return Org(city=city, q1=q1, q2=q2, btv=btv, root=root, olga=olga)
