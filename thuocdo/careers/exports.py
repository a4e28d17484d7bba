"""The dossier as a PDF, rendered by WeasyPrint in DejaVu Sans (every Vietnamese glyph)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from thuocdo.careers.selectors import Dossier

PDF = "application/pdf"


def file_name(dossier: Dossier) -> str:
    """An ASCII file name: ho-so-danh-gia-<code>.pdf."""
    safe = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch == "-") else "-" for ch in dossier.person.code
    )
    return f"ho-so-danh-gia-{safe}.pdf"


def dossier_pdf(dossier: Dossier) -> bytes:
    """The dossier (A4 portrait)."""
    # Imported here: WeasyPrint loads Pango through cffi, which the rest of the site never needs.
    from weasyprint import HTML

    html = render_to_string(
        "careers/dossier_pdf.html", {"d": dossier, "printed_at": timezone.localtime()}
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
