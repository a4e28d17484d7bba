"""The targets' import as a background job (thuocdo/spreadsheets/background.py): into a set, or
for a unit and year (the set is created as a draft if missing, and not kept if the file is
refused: the job's transaction holds both), as the user who uploaded it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError, job
from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.spreadsheets.background import import_job_run
from thuocdo.targets import services
from thuocdo.targets.imports import targets_import
from thuocdo.targets.models import TargetSet
from thuocdo.targets.permissions import access_target_set, may_create_targets

TARGETS_IMPORT = "targets.import"
REFUSAL = "Chỉ Ban Tổ chức được giao chỉ tiêu."


def _target_set(actor: Any, set_id: int | None, unit_id: int | None, year: int | None) -> TargetSet:
    """The set to import into, its rights checked again (created for a unit and year)."""
    if set_id is not None:
        return access_target_set(actor, set_id, write=True)
    units = Unit.objects.filter(units_write_q(scope_for(actor)))
    unit = units.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None or year is None:
        raise JobError("Đơn vị không thuộc phạm vi bạn được giao chỉ tiêu.")
    target_set = TargetSet.objects.filter(unit=unit, year=year).first()
    if target_set is None:
        target_set = services.target_set_create(actor=actor, unit=unit, year=year)
    return target_set


@job(TARGETS_IMPORT, label="Nhập chỉ tiêu, kết quả từ Excel")
def targets_import_job(
    progress: Progress,
    *,
    file: str,
    file_name: str,
    actor_id: int,
    set_id: int | None = None,
    unit_id: int | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """Import a targets workbook into the set `set_id`, or the set of `unit_id` and `year`."""
    chosen: list[TargetSet] = []

    def run(actor: Any, source: Any, shown: Any) -> Any:
        target_set = _target_set(actor, set_id, unit_id, year)
        chosen.append(target_set)
        return targets_import(actor=actor, target_set=target_set, source=source, progress=shown)

    result = import_job_run(
        progress,
        file=file,
        file_name=file_name,
        actor_id=actor_id,
        allowed=None if set_id is not None else may_create_targets,
        refusal=REFUSAL,
        run=run,
    )
    see_url = reverse("targets:set-detail", args=[chosen[0].pk])
    return {**result, "see_url": see_url, "see": "Xem bảng chỉ tiêu"}
