"""Every page reachable from each demo login's home page, and every export it links, speaks
to people: no exponent numbers, rule or rule-set ids, design-file names, English error text
or quota-group keys. The demo city is built once for the module's one test."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
import zipfile
from collections import deque
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from thuocdo.careers.rules import FLAG_LABELS, RULE_LABELS
from thuocdo.demo import build
from thuocdo.org.models import User
from thuocdo.org.scope import today
from thuocdo.rules.ruleset import list_rulesets, load_ruleset

LOGINS = ["canhan", "lanhdao", "thutruong", "bantochuc", "bantochuc.q1", "thamquyen", "quantri"]
MAX_PAGES = 150
MAX_PDFS = 4
SKIP = ("/dang-xuat/", "/quan-tri/", "/api/", "/static/", "/media/")
HREF = re.compile(r'href="(/[^"#]*)"')


def _forbidden() -> list[tuple[str, re.Pattern[str]]]:
    ids = {info.id for info in list_rulesets()}
    rules = {r.id for rid in ids for r in load_ruleset(rid).rules} | set(FLAG_LABELS)
    rules |= set(RULE_LABELS)
    words = "|".join(re.escape(x) for x in sorted(rules | ids, key=len, reverse=True))
    return [
        ("số có số mũ", re.compile(r"\d[Ee][+-]\d")),
        ("mã quy tắc hoặc bộ quy tắc", re.compile(rf"(?<![\w-])({words})(?![\w-])")),
        ("tên tệp thiết kế", re.compile(r"DESIGN\.md")),
        ("tiếng Anh", re.compile(r"Not Found|Forbidden|\bdays?\b")),
        ("mã nhóm tỷ lệ", re.compile(r"(?<!\w)(CC|LĐ|ĐV|TT):[\w-]")),
    ]


def _visible(body: str) -> str:
    """The text people read. A pool's conditions are edited as JSON whose keys are the rule
    codes: that editor (its textarea and its help) is data, not text, and is left out."""
    body = re.sub(r"(?s)<(script|style|textarea)\b.*?</\1>", " ", body)
    body = re.sub(r'(?s)<div class="helptext" id="id_conditions_helptext">.*?</div>', " ", body)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", body))


def _export_text(content: bytes, kind: str) -> str:
    if "pdf" in kind:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            Path(f.name).write_bytes(content)
            return subprocess.run(
                ["pdftotext", f.name, "-"], check=True, capture_output=True, text=True
            ).stdout
    if "spreadsheet" in kind:
        wb = load_workbook(io.BytesIO(content), read_only=True)
        cells = (c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row)
        return " ".join(str(c) for c in cells if c is not None)
    if "wordprocessing" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())
    return ""


def _crawl(client: Client, forbidden: list[tuple[str, re.Pattern[str]]]) -> tuple[int, list[str]]:
    seen, queue, problems, pages, pdfs = {"/"}, deque(["/"]), [], 0, 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if "pdf" in url and pdfs >= MAX_PDFS:
            continue  # each PDF takes seconds to render; a few of each login are read
        response = client.get(url)
        pages += 1
        kind = response.get("Content-Type", "")
        pdfs += "pdf" in kind
        if response.status_code != 200:
            continue
        if "html" in kind:
            body = response.content.decode()
            text = _visible(body)
            for href in HREF.findall(body):
                link = html.unescape(href)
                if link not in seen and not link.startswith(SKIP):
                    seen.add(link)
                    queue.append(link)
        else:
            text = _export_text(response.content, kind)
        for name, pattern in forbidden:
            for match in pattern.finditer(text):
                around = text[max(0, match.start() - 40) : match.end() + 40].split()
                problems.append(f"{url}: {name} «{match.group(0)}» trong «{' '.join(around)}»")
    return pages, problems


@pytest.mark.django_db
def test_no_internal_codes_on_any_page_or_export() -> None:
    build(people=400, today=today())
    forbidden = _forbidden()
    problems: list[str] = []
    for username in LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages, found = _crawl(client, forbidden)
        assert pages > 5, username
        problems += [f"{username} {p}" for p in found]
    assert not problems, "\n".join(sorted(set(problems))[:80])
