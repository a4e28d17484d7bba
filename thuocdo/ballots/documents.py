"""Documents of a confidence vote: the paper ballots to print (PDF), and the counting record
(biên bản kiểm phiếu) as Word (docxtpl, Party presentation) and PDF (WeasyPrint, DejaVu Sans)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.template.loader import render_to_string
from docxtpl import DocxTemplate

from thuocdo.ballots.docx.build import TEMPLATE
from thuocdo.ballots.models import Campaign, Choice
from thuocdo.ballots.selectors import CampaignResult
from thuocdo.rules import confidence as rules
from thuocdo.rules.fmt import vn_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _count(n: int, share: Any) -> str:
    return f"{n} ({rules.pct(share)})"


def minutes_context(counted: CampaignResult, *, on: datetime.date) -> dict[str, Any]:
    """What the counting record says, from the result recorded at the close."""
    campaign, result = counted.campaign, counted.result
    unit, parent = campaign.unit, campaign.unit.parent
    committee = list(campaign.committee.order_by("sort_key", "id"))
    rows = []
    consequences = []
    for n, row in enumerate(counted.rows, start=1):
        o = row.outcome
        rows.append(
            {
                "n": n,
                "name": row.candidate.person.full_name,
                "post": row.candidate.post_title,
                **{k: _count(o.counts[k], o.shares[k]) for k in rules.CHOICES},
                "consequence": o.consequence_label or "—",
            }
        )
        if o.consequence and o.deciding_step:
            name = row.candidate.person.full_name
            consequences.append(f"{name}: {o.consequence_label}. {o.deciding_step.reason}")
    if result.is_valid and not consequences:
        consequences.append("Không có người nào có trên 1/2 số phiếu tín nhiệm thấp.")
    return {
        "issuer_above": (parent.name if parent else "").upper(),
        "issuer": unit.name.upper(),
        "place": (parent or unit).name,
        "day": f"{on.day:02d}",
        "month": f"{on.month:02d}",
        "year": str(on.year),
        "title": campaign.title.upper(),
        "source": rules.SOURCE,
        "meeting_date": vn_date(campaign.meeting_date),
        "unit": unit.name,
        "committee_names": ", ".join(p.full_name for p in committee) or "…",
        "figures": [
            {"label": "Số người được triệu tập", "value": str(result.summoned)},
            {
                "label": "Số người tham gia bỏ phiếu",
                "value": f"{result.participated} ({rules.pct(result.participation)})",
            },
            {"label": "Số phiếu hợp lệ", "value": str(result.valid_ballots)},
            {"label": "Số phiếu không hợp lệ", "value": str(result.invalid_ballots)},
        ],
        "status": result.status,
        "quorum_reason": result.trace[0].reason,
        "base": f"trên tổng {counted.shares_label} ({result.base_count})",
        "rows": rows,
        "consequences": consequences,
        "committee": [
            {"role": "Trưởng ban" if k == 0 else "Thành viên", "name": p.full_name}
            for k, p in enumerate(committee)
        ],
    }


def minutes_docx(counted: CampaignResult, *, on: datetime.date) -> bytes:
    """The counting record as a Word file."""
    document = DocxTemplate(str(TEMPLATE))
    document.render(minutes_context(counted, on=on))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which the rest of the site never needs.
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_to_string(template, context)).write_pdf()
    return pdf


def minutes_pdf(counted: CampaignResult, *, on: datetime.date) -> bytes:
    """The counting record as a PDF."""
    return _pdf("ballots/minutes_pdf.html", minutes_context(counted, on=on))


def paper_ballots_pdf(campaign: Campaign, *, copies: int) -> bytes:
    """`copies` blank paper ballots, two to a page, every cadre with the three choices."""
    candidates = list(campaign.candidates.select_related("person").order_by("position"))
    return _pdf(
        "ballots/paper_pdf.html",
        {
            "campaign": campaign,
            "candidates": candidates,
            "choices": Choice.labels,
            "copies": range(copies),
            "meeting_date": vn_date(campaign.meeting_date),
        },
    )
