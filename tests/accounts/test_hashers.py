"""One-time passwords: random, hashed fast, refused for anything else, re-hashed at login."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher

from thuocdo.accounts.hashers import (
    OneTimePasswordHasher,
    onetime_password_generate,
    onetime_password_hash,
)


def test_a_generated_password_has_three_groups_of_unambiguous_symbols() -> None:
    passwords = {onetime_password_generate() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}", password)
        assert not set(password) & set("0O1lI")


def test_the_hash_verifies_only_its_password() -> None:
    password = onetime_password_generate()
    encoded = onetime_password_hash(password)
    assert encoded.startswith("onetime_pbkdf2_sha256$1$")
    assert isinstance(identify_hasher(encoded), OneTimePasswordHasher)
    assert check_password(password, encoded)
    assert not check_password(password.upper() + "x", encoded)


@pytest.mark.parametrize("password", ["canhan123", "ThuocDo@2026", "abcd-efgh", ""])
def test_a_chosen_password_may_not_use_the_fast_hasher(password: str) -> None:
    with pytest.raises(ValueError, match="generated one-time"):
        onetime_password_hash(password)


def test_the_first_login_rehashes_with_the_default_hasher(world) -> None:
    user = world.users["nobody"]
    password = onetime_password_generate()
    user.password = onetime_password_hash(password)
    user.save()
    assert user.check_password(password)
    user.refresh_from_db()
    assert not user.password.startswith("onetime_")
    assert user.check_password(password)
