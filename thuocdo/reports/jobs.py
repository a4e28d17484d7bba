"""The import of past years' results as a background job (thuocdo/spreadsheets/background.py):
checked whole, written all or nothing, as the organiser who uploaded it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import job
from thuocdo.reports.common.permissions import may_import_history
from thuocdo.reports.history.imports import history_import
from thuocdo.spreadsheets.background import import_job_run

HISTORY_IMPORT = "reports.history_import"
REFUSAL = "Chỉ Ban Tổ chức được nhập kết quả xếp loại các năm trước."


@job(HISTORY_IMPORT, label="Nhập kết quả xếp loại các năm trước")
def history_import_job(
    progress: Progress, *, file: str, file_name: str, actor_id: int
) -> dict[str, Any]:
    """Import a workbook of past years' results."""
    result = import_job_run(
        progress,
        file=file,
        file_name=file_name,
        actor_id=actor_id,
        allowed=may_import_history,
        refusal=REFUSAL,
        run=lambda actor, source, shown: history_import(actor=actor, source=source, progress=shown),
    )
    return {
        **result,
        "see_url": reverse("reports:distribution"),
        "see": "Xem báo cáo phân bố xếp loại",
    }
