"""Every import answers a broken or hostile workbook with a clear Vietnamese error, never a 500.

Table-driven: each bad file (truncated, not a workbook, a zip that is not a workbook, an
entity bomb, a zip bomb, a sheet claiming a million rows, a file over the size limit) is handed
to each importer (units, people, catalogue, targets, history) and to each upload page; the
import is refused with a sentence saying what is wrong and nothing is written.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World
from tests.jobs.follow import follow_job
from tests.spreadsheets.sheets import EMPTY, workbook_content
from thuocdo.audit.models import AuditEvent
from thuocdo.org.imports import people_import, units_import
from thuocdo.reports.history.imports import history_import
from thuocdo.spreadsheets import ImportRejected, limits
from thuocdo.targets import services as target_services
from thuocdo.targets.imports import targets_import
from thuocdo.work.catalogue import catalogue_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + f']>\n<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
    '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def valid_workbook(importer: str) -> bytes:
    """The importer's sheets with their headers and no row: the base the bad files are cut from."""
    return workbook_content(EMPTY[importer])


def replaced(content: bytes, member: str, data: bytes | Callable[[Any], None]) -> bytes:
    """The workbook with one zip member replaced (by bytes, or written by a function)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info.filename))
        if callable(data):
            with target.open(member, "w", force_zip64=True) as stream:
                data(stream)
        else:
            target.writestr(member, data)
    return out.getvalue()


def plain_zip() -> bytes:
    """A zip archive holding a text file: not a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ghi-chu.txt", "Danh sách cán bộ")
    return out.getvalue()


def zip_bomb(stream: Any) -> None:
    """A worksheet padded with spaces: 64 MB that deflate to a few tens of kilobytes."""
    stream.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
    chunk = b" " * (1 << 20)
    for _ in range(64):
        stream.write(chunk)
    stream.write(b"</sheetData></worksheet>")


def million_rows(importer: str) -> bytes:
    """The first sheet's only data row sits on Excel's last row, 1.048.576."""
    headers = next(iter(EMPTY[importer].values()))[0]
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(headers)
    )
    body = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        f'<row r="1">{cells}</row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>X</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return replaced(valid_workbook(importer), SHEET, body.encode())


BAD_FILES: dict[str, tuple[Callable[[str], bytes], str]] = {
    "truncated": (lambda i: valid_workbook(i)[:1500], "không phải bảng tính Excel (.xlsx) hợp lệ"),
    "plain text": (lambda i: "Mã đơn vị,Tên\nQ1,Quận 1\n".encode(), "không phải bảng tính Excel"),
    "an old .xls": (
        lambda i: bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 2048,
        "không phải bảng tính Excel",
    ),
    "a zip that is not a workbook": (lambda i: plain_zip(), "không phải bảng tính Excel"),
    "a workbook that lists no sheet": (
        lambda i: replaced(valid_workbook(i), "xl/workbook.xml", b"<nothing/>"),
        "không có sheet này trong tệp",
    ),
    "a broken worksheet": (
        lambda i: replaced(valid_workbook(i), SHEET, b"<worksheet><sheetData><row"),
        "không phải bảng tính Excel",
    ),
    "an entity bomb": (
        lambda i: replaced(valid_workbook(i), SHEET, BILLION_LAUGHS.encode()),
        "không phải bảng tính Excel",
    ),
    "an entity bomb in the workbook part": (
        lambda i: replaced(
            valid_workbook(i),
            "xl/workbook.xml",
            BILLION_LAUGHS.replace("worksheet", "workbook").encode(),
        ),
        "không phải bảng tính Excel",
    ),
    "a zip bomb": (lambda i: replaced(valid_workbook(i), SHEET, zip_bomb), "nén bất thường"),
    "a million rows": (million_rows, "dòng"),
    "a file over the size limit": (
        lambda i: os.urandom(limits.MAX_FILE_BYTES + 1),
        "lớn quá",
    ),
}


def _targets(world: World, source: Any) -> None:
    target_set = target_services.target_set_create(actor=None, unit=world.q1, year=2026)
    targets_import(actor=world.users["olga"], target_set=target_set, source=source)


IMPORTERS: dict[str, Callable[[World, Any], Any]] = {
    "units": lambda world, source: units_import(actor=world.users["olga"], source=source),
    "people": lambda world, source: people_import(actor=world.users["olga"], source=source),
    "catalogue": lambda world, source: catalogue_import(actor=world.users["olga"], source=source),
    "targets": _targets,
    "history": lambda world, source: history_import(actor=world.users["olga"], source=source),
}


def counts() -> dict[str, int]:
    """Rows per table of the apps an import writes, audit trail included."""
    labels = ("org", "work", "targets", "reports", "audit")
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in labels
    }


@pytest.mark.parametrize("bad", BAD_FILES)
@pytest.mark.parametrize("importer", IMPORTERS)
def test_every_importer_refuses_a_bad_file_in_vietnamese(world, importer, bad):
    make, reason = BAD_FILES[bad]
    source = io.BytesIO(make(importer))
    source.name = "tep.xlsx"
    before = counts()
    with pytest.raises(ImportRejected) as rejected:
        IMPORTERS[importer](world, source)
    message = str(rejected.value)
    assert reason in message, message
    after = counts()
    if importer == "targets":  # the fixture's own set and its audit event
        after["targets.TargetSet"] -= 1
        after["audit.AuditEvent"] -= 1
    assert after == before


def _q1_set(world: World) -> str:
    target_set = target_services.target_set_create(actor=None, unit=world.q1, year=2026)
    return reverse("targets:set-import", args=[target_set.pk])


PAGES: dict[str, tuple[str, Callable[[World], str], dict[str, Any]]] = {
    "registry": ("units", lambda world: reverse("org:import-upload"), {"kind": "units"}),
    "catalogue": ("catalogue", lambda world: reverse("work:catalogue-import"), {}),
    "targets": ("targets", _q1_set, {}),
    "targets, new set": (
        "targets",
        lambda world: reverse("targets:set-import-new"),
        {"year": 2026},
    ),
    "history": ("history", lambda world: reverse("reports:history-import"), {}),
}


@pytest.mark.parametrize("bad", ["truncated", "an entity bomb", "a zip bomb", "a million rows"])
@pytest.mark.parametrize("page", PAGES)
def test_every_upload_page_answers_a_bad_file_with_the_reason(world, page, bad):
    client = Client()
    assert client.login(username="olga", password=PASSWORD)
    importer, url_of, data = PAGES[page]
    url = url_of(world)
    if page == "targets, new set":
        data = {**data, "unit": world.q1.code}  # what the unit picker sends
    make, reason = BAD_FILES[bad]
    upload = SimpleUploadedFile("tep.xlsx", make(importer), content_type=XLSX)
    before = counts()
    response = follow_job(client, client.post(url, {**data, "file": upload}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tệp bị từ chối" in body and reason in body
    after = counts()  # the job's own start is audited: nothing else is written
    after["audit.AuditEvent"] -= AuditEvent.objects.filter(action="job.start").count()
    assert after == before


def test_an_upload_over_the_size_limit_is_refused_by_the_form(world):
    client = Client()
    assert client.login(username="olga", password=PASSWORD)
    upload = SimpleUploadedFile("tep.xlsx", b"0" * (limits.MAX_FILE_BYTES + 1), XLSX)
    response = client.post(reverse("reports:history-import"), {"file": upload})
    assert response.status_code == 200
    assert "vượt giới hạn 20 MB" in response.content.decode()
