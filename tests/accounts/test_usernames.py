"""Logins from Vietnamese names: given name, initials of the others, no diacritics, unique."""

from __future__ import annotations

import pytest

from thuocdo.accounts.usernames import username_base, usernames_assign


@pytest.mark.parametrize(
    ("full_name", "code", "login"),
    [
        ("Nguyễn Thị Hồng Nhung", "", "nhungnth"),
        ("Đặng Văn Đức", "", "ducdv"),
        ("Lê Ánh", "", "anhl"),
        ("  Trần   Thị  Ý  ", "", "ytt"),
        ("H'Hen Niê", "", "nieh"),
        ("", "CB-0012", "cbcb0012"),
    ],
)
def test_base_login_of_a_name(full_name: str, code: str, login: str) -> None:
    assert username_base(full_name, code) == login


def test_taken_logins_get_the_lowest_free_number() -> None:
    taken = {"annv", "annv2"}
    names = [("Nguyễn Văn An", "1"), ("Ngô Văn An", "2"), ("Nguyễn Thị Bình", "3")]
    assert usernames_assign(names, taken) == ["annv3", "annv4", "binhnt"]
    assert {"annv3", "annv4", "binhnt"} <= taken
