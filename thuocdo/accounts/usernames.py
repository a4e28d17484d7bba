"""Logins derived from Vietnamese names: «Nguyễn Thị Hồng Nhung» becomes «nhungnth».

The given name in full, then the first letter of every other word, without diacritics: the
convention of Vietnamese government mailboxes. A login already taken gets the lowest number
that frees it («nhungnth2», «nhungnth3»...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from thuocdo.org.names import fold

USERNAME_MAX = 150
_NOT_LOGIN = re.compile(r"[^a-z0-9]")


def username_base(full_name: str, code: str = "") -> str:
    """The login a name gives before any number is added; from the code if the name has none."""
    words = [w for w in (_NOT_LOGIN.sub("", word) for word in fold(full_name).split()) if w]
    if words:
        base = words[-1] + "".join(word[0] for word in words[:-1])
    else:
        base = "cb" + _NOT_LOGIN.sub("", fold(code))
    return base[: USERNAME_MAX - 8] or "canbo"


def usernames_assign(names: Iterable[tuple[str, str]], taken: set[str]) -> list[str]:
    """One free login per (full name, code), in order; `taken` (lower case) grows with them."""
    result: list[str] = []
    next_number: dict[str, int] = {}
    for full_name, code in names:
        base = username_base(full_name, code)
        candidate = base
        number = next_number.get(base, 1)
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        next_number[base] = number
        taken.add(candidate)
        result.append(candidate)
    return result
