"""Files a job makes for its user to download (a workbook too slow to build in a request, the
one-time passwords of an import), stored under MEDIA_ROOT/jobs/ (never served) with a `JobFile`
row each, and sent by the job's download view once its checks pass.

A sealed file is encrypted at rest: AES-GCM under a key derived (HKDF) from SECRET_KEY and a
random salt kept on the file's row, a random nonce, the file's id as associated data. Destroying
it deletes the file and erases the salt, so no copy of it can be opened afterwards, even with
SECRET_KEY (a backup of the media folder holds copies). A `once` file is destroyed by its first
download, or at its expiry by the worker's schedule (`job_files_expire`), whichever comes first;
two downloads at once cannot both get it (one conditional UPDATE claims it).
"""

from __future__ import annotations

import datetime
import re
import secrets
import uuid
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from thuocdo.audit.services import audit_record
from thuocdo.jobs.models import Job, JobFile
from thuocdo.jobs.registry import JobError, job_kind

FOLDER = "jobs"
# A file that holds secrets (the one-time passwords) is stored sealed, under this suffix: the
# mark the backup reads on disk to leave it out (thuocdo/ops/backup.py), row or no row.
SECRET_SUFFIX = "sealed"  # noqa: S105 - a file name suffix, not a password
STORED_NAME = re.compile(rf"^{FOLDER}/[0-9a-f]{{32}}\.(xlsx|{SECRET_SUFFIX})$")
NONCE_BYTES = 12
SALT_BYTES = 16
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileGone(Exception):
    """The file was downloaded already, or expired: destroyed. The message says which, in
    Vietnamese."""


def _keys(file_id: uuid.UUID, salt: bytes) -> list[AESGCM]:
    """The file's key under SECRET_KEY, then under each of SECRET_KEY_FALLBACKS (a key rotated
    while the file waits still opens it)."""
    return [
        AESGCM(
            HKDF(
                algorithm=hashes.SHA256(),
                length=32,
                salt=salt,
                info=f"thuocdo.jobs.file:{file_id}".encode(),
            ).derive(str(secret).encode())
        )
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    ]


def _seal(file_id: uuid.UUID, salt: bytes, content: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + _keys(file_id, salt)[0].encrypt(nonce, content, file_id.bytes)


def _unseal(file_id: uuid.UUID, salt: bytes, sealed: bytes) -> bytes:
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for key in _keys(file_id, salt):
        try:
            return key.decrypt(nonce, body, file_id.bytes)
        except InvalidTag:
            continue
    raise JobError("Không mở được tệp đã mã hóa (khóa bí mật của hệ thống đã đổi).")


def job_file_store(
    *,
    job: Job,
    purpose: str,
    label: str,
    content: bytes,
    download_name: str,
    sealed: bool = False,
    once: bool = False,
    expires_at: datetime.datetime | None = None,
) -> JobFile:
    """Write a file the job made (encrypted if `sealed`) and record it. Inside a transaction
    that may still roll back, the caller removes the written file if it does
    (`job_file_discard`); files no row names are swept by `thuocdo jobs prune`."""
    file_id = uuid.uuid4()
    salt = secrets.token_bytes(SALT_BYTES) if sealed else None
    body = _seal(file_id, salt, content) if salt is not None else content
    suffix = SECRET_SUFFIX if sealed else "xlsx"
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.{suffix}", ContentFile(body))
    try:
        return JobFile.objects.create(
            id=file_id,
            job=job,
            purpose=purpose,
            label=label,
            name=name,
            download_name=download_name,
            size=len(content),
            key_salt=salt,
            sealed=sealed,
            once=once,
            expires_at=expires_at,
        )
    except BaseException:
        _storage_delete(name)
        raise


def job_file_holds_secrets(relative: str) -> bool:
    """Whether a path under MEDIA_ROOT is a job's sealed file (one-time passwords): such a file
    never goes into a backup."""
    return bool(STORED_NAME.match(relative)) and relative.endswith("." + SECRET_SUFFIX)


def job_file_discard(file: JobFile | None) -> None:
    """Delete a stored file whose row was rolled back (nothing if None)."""
    if file is not None:
        _storage_delete(file.name)


def _storage_delete_all(names: list[str]) -> None:
    for name in names:
        _storage_delete(name)


def _storage_delete(name: str) -> None:
    if STORED_NAME.match(name) and default_storage.exists(name):
        default_storage.delete(name)


def access_job_file(actor: Any, job: Job, purpose: str) -> JobFile:
    """The file of this purpose of a job the actor sees (thuocdo.jobs.selectors.access_job):
    the kind's own check runs too, and a sealed or once file is only for who started the job;
    404 otherwise, as for a missing one."""
    file = JobFile.objects.filter(job=job, purpose=purpose).first()
    if file is None or ((file.sealed or file.once) and job.created_by_id != actor.pk):
        raise Http404("Không tìm thấy tệp.")
    check = job_kind(job.kind).file_check
    if check is not None:
        check(actor, job)
    return file


def _gone_message(file: JobFile) -> str:
    when = file.downloaded_at or file.destroyed_at or file.expires_at
    at = timezone.localtime(when).strftime("%H:%M ngày %d/%m/%Y") if when else ""
    if file.downloaded_at is not None:
        return f"Tệp «{file.label}» đã được tải về lúc {at} và đã bị hủy: chỉ tải được một lần."
    return f"Tệp «{file.label}» đã hết hạn lúc {at} và đã bị hủy."


def job_file_response(*, file: JobFile, actor: Any) -> HttpResponseBase:
    """The file as a download. A once file is claimed first (a second download, or one after
    its expiry, raises FileGone), its download audited, then it is destroyed."""
    now = timezone.now()
    if not file.available:
        if file.destroyed_at is None:
            job_files_expire(now=now)
            file.refresh_from_db()
        raise FileGone(_gone_message(file))
    if not file.sealed:
        if not default_storage.exists(file.name):
            raise Http404("Không tìm thấy tệp.")
        return FileResponse(
            default_storage.open(file.name, "rb"),
            as_attachment=True,
            filename=file.download_name,
            content_type=XLSX,
        )
    try:
        with default_storage.open(file.name, "rb") as stored:
            sealed = stored.read()
    except FileNotFoundError:
        file.refresh_from_db()  # another download took it meanwhile
        if file.destroyed_at is not None:
            raise FileGone(_gone_message(file)) from None
        raise Http404("Không tìm thấy tệp.") from None
    content = _unseal(file.pk, bytes(file.key_salt or b""), sealed)
    if file.once:
        with transaction.atomic():
            claimed = JobFile.objects.filter(
                Q(expires_at__isnull=True) | Q(expires_at__gt=now),
                pk=file.pk,
                destroyed_at__isnull=True,
            ).update(downloaded_at=now, destroyed_at=now, key_salt=None)
            if claimed != 1:
                file.refresh_from_db()
                raise FileGone(_gone_message(file))
            _audit_download(file, actor)
        transaction.on_commit(lambda: _storage_delete(file.name))
    else:
        _audit_download(file, actor)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file.download_name}"'
    response["Cache-Control"] = "no-store"
    return response


def _audit_download(file: JobFile, actor: Any) -> None:
    audit_record(
        actor=actor,
        action="job.file_download",
        obj=file.job,
        after={"purpose": file.purpose, "file": str(file.pk), "once": file.once},
    )


def job_files_expire(*, now: datetime.datetime) -> int:
    """Destroy the files past their expiry (their salt erased, the stored file deleted);
    returns how many. Called by the worker's schedule every minute and by `jobs prune`."""
    expired = list(
        JobFile.objects.filter(destroyed_at__isnull=True, expires_at__lte=now).values_list(
            "pk", "name"
        )
    )
    if not expired:
        return 0
    with transaction.atomic():
        JobFile.objects.filter(pk__in=[pk for pk, _ in expired], destroyed_at__isnull=True).update(
            destroyed_at=now, key_salt=None
        )
        transaction.on_commit(lambda: _storage_delete_all([name for _, name in expired]))
    return len(expired)
