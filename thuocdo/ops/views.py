"""The administrator's backup page: the backups on disk, "back up now" as a background job with
its progress, and how to restore."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from thuocdo.jobs.selectors import job_list
from thuocdo.jobs.services import job_start
from thuocdo.ops.jobs import BACKUP_KIND, backup_folders
from thuocdo.ops.manifest import BackupError, Manifest
from thuocdo.org.scope import scope_for


def _summary(folder: Any) -> dict[str, Any]:
    try:
        manifest = Manifest.read(folder)
    except BackupError as error:
        return {"name": folder.name, "path": folder, "error": str(error)}
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {
        "name": folder.name,
        "path": folder,
        "manifest": manifest,
        "rows": sum(manifest.tables.values()),
        "files": len(manifest.media_files()),
        "megabytes": size / 1_000_000,
    }


@login_required
@require_http_methods(["GET", "POST"])
def backup_page(request: HttpRequest) -> HttpResponse:
    """System administrators only; anyone else gets 404."""
    if not scope_for(request.user).everything:
        raise Http404("Không tìm thấy trang.")
    if request.method == "POST":
        job_start(
            kind=BACKUP_KIND,
            actor=request.user,
            params={
                "output": str(settings.BACKUP_DIR),
                "keep": settings.BACKUP_KEEP,
                "actor_id": request.user.pk,
            },
        )
        messages.success(request, "Đã đưa việc sao lưu vào hàng đợi.")
        return redirect("ops:backup")
    context = {
        "backups": [_summary(folder) for folder in backup_folders()[:30]],
        "jobs": job_list(actor=request.user, kind=BACKUP_KIND)[:5],
        "backup_dir": settings.BACKUP_DIR,
        "backup_at": settings.BACKUP_AT,
        "backup_keep": settings.BACKUP_KEEP,
    }
    return render(request, "ops/backup_page.html", context)
