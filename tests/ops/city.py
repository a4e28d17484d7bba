"""A small city with some work for the backup tests: the `world` cast, a month of alice's tasks
with evidence files, a closed confidence vote with its ballots, an open one with a ballot cast,
a session and an API token (which must not travel). Also run outside pytest, on its own SQLite
database (tests/ops/build_city.py)."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from knox.models import AuthToken

from thuocdo.ballots import services as ballots
from thuocdo.ballots.models import Candidate
from thuocdo.ops.manifest import left_out_tables, media_files, table_models
from thuocdo.org import services as org
from thuocdo.work import services as work

YEAR, MONTH = 2025, 3


def _voters(world: Any, prefix: str, count: int) -> list[Any]:
    people = []
    for k in range(count):
        person = org.person_create(
            None,
            code=f"{prefix}-{k:02d}",
            full_name=f"Phạm Văn Bình {prefix} {k}",
            birth_date=datetime.date(1975 + k, 5, 1),
            gender="male",
            category="cadre",
            is_party_member=True,
        )
        org.post_create(
            None, person=person, unit=world.q1, title="Ủy viên Ban Chấp hành",
            start_date=datetime.date(2020, 1, 1),
        )  # fmt: skip
        people.append(person)
    return people


def _vote(world: Any, title: str, prefix: str, ballots_cast: int) -> Any:
    campaign = ballots.campaign_create(
        actor=world.users["olga"],
        unit=world.q1,
        title=title,
        meeting_date=datetime.date(2026, 12, 15),
        candidates=[world.hana, world.lena],
        summoned=_voters(world, prefix, 4),
        committee=[world.lena, world.alice],
    )
    issued = ballots.campaign_open(actor=world.users["olga"], campaign=campaign)
    candidates = list(Candidate.objects.filter(campaign=campaign).order_by("position"))
    for (_person, code), choice in zip(
        issued.codes[:ballots_cast], ["high", "trust", "low"], strict=False
    ):
        ballots.ballot_cast(code=code, marks={str(c.pk): choice for c in candidates})
    return campaign


def city_build(world: Any) -> dict[str, Any]:
    """Add the work, the votes and the logins to a built `world`."""
    position = work.job_position_create(actor=None, code="VT-VP", name="Văn phòng", unit=world.p1)
    report = work.product_type_create(
        actor=None, job_position=position, code="BC", name="Báo cáo tổng hợp", group="C",
        unit_of_measure="báo cáo", conversion_factor=Decimal("2.5"), monthly_norm=Decimal(4),
    )  # fmt: skip
    alice = world.users["alice"]
    for n in range(3):
        task = work.task_register(
            actor=alice, person=world.alice, year=YEAR, month=MONTH, title=f"Báo cáo số {n + 1}",
            quantity=Decimal(n + 1), due_date=datetime.date(YEAR, MONTH, 10 + n),
            product_type=report,
        )  # fmt: skip
        work.task_complete(
            actor=alice, task=task, completed_on=datetime.date(YEAR, MONTH, 9 + n),
            quantity_done=task.quantity, evidence_number=f"{n}/BC-UBND",
            evidence_file=ContentFile(f"Biên bản số {n} — minh chứng".encode() * (n + 1),
                                      name=f"bien-ban-{n}.pdf"),
        )  # fmt: skip
    closed = _vote(world, "Lấy phiếu tín nhiệm 2026", "UV", 3)
    ballots.campaign_close(actor=world.users["olga"], campaign=closed)
    opened = _vote(world, "Lấy phiếu tín nhiệm bổ sung", "BS", 1)
    session = SessionStore()
    session["_auth_user_id"] = str(alice.pk)
    session.create()
    token, _clear = AuthToken.objects.create(user=world.users["root"])
    return {
        "closed": closed.pk,
        "open": opened.pk,
        "token": token.digest,
        "session": session.session_key,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def table_rows() -> dict[str, list[list[Any]]]:
    """Every row of every table, ordered by key, as plain values (timestamps in UTC to the
    microsecond): what a restore must give back."""
    rows = {}
    for model in table_models():
        attnames = [f.attname for f in model._meta.concrete_fields]
        values = model._base_manager.order_by("pk").values_list(*attnames)
        rows[model._meta.db_table] = [[_plain(v) for v in row] for row in values]
    return rows


def expected_after_restore(rows: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    """What a backup gives back of `rows`: the left-out tables empty (the open vote is
    checked separately)."""
    return {table: ([] if table in left_out_tables() else data) for table, data in rows.items()}


def restore_event_pop(rows: dict[str, list[list[Any]]], action: str = "ops.restore") -> list[Any]:
    """Take the restore's own audit event (the last row of the audit trail) out of `rows`, so
    what remains compares with what was backed up; returns it, checked to be that event. With
    `action="ops.backup"`, the backup's event, written once the backup was complete."""
    from thuocdo.audit.models import AuditEvent

    table = AuditEvent._meta.db_table
    column = [f.attname for f in AuditEvent._meta.concrete_fields].index("action")
    event = rows[table].pop()
    assert event[column] == action
    return event


def scrub_open_vote(rows: dict[str, list[list[Any]]], campaign_id: int) -> None:
    """Apply to `rows` what a backup does to a vote still open: a draft, no ballot, no batch,
    nobody marked as having voted, no code hash."""
    from thuocdo.ballots.models import Ballot, Campaign, PaperBatch, Summons

    def col(model: Any, name: str) -> int:
        return [f.attname for f in model._meta.concrete_fields].index(name)

    for row in rows[Campaign._meta.db_table]:
        if row[0] == campaign_id:
            row[col(Campaign, "state")] = "draft"
            row[col(Campaign, "paper_issued")] = 0
    for row in rows[Summons._meta.db_table]:
        if row[col(Summons, "campaign_id")] == campaign_id:
            row[col(Summons, "voted")] = False
            row[col(Summons, "credential_hash")] = None
    for model in (Ballot, PaperBatch):
        table = model._meta.db_table
        rows[table] = [r for r in rows[table] if r[col(model, "campaign_id")] != campaign_id]


def media_bytes(root: Path) -> dict[str, bytes]:
    """Every media file's content by relative path."""
    return {path.as_posix(): (root / path).read_bytes() for path in media_files(root)}
