"""The registry's import as a background job (thuocdo/spreadsheets/background.py): a units or
people workbook, checked whole and written all or nothing, as the user who uploaded it."""

from __future__ import annotations

from typing import Any

from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import job
from thuocdo.org.imports import people_import, units_import
from thuocdo.org.scope import scope_for
from thuocdo.spreadsheets.background import import_job_run

ORG_IMPORT = "org.import"
REFUSAL = "Chỉ Ban Tổ chức được nhập dữ liệu."


def may_import_registry(actor: Any) -> bool:
    """Only organisers and system administrators change the registry."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.write_paths)


@job(ORG_IMPORT, label="Nhập đơn vị, cán bộ từ Excel")
def org_import_job(
    progress: Progress, *, kind: str, file: str, file_name: str, actor_id: int
) -> dict[str, Any]:
    """Import a units (`kind="units"`) or people workbook."""
    importer = units_import if kind == "units" else people_import
    return import_job_run(
        progress,
        file=file,
        file_name=file_name,
        actor_id=actor_id,
        allowed=may_import_registry,
        refusal=REFUSAL,
        run=lambda actor, source, shown: importer(actor=actor, source=source, progress=shown),
    )
