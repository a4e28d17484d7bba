"""The catalogue's import as a background job (thuocdo/spreadsheets/background.py): checked
whole, written all or nothing, as the organiser who uploaded it."""

from __future__ import annotations

from typing import Any

from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import job
from thuocdo.org.scope import scope_for
from thuocdo.spreadsheets.background import import_job_run
from thuocdo.work.catalogue import catalogue_import

CATALOGUE_IMPORT = "work.catalogue_import"
REFUSAL = "Chỉ Ban Tổ chức được nhập danh mục sản phẩm."


def may_import_catalogue(actor: Any) -> bool:
    """Only organisers and administrators edit the catalogue."""
    scope = scope_for(actor)
    return scope.everything or bool(scope.write_paths)


@job(CATALOGUE_IMPORT, label="Nhập danh mục sản phẩm từ Excel")
def catalogue_import_job(
    progress: Progress, *, file: str, file_name: str, actor_id: int
) -> dict[str, Any]:
    """Import a catalogue workbook (job positions and their product types)."""
    return import_job_run(
        progress,
        file=file,
        file_name=file_name,
        actor_id=actor_id,
        allowed=may_import_catalogue,
        refusal=REFUSAL,
        run=lambda actor, source, shown: catalogue_import(
            actor=actor, source=source, progress=shown
        ),
    )
