"""A fast hasher for one-time passwords only, so a city's accounts can be created in one go.

Django's default hasher (PBKDF2, 1,000,000 iterations) costs about a third of a second per
password on one core: 200,000 accounts would take most of a day. Key stretching protects
passwords people choose, which are guessable; a one-time password is drawn by `secrets` from
55 symbols, 12 of them (69 bits), so even one SHA-256 per guess leaves an attacker holding
the database about 2^68 guesses per account, centuries on a GPU farm. The hasher is therefore
used only by `onetime_password_hash` for passwords this module generated, is never the default
(it is last in PASSWORD_HASHERS), and the hash is replaced by the default hasher's at the
first login (Django re-hashes a password whose hasher is not the preferred one), before the
user is made to choose their own password.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password

# No 0/O, 1/l/I: the password is read from paper and typed by hand.
ONETIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONETIME_GROUPS = 3
ONETIME_GROUP_LENGTH = 4
_ONETIME_SHAPE = re.compile(
    rf"[{ONETIME_ALPHABET}]{{{ONETIME_GROUP_LENGTH}}}"
    rf"(-[{ONETIME_ALPHABET}]{{{ONETIME_GROUP_LENGTH}}}){{{ONETIME_GROUPS - 1}}}"
)


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with one iteration (a salted HMAC-SHA256), for generated one-time passwords."""

    algorithm = "onetime_pbkdf2_sha256"
    iterations = 1

    def verify(self, password: str, encoded: str) -> bool:
        """Check the password, then spend what the default hasher would, so the time of a
        login does not tell which accounts still hold their one-time password."""
        correct = bool(super().verify(password, encoded))
        default: Any = get_hasher("default")
        default.encode(password, default.salt())
        return correct


def onetime_password_generate() -> str:
    """A random password such as «Kx7m-Pq3r-Tz9w» (69 bits), easy to read and type."""
    # One read of the system's random source per password (secrets.choice reads once per
    # symbol: a quarter of the time of a city's accounts); bytes past the last whole multiple
    # of the alphabet's size are dropped, so every symbol stays equally likely.
    size = len(ONETIME_ALPHABET)
    limit = 256 - 256 % size
    length = ONETIME_GROUPS * ONETIME_GROUP_LENGTH
    symbols: list[str] = []
    while len(symbols) < length:
        symbols += [
            ONETIME_ALPHABET[b % size] for b in secrets.token_bytes(2 * length) if b < limit
        ]
    symbols = symbols[:length]
    step = ONETIME_GROUP_LENGTH
    return "-".join("".join(symbols[i : i + step]) for i in range(0, length, step))


def onetime_password_hash(password: str) -> str:
    """The stored form of a password made by `onetime_password_generate` (never another)."""
    if not _ONETIME_SHAPE.fullmatch(password):
        raise ValueError("Only generated one-time passwords may use the fast hasher.")
    # A 128-bit salt from one read of the random source (Django's draws 22 symbols one by one).
    salt = secrets.token_urlsafe(16)
    return str(make_password(password, salt=salt, hasher=OneTimePasswordHasher()))
