"""One input policy at the boundary: what text the application accepts, wherever it comes from.

Every query parameter, form field and JSON string is normalised to NFC (Vietnamese typed in
decomposed form sorts and matches like the same text typed composed) and refused when it holds
a character that has no place in an administrative text: C0/C1 control characters other than
tab and line breaks (a NUL byte cannot even be stored by PostgreSQL), bidirectional overrides
and isolates (text that displays differently from what it says), and zero-width characters
(two codes that look identical but differ). JSON nested deeper than `JSON_MAX_DEPTH` is
refused before any parser recurses into it. `InputPolicyMiddleware` applies it; the functions
here are also what forms and imports call.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# Bidirectional marks, embeddings, overrides and isolates (the "Trojan source" characters).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Zero-width and invisible joiners, the word joiner and the byte-order mark.
_INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff"
FORBIDDEN = re.compile(f"[{_CONTROL}{_BIDI}{_INVISIBLE}]")

FREE_TEXT_MAX = 20_000  # a self-review, a reason, minutes: characters


class InputRefused(ValueError):
    """A value the boundary does not accept; the message is Vietnamese, for the user."""


def describe(char: str) -> str:
    """Name a forbidden character for the error message: U+202E, U+0000..."""
    return f"U+{ord(char):04X}"


def text_clean(value: str, *, field: str = "") -> str:
    """The NFC form of `value`, or `InputRefused` naming the field and the character."""
    found = FORBIDDEN.search(value)
    if found is not None:
        where = f"Trường «{field}»" if field else "Dữ liệu gửi lên"
        raise InputRefused(
            f"{where} chứa ký tự không được phép ({describe(found.group())}: ký tự điều khiển, "
            "đổi chiều văn bản hoặc ký tự vô hình). Hãy gõ lại nội dung."
        )
    if len(value) > FREE_TEXT_MAX:
        where = f"Trường «{field}»" if field else "Một nội dung gửi lên"
        raise InputRefused(
            f"{where} dài {len(value):,} ký tự, vượt giới hạn {FREE_TEXT_MAX:,} ký tự; "
            "hãy rút gọn.".replace(",", ".")
        )
    return unicodedata.normalize("NFC", value)


def json_depth_check(body: bytes, max_depth: int) -> None:
    """Refuse a JSON document nested deeper than `max_depth`, without recursion."""
    depth = 0
    in_string = False
    escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                raise InputRefused(
                    f"Dữ liệu JSON lồng nhau quá sâu (quá {max_depth} cấp); "
                    "hãy gửi một cấu trúc phẳng hơn."
                )
        elif byte in (0x5D, 0x7D):
            depth -= 1


def json_clean(value: Any, *, path: str = "") -> Any:
    """A JSON value with every string (keys too) passed through `text_clean`."""
    if isinstance(value, str):
        return text_clean(value, field=path)
    if isinstance(value, list):
        return [json_clean(item, path=f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {
            text_clean(str(key), field=path): json_clean(item, path=f"{path}.{key}".lstrip("."))
            for key, item in value.items()
        }
    return value


def json_body_clean(body: bytes, max_depth: int) -> bytes:
    """A JSON request body checked (depth, syntax, characters) and re-encoded in NFC."""
    json_depth_check(body, max_depth)
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise InputRefused(f"Dữ liệu JSON không hợp lệ: {error}.") from error
    return json.dumps(json_clean(data), ensure_ascii=False).encode("utf-8")


def query_int(raw: str | None, *, field: str, low: int = 0, high: int = 2**31 - 1) -> int | None:
    """A whole number from a query parameter: None when empty, `InputRefused` when it is not
    a number or lies outside [low, high] (a database integer, by default)."""
    text = (raw or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,12}", text) or not low <= int(text) <= high:
        raise InputRefused(f"Tham số «{field}» phải là một số nguyên từ {low} đến {high}.")
    return int(text)


# Evidence of a completed task: documents, sheets and pictures, nothing executable.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
}
# The first bytes each kind of file starts with; a ".pdf" that starts like a program is refused.
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}


def upload_check(upload: Any, *, max_bytes: int, allowed: dict[str, str] = EVIDENCE_TYPES) -> None:
    """Refuse an uploaded file too large, of a type not allowed, or whose content does not
    start like its extension says; the message names the file and the reason."""
    name = str(getattr(upload, "name", "") or "")
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_bytes:
        # Only the figure takes the Vietnamese decimal comma, not the file's name or the period.
        megabytes = f"{size / 1048576:.1f}".replace(".", ",")
        raise InputRefused(
            f"Tệp «{name}» nặng {megabytes} MB, vượt giới hạn {max_bytes / 1048576:.0f} MB."
        )
    if extension not in allowed:
        kinds = ", ".join(sorted(allowed))
        raise InputRefused(f"Tệp «{name}» không thuộc loại được nhận ({kinds}).")
    magic = _MAGIC.get(extension)
    if magic:
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(m) for m in magic):
            raise InputRefused(f"Nội dung tệp «{name}» không đúng định dạng {extension}.")
