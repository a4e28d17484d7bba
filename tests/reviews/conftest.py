"""Fixtures shared by the annual and monthly review tests."""

from __future__ import annotations

import pytest

from tests.conftest import _person, _post, _user
from thuocdo.org import services as org


@pytest.fixture
def duc(world):
    """Đỗ Văn Đức, chairman of Phường Một: Lena's head (she is his deputy and leads the ward's
    staff)."""
    user = _user("duc")
    person = _person("CB-D", "Đỗ Văn Đức", "male", 1970, user)
    _post(person, world.p1, "Chủ tịch UBND phường", is_head=True)
    org.role_assign(actor=None, user=user, role="head", unit=world.p1)
    return user
