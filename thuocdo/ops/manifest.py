"""What a backup holds and how to check it: the manifest (version, migrations, counts per table,
checksums) and the rules of what never travels (sessions, API tokens, the job queue, the jobs'
files that hold secrets, and the ballots of a vote still open: docs/operations.md)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"
BALLOT_DIR = "ballots"

# Tables whose rows never reach a backup: logins (sessions, API tokens), the job queue (a
# restored system starts with nothing waiting), the shared cache (failed-code counters) and
# the sealed ballots, which exist only while a vote is open and a vote open travels as a draft
# (docs/ballots.md). Their tables are kept, empty.
# The rows of the jobs' files go with the jobs (their foreign key would not hold without them).
LEFT_OUT_LABELS = ("sessions.session", "knox.authtoken", "django_tasks_database.dbtaskresult",
                   "jobs.job", "jobs.jobfile", "security.cacheentry",
                   "ballots.sealedballot")  # fmt: skip
# Confidence votes (docs/ballots.md): a vote still open travels as a draft, without its
# ballots, paper batches, the roll's "voted" flags and code hashes.
BALLOT_LABELS = ("ballots.campaign", "ballots.summons", "ballots.ballot", "ballots.paperbatch")


class BackupError(Exception):
    """A refusal or failure, in Vietnamese, naming what and why."""


def app_version() -> str:
    """The installed version of Thước Đo."""
    try:
        return importlib.metadata.version("thuocdo")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a checkout
        return "0"


def version_tuple(version: str) -> tuple[int, ...]:
    """ "0.10.2" → (0, 10, 2), for comparing versions."""
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def table_models() -> list[type[models.Model]]:
    """Every table Django manages (models and many-to-many tables), in a stable order."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            found.setdefault(meta.db_table, model)
    return [found[name] for name in sorted(found)]


def table_of(label: str) -> str:
    """The database table of a model label ("sessions.session" → "django_session")."""
    return str(apps.get_model(label)._meta.db_table)


def left_out_tables() -> list[str]:
    """The tables whose rows never travel."""
    return [table_of(label) for label in LEFT_OUT_LABELS]


def migration_state(alias: str = "default") -> dict[str, list[str]]:
    """The migrations applied on a database, per app."""
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(loader.applied_migrations):
        state.setdefault(app_label, []).append(name)
    return state


def known_migrations() -> set[tuple[str, str]]:
    """The migrations this version of the code has."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> Iterator[Path]:
    """Every file under the media folder, relative to it, sorted."""
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root)


@dataclass
class Manifest:
    """The description of one backup (manifest.json)."""

    app_version: str
    engine: str
    server_version: str
    created_at: str
    migrations: dict[str, list[str]]
    tables: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # relative path → sha256
    left_out: list[str] = field(default_factory=list)
    campaigns_reset: list[int] = field(default_factory=list)
    # Media files left out because they hold secrets (jobs' sealed files: one-time passwords).
    secret_files_left_out: int = 0
    format: int = FORMAT

    def write(self, directory: Path) -> None:
        """Write manifest.json into the backup folder."""
        text = json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)
        (directory / MANIFEST).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        """Read and check the manifest of a backup folder."""
        path = directory / MANIFEST
        if not path.is_file():
            raise BackupError(f"Không phải thư mục sao lưu của Thước Đo: thiếu {path}.")
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise BackupError(f"Tệp {path} hỏng: {error}.") from error
        if data.get("format") != FORMAT:
            raise BackupError(
                f"Định dạng sao lưu {data.get('format')} không được hỗ trợ (cần {FORMAT})."
            )
        return cls(**data)

    def media_files(self) -> list[str]:
        """The media files the backup holds, relative to the media folder."""
        prefix = MEDIA_DIR + "/"
        return [name[len(prefix) :] for name in self.files if name.startswith(prefix)]
