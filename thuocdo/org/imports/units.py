"""Excel import of units and of the authorities attached to them.

An import is all-or-nothing (thuocdo.spreadsheets): the whole workbook is read and checked
first, every problem is listed, and only then is everything written, in one transaction, with
bulk statements. Units are upserted by code; a unit moved to another parent drags its whole
subtree's paths along. A row that matches the database exactly is left alone: re-importing the
same file writes nothing and records no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from thuocdo.audit.services import snapshot
from thuocdo.org.imports.sheets import AUTHORITY_SHEET, UNIT_SHEET, UNITS_WORKBOOK
from thuocdo.org.models import PATH_SEGMENT, Authority, Unit
from thuocdo.org.scope import Scope, scope_for
from thuocdo.spreadsheets import (
    OUT_OF_SCOPE,
    WRITE_BATCH,
    AuditBuffer,
    ImportReport,
    Problems,
    Progress,
    Row,
    Source,
    by_codes,
    code_ids,
    codes_of,
    created_check,
    duplicates_flag,
    import_run,
    in_paths,
    values_apply,
    values_differ,
)

# Unit.path holds 255 characters of "0000000042/" segments.
MAX_UNIT_DEPTH = 255 // (PATH_SEGMENT + 1)

# Scope rule for every sheet: a row that would write nothing (it matches the database) needs
# no permission, so an organiser may re-import a file that also lists the units above theirs
# (the tree is shown to everyone). A row that creates or changes something must lie inside the
# actor's write subtrees.


def units_import(*, actor: Any, source: Source, progress: Progress | None = None) -> ImportReport:
    """Import units (and optionally authorities) from a workbook, all or nothing.

    `progress`, if given, is called with (rows read so far, estimated total rows).
    """
    scope = scope_for(actor)
    units = list(Unit.objects.all())
    by_code = {u.code: u for u in units}
    code_of = {u.pk: u.code for u in units}

    def check(sheets: dict[str, list[Row]], problems: Problems) -> _Plan:
        unit_rows = _units_check(sheets[UNIT_SHEET.name], by_code, code_of, scope, problems)
        authority_rows = sheets[AUTHORITY_SHEET.name]
        authorities = {
            a.code: a for a in by_codes(Authority.objects.all(), codes_of(authority_rows))
        }
        checked = _authorities_check(
            authority_rows, by_code, authorities, unit_rows, scope, problems
        )
        return _Plan(unit_rows, checked, authorities)

    def write(plan: _Plan, report: ImportReport, audit: AuditBuffer) -> None:
        _units_write(plan.units, units, by_code, code_of, report, audit)
        _authorities_write(plan.authority_rows, by_code, plan.authorities, report, audit)

    return import_run(
        actor=actor,
        source=source,
        workbook=UNITS_WORKBOOK,
        check=check,
        write=write,
        progress=progress,
    )


@dataclass
class _Plan:
    """The checked rows of a units workbook."""

    units: dict[str, Row]
    authority_rows: dict[str, Row]
    authorities: dict[str, Authority]


def _unit_values(row: Row) -> dict[str, Any]:
    """The unit fields a row sets; the grassroots mark only where the file has its column."""
    values = {"name": row.values["name"], "kind": row.values["kind"]}
    if "is_party_grassroots" in row.values:
        values["is_party_grassroots"] = bool(row.values["is_party_grassroots"])
    return values


def _unit_changes(unit: Unit, row: Row, code_of: dict[int, str]) -> bool:
    """True if a unit row differs from the unit in the database."""
    parent = code_of.get(unit.parent_id) if unit.parent_id else None
    return values_differ(unit, _unit_values(row)) or parent != (row.values["parent"] or None)


def _units_check(
    rows: list[Row],
    by_code: dict[str, Unit],
    code_of: dict[int, str],
    scope: Scope,
    problems: Problems,
) -> dict[str, Row]:
    """Validate unit rows against each other and the database; return valid rows by code."""
    spec = UNIT_SHEET
    in_file = duplicates_flag(
        spec, rows, lambda r: r.values["code"] or None, "code", problems, "mã đơn vị"
    )
    # The tree as it will be: the database's parents, overridden by the file's.
    parent_of: dict[str, str | None] = {
        u.code: code_of[u.parent_id] if u.parent_id else None for u in by_code.values()
    }
    for code, row in in_file.items():
        parent = row.values["parent"] or None
        if parent is not None and parent not in in_file and parent not in by_code:
            problems.add(
                spec,
                row,
                "parent",
                "không tìm thấy đơn vị cấp trên có mã này (trong tệp hoặc trong hệ thống)",
            )
            parent = None  # judged as a root below, so one mistake is reported once
        parent_of[code] = parent
    in_cycle = _cycles_flag(in_file, parent_of, problems)
    depth: dict[str, int] = {}
    for code, row in in_file.items():
        if code not in in_cycle and _depth(code, parent_of, depth) >= MAX_UNIT_DEPTH:
            problems.add(spec, row, "parent", f"làm cây đơn vị sâu quá {MAX_UNIT_DEPTH} cấp")
    if not scope.everything:
        _units_scope_check(in_file, by_code, code_of, parent_of, in_cycle, scope, problems)
    return in_file


def _cycles_flag(
    in_file: dict[str, Row], parent_of: dict[str, str | None], problems: Problems
) -> set[str]:
    """Flag the rows whose parents lead back to themselves; return every code that reaches
    a cycle, so later checks do not walk into it."""
    state: dict[str, str] = {}  # "walk": on the current walk, "ok": reaches a root, "bad"
    bad: set[str] = set()
    for start in in_file:
        walk: list[str] = []
        code: str | None = start
        while code is not None and code not in state:
            state[code] = "walk"
            walk.append(code)
            code = parent_of.get(code)
        verdict = "ok"
        if code is not None and state[code] == "walk":
            cycle = walk[walk.index(code) :]
            shown = " → ".join([*cycle, code])
            for member in cycle:
                if member in in_file:
                    problems.add(
                        UNIT_SHEET,
                        in_file[member],
                        "parent",
                        f"tạo thành vòng lặp cấp trên: {shown}",
                    )
            verdict = "bad"
        elif code is not None and state[code] == "bad":
            verdict = "bad"
        for member in walk:
            state[member] = verdict
        if verdict == "bad":
            bad.update(walk)
    return bad


def _depth(code: str, parent_of: dict[str, str | None], memo: dict[str, int]) -> int:
    """A unit's depth in the final tree (0 for a root); its chain must not reach a cycle."""
    chain: list[str] = []
    current: str | None = code
    while current is not None and current not in memo:
        chain.append(current)
        current = parent_of.get(current)
    base = memo[current] if current is not None else -1
    for member in reversed(chain):
        base += 1
        memo[member] = base
    return memo[code]


def _units_scope_check(
    in_file: dict[str, Row],
    by_code: dict[str, Unit],
    code_of: dict[int, str],
    parent_of: dict[str, str | None],
    in_cycle: set[str],
    scope: Scope,
    problems: Problems,
) -> None:
    """Flag rows that change units outside the actor's subtrees (or create a root)."""
    spec = UNIT_SHEET
    roots = {u.code for u in by_code.values() if u.path in scope.write_paths}
    memo: dict[str, bool] = {}

    def writable(code: str) -> bool:
        """True if the unit will sit under one of the actor's subtree roots."""
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in memo and current not in roots:
            chain.append(current)
            current = parent_of.get(current)
        result = current is not None and (current in roots or memo[current])
        memo.update(dict.fromkeys(chain, result))
        return result

    for code, row in in_file.items():
        existing = by_code.get(code)
        if not row.ok or code in in_cycle:
            continue
        if existing is not None and not _unit_changes(existing, row, code_of):
            continue
        if existing is not None and not in_paths(existing.path, scope.write_paths):
            problems.add(spec, row, "code", f"là đơn vị {OUT_OF_SCOPE}")
            continue
        parent = row.values["parent"] or None
        if existing is not None and parent == (code_of.get(existing.parent_id or 0)):
            continue  # renamed or re-kinded in place, inside the subtree
        if parent is None:
            problems.add(
                spec,
                row,
                "parent",
                "để trống: chỉ quản trị hệ thống được tạo đơn vị gốc hoặc chuyển đơn vị "
                "thành đơn vị gốc",
            )
        elif not writable(parent):
            problems.add(spec, row, "parent", f"là đơn vị cấp trên {OUT_OF_SCOPE}")


def _units_write(
    rows: dict[str, Row],
    units: list[Unit],
    by_code: dict[str, Unit],
    code_of: dict[int, str],
    report: ImportReport,
    audit: AuditBuffer,
) -> None:
    """Create and update units, then recompute every path that the changes moved."""
    counts = report.of("unit")
    before: dict[str, dict[str, Any]] = {}
    created: list[Unit] = []
    changed: list[Unit] = []
    for code, row in rows.items():
        unit = by_code.get(code)
        if unit is None:
            unit = Unit(code=code, path="", depth=0, **_unit_values(row))
            unit.refresh_search_text()
            created.append(unit)
        elif _unit_changes(unit, row, code_of):
            before[code] = snapshot(unit)
            values_apply(unit, _unit_values(row))
            unit.refresh_search_text()
            changed.append(unit)
        else:
            counts.unchanged += 1
    # Paths need primary keys, so new units are inserted first and placed afterwards.
    Unit.objects.bulk_create(created, batch_size=WRITE_BATCH)
    if any(u.pk is None for u in created):
        ids = code_ids(Unit.objects.all(), [u.code for u in created])
        for unit in created:
            unit.pk = ids[unit.code]
    for unit in created:
        by_code[unit.code] = unit
        units.append(unit)
        code_of[unit.pk] = unit.code
    parent_of = {u.code: code_of[u.parent_id] if u.parent_id else None for u in units}
    parent_of.update({code: row.values["parent"] or None for code, row in rows.items()})
    # Every path follows from the final parents, so a moved unit drags its whole subtree along
    # (and several moves in one file compose) without one UPDATE per subtree.
    old = {u.code: (u.parent_id, u.path, u.depth) for u in units}
    depth: dict[str, int] = {}
    for unit in sorted(units, key=lambda u: _depth(u.code, parent_of, depth)):
        parent_code = parent_of[unit.code]
        parent = by_code[parent_code] if parent_code else None
        unit.parent_id = parent.pk if parent else None
        unit.path = (parent.path if parent else "") + unit.own_segment()
        unit.depth = unit.path.count("/") - 1
    dirty = {u.code: u for u in units if old[u.code] != (u.parent_id, u.path, u.depth)}
    dirty.update({u.code: u for u in changed})
    Unit.objects.bulk_update(
        list(dirty.values()),
        ["name", "search_text", "kind", "is_party_grassroots", "parent", "path", "depth"],
        batch_size=WRITE_BATCH,
    )
    for unit in created:
        audit.add("unit.import", unit)
    for unit in changed:
        audit.add("unit.import", unit, before[unit.code], snapshot(unit))
    counts.created += len(created)
    counts.updated += len(changed)


def _authority_values(row: Row, units: dict[str, Unit]) -> dict[str, Any]:
    """The fields of an authority row; the unit may be new in this file (no id yet)."""
    unit = units.get(row.values["unit"])
    return {"name": row.values["name"], "unit_id": unit.pk if unit else None}


def _authorities_check(
    rows: list[Row],
    units: dict[str, Unit],
    existing: dict[str, Authority],
    unit_rows: dict[str, Row],
    scope: Scope,
    problems: Problems,
) -> dict[str, Row]:
    """Validate authority rows; return valid rows by code."""
    spec = AUTHORITY_SHEET
    in_file = duplicates_flag(
        spec, rows, lambda r: r.values["code"] or None, "code", problems, "mã"
    )
    unit_path = {u.pk: u.path for u in units.values()}
    for code, row in in_file.items():
        unit_code = row.values["unit"]
        if unit_code and unit_code not in units and unit_code not in unit_rows:
            problems.add(
                spec, row, "unit", "không tìm thấy đơn vị có mã này (trong tệp hoặc trong hệ thống)"
            )
            continue
        authority = existing.get(code)
        if scope.everything or not row.ok:
            continue
        if authority is not None and not values_differ(authority, _authority_values(row, units)):
            continue
        if authority is not None and not in_paths(unit_path[authority.unit_id], scope.write_paths):
            problems.add(spec, row, "code", f"thuộc đơn vị {OUT_OF_SCOPE}")
        elif unit_code in units and not in_paths(units[unit_code].path, scope.write_paths):
            problems.add(spec, row, "unit", f"là đơn vị {OUT_OF_SCOPE}")
        # A unit new in this file was already checked to sit inside the actor's subtrees.
    return in_file


def _authorities_write(
    rows: dict[str, Row],
    units: dict[str, Unit],
    existing: dict[str, Authority],
    report: ImportReport,
    audit: AuditBuffer,
) -> None:
    """Create and update authorities (after the units, which may be new)."""
    if not rows:
        return
    counts = report.of("authority")
    created: list[Authority] = []
    changed: list[tuple[Authority, dict[str, Any]]] = []
    for code, row in rows.items():
        values = _authority_values(row, units)
        authority = existing.get(code)
        if authority is None:
            created.append(Authority(code=code, **values))
        elif values_differ(authority, values):
            before = snapshot(authority)
            values_apply(authority, values)
            changed.append((authority, before))
        else:
            counts.unchanged += 1
    Authority.objects.bulk_create(created, batch_size=WRITE_BATCH)
    Authority.objects.bulk_update([a for a, _ in changed], ["name", "unit"], batch_size=WRITE_BATCH)
    created_check(created)
    for authority in created:
        audit.add("authority.import", authority)
    for authority, before in changed:
        audit.add("authority.import", authority, before, snapshot(authority))
    counts.created += len(created)
    counts.updated += len(changed)
