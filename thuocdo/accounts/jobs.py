"""The accounts import as a background job (thuocdo/spreadsheets/background.py): the workbook
checked whole and written all or nothing, as the user who uploaded it, and the one-time
passwords of the new accounts kept for that user alone as an encrypted workbook
(thuocdo/jobs/files.py): downloaded once, or destroyed after ONETIME_FILE_HOURS.

The job opens its own transaction (`atomic=False`) so it can delete the written file should
the transaction not commit: no account without its password, no password file without its
accounts.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from thuocdo.accounts.imports import AccountsImportReport, accounts_import
from thuocdo.accounts.permissions import require_account_manager
from thuocdo.accounts.services import Credential
from thuocdo.accounts.workbooks import credentials_file_name, credentials_write
from thuocdo.jobs.files import job_file_discard, job_file_store
from thuocdo.jobs.models import Job, JobFile
from thuocdo.jobs.progress import Progress
from thuocdo.jobs.registry import JobError, job
from thuocdo.org.scope import today
from thuocdo.rules.fmt import vn_number
from thuocdo.spreadsheets.background import import_job_run

ACCOUNTS_IMPORT = "accounts.import"
PASSWORDS = "accounts.passwords"  # the purpose of the job's file of one-time passwords


def _creator_manages_accounts(actor: Any, job: Job) -> None:
    """The passwords go to who started the import while they still manage accounts."""
    require_account_manager(actor)


@job(
    ACCOUNTS_IMPORT,
    label="Nhập tài khoản và vai trò từ Excel",
    atomic=False,
    file_check=_creator_manages_accounts,
)
def accounts_import_job(
    progress: Progress, *, file: str, file_name: str, actor_id: int
) -> dict[str, Any]:
    """Import an accounts workbook; keep the new accounts' one-time passwords sealed."""
    if progress.job is None:
        raise JobError("Nhập tài khoản chỉ chạy như một công việc nền.")
    credentials: list[Credential] = []

    def run(actor: Any, source: Any, shown: Any) -> AccountsImportReport:
        report = accounts_import(actor=actor, source=source, progress=shown)
        credentials.extend(report.credentials)
        return report

    stored: JobFile | None = None
    try:
        with transaction.atomic():
            result = import_job_run(
                progress, file=file, file_name=file_name, actor_id=actor_id, run=run
            )
            if credentials:
                progress.step("Mã hóa và lưu tệp mật khẩu một lần", total=len(credentials))
                stored = passwords_store(progress.job, credentials)
                progress.update(len(credentials))
    except BaseException:
        job_file_discard(stored)  # its row went with the transaction
        raise
    if stored is not None:
        expires = timezone.localtime(stored.expires_at)
        result["message"] += (
            f" {vn_number(len(credentials))} tài khoản mới có mật khẩu một lần trong tệp "
            f"mã hóa: chỉ bạn tải được, một lần, trước {expires:%H:%M} ngày {expires:%d/%m/%Y}."
        )
    return result


def passwords_store(job: Job, credentials: list[Credential]) -> JobFile:
    """The one-time passwords as a workbook, sealed, for one download by the job's user."""
    day, buffer = today(), io.BytesIO()
    credentials_write(credentials, buffer, issued=day)
    hours = settings.ONETIME_FILE_HOURS
    return job_file_store(
        job=job,
        purpose=PASSWORDS,
        label="Tải tệp mật khẩu một lần",
        content=buffer.getvalue(),
        download_name=credentials_file_name(day),
        sealed=True,
        once=True,
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
