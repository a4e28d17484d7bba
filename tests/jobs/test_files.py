"""Files jobs make: sealed at rest under a key from SECRET_KEY and the file's own salt, opened
after a key rotation (fallbacks), never once the salt is erased."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.test import override_settings

from thuocdo.jobs.files import _unseal, job_file_store
from thuocdo.jobs.models import JobFile
from thuocdo.jobs.registry import JobError
from thuocdo.jobs.services import job_start

SECRET = b"Danh sach mat khau mot lan: anhtv / Xk3-p9Q-7mZ"


@pytest.fixture
def sealed(db: None, settings) -> JobFile:
    job = job_start(kind="tests.count", actor=None)
    return job_file_store(
        job=job, purpose="p", label="P", content=SECRET, download_name="p.xlsx", sealed=True
    )


def _body(file: JobFile, settings) -> bytes:
    return Path(settings.MEDIA_ROOT, file.name).read_bytes()


def test_a_sealed_file_holds_nothing_readable(sealed, settings) -> None:
    body = _body(sealed, settings)
    assert SECRET not in body and b"anhtv" not in body and len(body) == len(SECRET) + 12 + 16
    assert _unseal(sealed.pk, bytes(sealed.key_salt), body) == SECRET


def test_it_opens_after_a_key_rotation_and_not_with_another_key(sealed, settings) -> None:
    body, salt = _body(sealed, settings), bytes(sealed.key_salt)
    with override_settings(SECRET_KEY="a-new-key-" * 5, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert _unseal(sealed.pk, salt, body) == SECRET
    refused = pytest.raises(JobError, match="khóa bí mật")
    with override_settings(SECRET_KEY="a-new-key-" * 5, SECRET_KEY_FALLBACKS=[]), refused:
        _unseal(sealed.pk, salt, body)


def test_without_its_salt_or_under_another_id_it_does_not_open(sealed, settings) -> None:
    body, salt = _body(sealed, settings), bytes(sealed.key_salt)
    with pytest.raises(JobError):
        _unseal(sealed.pk, b"", body)  # the salt erased with the destroyed file
    with pytest.raises(JobError):
        _unseal(uuid.uuid4(), salt, body)  # the file's id is bound to its ciphertext
