"""All or nothing: read, check everything, then write everything in one transaction, audited.

`import_run` is the skeleton every importer fills with two functions: `check` turns the parsed
rows into a plan (collecting every problem against the database and the actor's scope), and
`write` carries the plan out. Nothing is written unless `check` found nothing. An import is
audited by one event (action "import"): the workbook, the file's name and SHA-256, the counts
per entity, the ids of what it created and the fields it changed, before and after; one event
per row cost more than the rows themselves. The helpers below are what the checks and the
writes of several importers share: indexing rows by key with duplicates flagged, chunked
lookups, bulk-write bookkeeping and the audit.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.db import models, transaction

from thuocdo.audit.services import audit_record
from thuocdo.spreadsheets.columns import SheetSpec, WorkbookSpec
from thuocdo.spreadsheets.problems import ImportReport, Problems
from thuocdo.spreadsheets.reader import Progress, Row, Source, read_sheets

M = TypeVar("M", bound=models.Model)
P = TypeVar("P")

# Codes are looked up with `code__in`; 900 stays under SQLite's oldest bound-parameter limit.
LOOKUP_CHUNK = 900
WRITE_BATCH = 1000
IMPORT_ACTION = "import"
OUT_OF_SCOPE = "nằm ngoài phạm vi bạn được quyền cập nhật"


def import_run(
    *,
    actor: Any,
    source: Source,
    workbook: WorkbookSpec,
    check: Callable[[dict[str, list[Row]], Problems], P],
    write: Callable[[P, ImportReport, AuditBuffer], None],
    progress: Progress | None = None,
) -> ImportReport:
    """Read the workbook, check it, and write it in one transaction, or raise ImportRejected.

    `check(rows_by_sheet, problems)` returns what `write(plan, report, audit)` needs; it must
    record every problem it finds rather than raise. `progress`, if given, is called with
    (rows read so far, estimated total rows); if it also has a `stage(label)` method (a job's
    or the command line's display, thuocdo.spreadsheets.background), it is told when the
    checks and the writes start.
    """
    problems = Problems(workbook.sheets)
    sheets = read_sheets(source, workbook.sheets, problems, progress)
    _stage(progress, "Kiểm tra dữ liệu")
    plan = check(sheets, problems)
    problems.raise_if_any()
    report = ImportReport(kind=workbook.key, labels=dict(workbook.labels))
    audit = AuditBuffer(actor, source)
    _stage(progress, "Ghi vào cơ sở dữ liệu")
    with transaction.atomic():
        write(plan, report, audit)
        audit.flush(report)
    return report


def _stage(progress: Progress | None, label: str) -> None:
    """Tell a progress display that can show stages that one starts."""
    stage = getattr(progress, "stage", None)
    if callable(stage):
        stage(label)


class AuditBuffer:
    """What an import changed, gathered into its one audit event.

    `add(action, obj)` for a row created, `add(action, obj, before, after)` (snapshots) for a
    row changed; `flush(report)` records the event, with the report's counts.
    """

    def __init__(self, actor: Any, source: Source) -> None:
        """Remember who imports which file."""
        self.actor, self.source = actor, source
        self.created: dict[str, list[Any]] = defaultdict(list)
        self.updated: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(
        self,
        action: str,
        obj: models.Model,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Note one row: its id if created, its changed fields if changed."""
        if before is None or after is None:
            self.created[action].append(obj.pk)
            return
        changed = [name for name, value in after.items() if before.get(name) != value]
        self.updated[action].append(
            {
                "id": obj.pk,
                "object": str(obj)[:120],
                "before": {name: before.get(name) for name in changed},
                "after": {name: after[name] for name in changed},
            }
        )

    def flush(self, report: ImportReport) -> None:
        """Record the import's event, unless it changed nothing."""
        if not (report.created or report.updated or self.created or self.updated):
            return
        name = source_name(self.source)
        digest = source_digest(self.source)
        audit_record(
            actor=self.actor,
            action=IMPORT_ACTION,
            object_type=f"import.{report.kind}"[:60],
            object_repr=name,
            after={
                "workbook": report.kind,
                "file": name,
                "sha256": digest,
                "counts": {
                    entity: {
                        "created": c.created,
                        "updated": c.updated,
                        "unchanged": c.unchanged,
                    }
                    for entity, c in report.counts.items()
                },
                "created": dict(self.created),
                "updated": dict(self.updated),
            },
            note=f"{import_note(self.source)}, SHA-256 {digest}",
        )


def source_name(source: Source) -> str:
    """The imported file's name, as its user called it."""
    name = source if isinstance(source, str | Path) else getattr(source, "name", None)
    return Path(str(name)).name if name else "tải lên"


def source_digest(source: Source) -> str:
    """The SHA-256 of the imported file, in hexadecimal."""
    digest = hashlib.sha256()
    if isinstance(source, str | Path):
        with open(source, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    position = source.tell()
    source.seek(0)
    for block in iter(lambda: source.read(1 << 20), b""):
        digest.update(block)
    source.seek(position)
    return digest.hexdigest()


def import_note(source: Source) -> str:
    """The audit note naming the imported file."""
    return f"Nhập từ tệp «{source_name(source)}»"


def duplicates_flag(
    spec: SheetSpec,
    rows: Iterable[Row],
    key: Callable[[Row], Any],
    column: str,
    problems: Problems,
    what: str,
) -> dict[Any, Row]:
    """Index rows by a key (rows whose key is None are left out); flag every later row
    repeating an earlier one."""
    seen: dict[Any, Row] = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in seen:
            problems.add(spec, row, column, f"trùng {what} với dòng {seen[value].number}")
        else:
            seen[value] = row
    return seen


def codes_of(rows: Iterable[Row], key: str = "code") -> set[str]:
    """The non-empty values of a column."""
    return {r.values[key] for r in rows if r.values.get(key)}


def in_paths(path: str, paths: Sequence[str]) -> bool:
    """True when a unit path lies in one of the subtrees."""
    return any(path.startswith(prefix) for prefix in paths)


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    """Consecutive slices of a sequence."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def by_codes(queryset: models.QuerySet[M], codes: Iterable[str], lookup: str = "code") -> list[M]:
    """The objects whose code is among `codes`, in a few chunked queries."""
    found: list[M] = []
    for chunk in chunks(sorted(set(codes))):
        found.extend(queryset.filter(**{f"{lookup}__in": chunk}))
    return found


def code_ids(queryset: models.QuerySet[Any], codes: Sequence[str]) -> dict[str, int]:
    """The id of each code, in chunked queries (after a bulk insert that returned none)."""
    ids: dict[str, int] = {}
    for chunk in chunks(codes):
        ids.update(queryset.filter(code__in=chunk).values_list("code", "id"))
    return ids


def values_differ(obj: models.Model, values: dict[str, Any]) -> bool:
    """True if any of the values differs from the instance's."""
    return any(getattr(obj, name) != value for name, value in values.items())


def values_apply(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set field values on an instance; True if anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def created_check(created: Sequence[models.Model]) -> None:
    """Stop if the database did not return the ids of a bulk insert (audit events need them)."""
    # PostgreSQL and SQLite ≥ 3.35 return them; an older SQLite would leave them empty.
    if any(obj.pk is None for obj in created):
        raise RuntimeError("Cơ sở dữ liệu không trả về mã của các dòng vừa tạo.")
