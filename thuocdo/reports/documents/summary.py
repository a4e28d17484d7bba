"""The summary report of a period as a Word document (docxtpl): "Báo cáo kết quả đánh giá, xếp
loại chất lượng … năm YYYY" of a unit subtree, in the Party's presentation (Hướng dẫn
36-HD/VPTW) or, for công chức and viên chức, the State's (Nghị định 30/2020/NĐ-CP).

The figures are those of the distribution report (one selector, one arithmetic); what the
system cannot know (the number, the issuing body as it signs, place, date, signer) comes in a
`Letterhead`, with defaults drawn from the unit.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, replace
from typing import Any

from docxtpl import DocxTemplate

from thuocdo.org.models import Unit, UnitKind
from thuocdo.reports.common.exports import period_label, sources_text
from thuocdo.reports.common.levels import LEVELS, LevelCounts, vn_share
from thuocdo.reports.common.selectors import (
    GROUP_LABELS,
    MONTHLY_GROUP,
    DistributionReport,
    GroupReport,
    failed_individuals,
)
from thuocdo.reports.documents.docx.build import TEMPLATE
from thuocdo.reviews.annual.levels import STATE_GROUPS
from thuocdo.reviews.models import Evaluation
from thuocdo.rules import LEVEL_LABELS, Level
from thuocdo.rules.fmt import document_date_parts, vn_number

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# How each group is named inside a sentence ("49.463 đảng viên được xếp loại").
NOUNS = {
    "party_member": "đảng viên",
    "leader": "cán bộ lãnh đạo, quản lý",
    "civil_servant": "công chức",
    "public_employee": "viên chức",
    "collective": "tập thể",
    MONTHLY_GROUP: "cán bộ, công chức, viên chức",
}
GOOD_OR_BETTER = "Từ Hoàn thành tốt nhiệm vụ trở lên"
# A city-wide report names its KHT people; a national one (0,34% of 5,6 million) would run to
# hundreds of pages, so the list stops here and says so.
FAILED_LISTED = 300
# Who signs by default (authority, title): a People's Committee for the State, a cell's
# secretary for a cell, the standing board's secretary for any other Party document.
STATE_SIGNER = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
CELL_SIGNER = ("T/M CHI BỘ", "BÍ THƯ")
PARTY_SIGNER = ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")


@dataclass(frozen=True)
class Letterhead:
    """What the report says about itself: who issues it, its number, place, date, signer."""

    issuer_above: str
    issuer: str
    code: str
    number: str
    place: str
    on: datetime.date
    signer_authority: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]


def is_state_report(group: str | None) -> bool:
    """A report on công chức or viên chức alone is a State document; any other, the Party's."""
    return group in STATE_GROUPS


def letterhead_defaults(*, unit: Unit, group: str | None, on: datetime.date) -> Letterhead:
    """The header a unit would write: its own name under its superior's, dated today."""
    parent, state = unit.parent, is_state_report(group)
    cell = unit.kind == UnitKind.PARTY_CELL
    # A Party cell is not a place name: its documents are dated where its parent is.
    place = parent.name if cell and parent else unit.name
    report_up = [f"{parent.name} (để báo cáo)"] if parent else []
    authority, title = STATE_SIGNER if state else CELL_SIGNER if cell else PARTY_SIGNER
    return Letterhead(
        issuer_above=parent.name.upper() if parent else "",
        issuer=unit.name.upper(),
        code=unit.code.upper(),
        number="",
        place=place,
        on=on,
        signer_authority=authority,
        signer_title=title,
        signer_name="",
        recipients=(*report_up, "Lưu: VT" if state else "Lưu Văn phòng"),
    )


def letterhead_with(
    *, unit: Unit, group: str | None, on: datetime.date, number: str = "", place: str = ""
) -> Letterhead:
    """The unit's defaults with a number and, when given, a place (the API's and the CLI's)."""
    defaults = letterhead_defaults(unit=unit, group=group, on=on)
    return replace(defaults, number=number, place=place or defaults.place)


def number_line(letterhead: Letterhead, *, state: bool) -> str:
    """The number: "Số 12-BC/BTCTU" (HD 36) or "Số: 12/BC-UBND" (NĐ 30); blank to fill by hand."""
    number = letterhead.number or "\u00a0" * 6
    if state:
        return f"Số: {number}/BC-{letterhead.code}"
    return f"Số {number}-BC/{letterhead.code}"


def _recipients(items: tuple[str, ...], *, state: bool) -> list[str]:
    """One line per recipient: "- …;" (State) or "- …," (Party), the last one ending "."."""
    cleaned = [item.strip().lstrip("-").strip().rstrip(",;.") for item in items]
    cleaned = [item for item in cleaned if item]
    separator = ";" if state else ","
    return [
        f"- {item}{'.' if index == len(cleaned) - 1 else separator}"
        for index, item in enumerate(cleaned)
    ]


def subject_phrase(*, report: DistributionReport, group: str | None) -> str:
    """Who the report is about, inside its title ("đảng viên và cán bộ lãnh đạo, quản lý")."""
    codes = [item.group for item in report.groups] or ([group] if group else [])
    nouns = [NOUNS[code] for code in codes]
    if not nouns:
        return "cán bộ, đảng viên"
    if len(nouns) == 1:
        return nouns[0]
    return f"{', '.join(nouns[:-1])} và {nouns[-1]}"


def group_sentence(item: GroupReport) -> str:
    """The group's result in one sentence, as the seeds print it."""
    counts = item.counts
    if not counts.total:
        return f"Chưa có {NOUNS[item.group]} nào được xếp loại."
    sentence = (
        f"{vn_number(counts.total)} {NOUNS[item.group]} được xếp loại: "
        f"{vn_number(counts.good_or_better)} ({vn_share(counts.good_or_better_share)}) "
        "từ Hoàn thành tốt nhiệm vụ trở lên, trong đó "
        f"{vn_number(counts.htxs)} ({vn_share(counts.excellent_of_good)}) Hoàn thành xuất sắc "
        f"nhiệm vụ; {vn_number(counts.htnv)} ({vn_share(counts.share('HTNV'))}) Hoàn thành nhiệm "
        f"vụ; {vn_number(counts.kht)} ({vn_share(counts.share('KHT'))}) Không hoàn thành nhiệm vụ."
    )
    if counts.kxl:
        sentence += f" Không xếp loại: {vn_number(counts.kxl)}."
    return sentence


def _level_rows(counts: LevelCounts) -> list[dict[str, str]]:
    """The group's table: each level over the total, HTXS also over "HTT or better"."""

    def row(label: str, count: int, share: str = "", of_good: str = "") -> dict[str, str]:
        return {"label": label, "count": vn_number(count), "share": share, "of_good": of_good}

    rows = [
        row(
            f"{LEVEL_LABELS[Level[level]]} ({level})",
            counts.count(level),
            vn_share(counts.share(level)),
            vn_share(counts.excellent_of_good) if level == "HTXS" else "",
        )
        for level in LEVELS
    ]
    rows.append(row(GOOD_OR_BETTER, counts.good_or_better, vn_share(counts.good_or_better_share)))
    rows.append(row("Tổng số được xếp loại", counts.total, "100%" if counts.total else "—"))
    if counts.kxl:
        rows.append(row("Không xếp loại", counts.kxl))
    return rows


def _quota_text(item: GroupReport) -> str:
    """The quota flag with its legal source, or the share within the quota."""
    if not item.counts.total:
        return ""
    if item.flagged:
        return (
            f"Tỷ lệ Hoàn thành xuất sắc nhiệm vụ vượt quy định: {item.quota.explanation()}. "
            f"Căn cứ: {item.source}, tỷ lệ tính trên số từ Hoàn thành tốt nhiệm vụ trở lên."
        )
    text = f"Tỷ lệ Hoàn thành xuất sắc nhiệm vụ: {item.quota.explanation()}."
    return f"{text} Căn cứ: {item.source}." if item.source else text


def _unit_rows(item: GroupReport) -> list[dict[str, str]]:
    """The drill-down by child unit, the subtree's total first; empty for a leaf unit."""
    lines = item.lines
    if not any(line.drill for line in lines):
        return []

    def cell(counts: LevelCounts, level: str) -> str:
        return f"{vn_number(counts.count(level))} ({vn_share(counts.share(level))})"

    return [
        {
            "name": line.name,
            "total": vn_number(line.counts.total),
            **{level.lower(): cell(line.counts, level) for level in LEVELS},
            "of_good": vn_share(line.counts.excellent_of_good)
            + (" (*)" if line.over_quota else ""),
        }
        for line in lines
    ]


def _group_context(index: int, item: GroupReport) -> dict[str, Any]:
    units = _unit_rows(item)
    over = any(line.over_quota for line in item.lines) and bool(units)
    return {
        "heading": f"{index}. {item.label}",
        "sentence": group_sentence(item),
        "levels": _level_rows(item.counts),
        "quota": _quota_text(item),
        "units": units,
        "units_heading": "Chi tiết theo đơn vị (số lượng và tỷ lệ trên tổng số được xếp loại):",
        "units_note": (
            "(*) Tỷ lệ Hoàn thành xuất sắc nhiệm vụ trên số từ Hoàn thành tốt nhiệm vụ trở lên "
            "vượt 20%."
            if over
            else ""
        ),
    }


def summary_context(
    *,
    report: DistributionReport,
    letterhead: Letterhead,
    group: str | None,
    failed: list[Evaluation],
) -> dict[str, Any]:
    """What the summary report says, from the distribution and the letterhead."""
    state = is_state_report(group)
    period = period_label(report)
    phrase = subject_phrase(report=report, group=group)
    subject = f"kết quả đánh giá, xếp loại chất lượng {phrase} {period}"
    labels = [item.label for item in report.groups] or ([GROUP_LABELS[group]] if group else [])
    scope = [f"Phạm vi báo cáo: {report.unit.name} và các đơn vị trực thuộc", period]
    scope.append(f"nhóm đối tượng: {'; '.join(labels)}" if labels else "mọi nhóm đối tượng")
    if report.category:
        scope.append(f"đối tượng: {report.category_label}")
    intro = [
        "; ".join(scope) + ".",
        f"{sources_text(report)} Tỷ lệ từng mức tính trên tổng số được xếp loại; tỷ lệ Hoàn "
        "thành xuất sắc nhiệm vụ còn tính trên số được xếp loại từ Hoàn thành tốt nhiệm vụ trở "
        "lên.",
    ]
    if report.is_empty:
        intro.append(f"Chưa có kết quả xếp loại {period} trong phạm vi {report.unit.name}.")
    day, month, year = document_date_parts(letterhead.on)
    return {
        "state": state,
        "issuer_above": letterhead.issuer_above,
        "issuer": letterhead.issuer,
        "number_line": number_line(letterhead, state=state),
        "place": letterhead.place,
        "day": day,
        "month": month,
        "year": year,
        # The Party writes the subject in lower case under the document type, the State
        # capitalises its first letter.
        "subject": subject[:1].upper() + subject[1:] if state else subject,
        "intro": intro,
        "results_heading": "I. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI",
        "groups": [_group_context(n, item) for n, item in enumerate(report.groups, start=1)],
        "failed_heading": "II. DANH SÁCH CÁ NHÂN KHÔNG HOÀN THÀNH NHIỆM VỤ",
        "failed": [
            {
                "number": str(n),
                "name": ev.person.full_name if ev.person else "",
                "unit": ev.unit.name,
                "group": GROUP_LABELS[ev.group],
            }
            for n, ev in enumerate(failed[:FAILED_LISTED], start=1)
        ],
        "failed_note": (
            f"Danh sách chỉ ghi {vn_number(FAILED_LISTED)} người đầu tiên; danh sách đầy đủ "
            "có trong báo cáo của từng đơn vị trực thuộc."
            if len(failed) > FAILED_LISTED
            else ""
        ),
        "closing": (f"Trên đây là báo cáo {subject} trong phạm vi {report.unit.name}."),
        "recipients": _recipients(letterhead.recipients, state=state),
        "signer_authority": letterhead.signer_authority,
        "signer_title": letterhead.signer_title,
        "signer_name": letterhead.signer_name,
    }


def summary_docx(*, report: DistributionReport, letterhead: Letterhead, group: str | None) -> bytes:
    """The filled Word file of the summary report, with the names of those concluded KHT."""
    # A month has no conclusions, only scores: the names are those of a year's conclusion.
    failed = (
        []
        if report.month
        else failed_individuals(
            unit=report.unit,
            year=report.year,
            group=group,
            category=report.category,
            limit=FAILED_LISTED + 1,
        )
    )
    document = DocxTemplate(str(TEMPLATE))
    # Escaped: the issuer, place and signer are typed by users and may hold "&" or "<".
    document.render(
        summary_context(report=report, letterhead=letterhead, group=group, failed=failed),
        autoescape=True,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_file_name(*, report: DistributionReport, group: str | None) -> str:
    """An ASCII file name: bao-cao-xep-loai-<unit>-<year>[-T<month>][-<group>][-<category>]."""
    parts = ["bao-cao-xep-loai", report.unit.code, str(report.year)]
    parts += [f"T{report.month:02d}"] if report.month else []
    parts += [p for p in (group, report.category) if p]
    return "-".join(parts).replace("/", "-").replace(" ", "-") + ".docx"
