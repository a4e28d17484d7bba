"""Sealed ballots (docs/ballots.md, "Sealed until the close"). While a vote is open an electronic
ballot is stored encrypted: AES-GCM under a key derived from SECRET_KEY and the campaign (HKDF),
a random nonce, the campaign as associated data, and the marks padded to one length for the
whole campaign, so the ciphertext tells neither the choices nor their length. No timestamp
(which is why not Fernet: its tokens carry the time in clear).

The voter's transaction writes the sealed row and the roll's "has voted" mark together, so the
database can pair them (PostgreSQL's xmin); it cannot read the sealed row. At the close the
sealed rows are opened, shuffled and written as `Ballot` rows in one transaction, and
`vacuum_after_close` rewrites the tables so no dead row version keeps what was deleted.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection

from thuocdo.rules import confidence as rules

NONCE_BYTES = 12
logger = logging.getLogger(__name__)


def _keys(campaign_id: int) -> list[AESGCM]:
    """The campaign's key under SECRET_KEY, then under each SECRET_KEY_FALLBACKS (a key
    rotated while a vote is open, the old one kept as a fallback, still opens them)."""
    secrets_ = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [
        AESGCM(
            HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=b"thuocdo.ballots.seal",
                info=f"campaign:{campaign_id}".encode(),
            ).derive(str(secret).encode())
        )
        for secret in secrets_
    ]


def _text(marks: Mapping[str, str]) -> str:
    return json.dumps(dict(sorted(marks.items())), separators=(",", ":"))


def sealed_width(candidate_keys: Iterable[str]) -> int:
    """The padded length of a ballot's text: every cadre marked with the longest choice."""
    longest = max(rules.CHOICES, key=len)
    return len(_text({key: longest for key in candidate_keys}))


def seal(campaign_id: int, marks: Mapping[str, str], width: int) -> bytes:
    """The marks encrypted, `width` characters before encryption whatever the choices."""
    text = _text(marks)
    assert len(text) <= width, "a ballot longer than its campaign's width"
    nonce = secrets.token_bytes(NONCE_BYTES)
    aad = f"campaign:{campaign_id}".encode()
    return nonce + _keys(campaign_id)[0].encrypt(nonce, text.ljust(width).encode(), aad)


def unseal(campaign_id: int, sealed: bytes) -> dict[str, str]:
    """The marks of a sealed ballot of this campaign; a Vietnamese refusal if no key opens it."""
    nonce, body = bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:])
    aad = f"campaign:{campaign_id}".encode()
    for key in _keys(campaign_id):
        try:
            marks: dict[str, str] = json.loads(key.decrypt(nonce, body, aad))
        except InvalidTag:
            continue
        return marks
    raise ValidationError(
        "Không mở được phiếu đã niêm phong: khóa bí mật của hệ thống (THUOCDO_SECRET_KEY) đã "
        "thay đổi từ khi mở bỏ phiếu. Hãy đặt lại khóa cũ rồi kiểm phiếu lại."
    )


# Other transactions of the database whose snapshot is older than the close's: while one is
# open VACUUM FULL must keep the rows it can still see (a backup's pg_dump, a long report).
OLDER_SNAPSHOTS = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND (age(backend_xmin) >= age(%s::xid) OR age(backend_xid) >= age(%s::xid))
"""
SNAPSHOT_WAIT_SECONDS = 10


def close_xid() -> str | None:
    """The close's transaction id on PostgreSQL (what the deleted rows' versions carry)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT mod(pg_current_xact_id()::text::bigint, 4294967296)::text")
        row = cursor.fetchone()
    return str(row[0]) if row else None


def vacuum_after_close(tables: Iterable[str], xid: str | None = None) -> None:
    """Rewrite the ballot tables once the close has committed, so that no dead row version
    (a sealed ballot, a roll line as it was while voting, a batch's paper ballots) survives in
    the table files: VACUUM FULL on PostgreSQL; on SQLite the deletes were made with
    secure_delete on and the WAL is checkpointed. A failure leaves the close valid: it is
    logged and the operator runs the same statement (docs/ballots.md)."""
    names = ", ".join(connection.ops.quote_name(t) for t in tables)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # VACUUM FULL waits for an exclusive lock: not behind a backup for ever.
                older = _wait_for_older_snapshots(cursor, xid)
                if older:
                    logger.warning("%s older transaction(s) open: run VACUUM FULL again", older)
                cursor.execute("SET lock_timeout = '30s'")
                try:
                    cursor.execute(f"VACUUM (FULL, ANALYZE) {names}")
                finally:
                    cursor.execute("RESET lock_timeout")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError as error:
        logger.warning("VACUUM FULL after closing a vote failed (%s): run it by hand", error)


def _wait_for_older_snapshots(cursor: Any, xid: str | None) -> int:
    """Wait a little for the transactions older than the close to end; how many remain."""
    older = 0
    for _ in range(SNAPSHOT_WAIT_SECONDS * 4):
        if xid is None:
            return 0
        cursor.execute(OLDER_SNAPSHOTS, [xid, xid])
        older = int(cursor.fetchone()[0])
        if not older:
            return 0
        time.sleep(0.25)
    return older
