"""PostgreSQL's client tools (pg_dump, pg_restore, psql) of the server's major version, and
the environment that points them at the configured database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from thuocdo.ops.manifest import BackupError


def server_major(alias: str = "default") -> int:
    """The major version of the PostgreSQL server (15 for 15.20)."""
    connection = connections[alias]
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def server_version(alias: str = "default") -> str:
    """The server's version as it names it ("15.20")."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return str(row[0]).split()[0] if row else ""


def tool(name: str, alias: str = "default") -> str:
    """The path of a client tool: THUOCDO_PG_BIN_DIR, else Debian's folder of the server's
    major version, else the PATH; a clear error when none is there."""
    candidates = []
    if settings.PG_BIN_DIR:
        candidates.append(Path(settings.PG_BIN_DIR) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{server_major(alias)}/bin") / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise BackupError(
        f"Không tìm thấy {name} (công cụ của PostgreSQL {server_major(alias)}): hãy cài gói "
        f"postgresql-client-{server_major(alias)} hoặc đặt THUOCDO_PG_BIN_DIR."
    )


def libpq_env(alias: str = "default") -> dict[str, str]:
    """The process environment with PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE set from the
    database settings, so no password appears on a command line."""
    params: dict[str, Any] = connections[alias].settings_dict
    env = dict(os.environ)
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = params.get(key)
        if value:
            env[name] = str(value)
        else:
            env.pop(name, None)
    env["PGAPPNAME"] = "thuocdo-backup"
    return env
