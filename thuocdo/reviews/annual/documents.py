"""The self-review as a Word document (docxtpl): Mẫu 2A, 2B, 2C for a person, Mẫu 01 for a
collective, in the presentation of Party documents, or the State's header for a công chức or
viên chức classified under a State rule-set; filled from what was entered in the system."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import timezone
from docxtpl import DocxTemplate

from thuocdo.reviews.annual.docx.build import TEMPLATE
from thuocdo.reviews.annual.levels import FORM_CRITERIA, STATE_GROUPS
from thuocdo.reviews.annual.tracks import RATINGS, criteria_labels, reads_state_level, ruleset_get
from thuocdo.reviews.models import AnnualAssessment, AssessmentSource, Evaluation, SubjectKind
from thuocdo.rules import LEVEL_LABELS, Level
from thuocdo.rules.fmt import document_date_parts
from thuocdo.web.words import ruleset_name

USAGE = {
    "2A": "Dùng cho đảng viên, cán bộ, công chức, viên chức không giữ chức vụ lãnh đạo, quản lý",
    "2B": "Dùng cho cán bộ lãnh đạo, quản lý",
    "2C": "Dùng cho đảng viên không làm việc trong hệ thống chính trị",
    "01": "Dùng cho tập thể lãnh đạo, quản lý",
}
CLASSIFIED = ("HTXS", "HTT", "HTNV", "KHT")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]


def _is_state_form(evaluation: Evaluation) -> bool:
    """A công chức or viên chức classified under a State rule-set gets the State's header."""
    return evaluation.group in STATE_GROUPS and not reads_state_level(
        ruleset_get(evaluation.ruleset)
    )


def _sections(evaluation: Evaluation, own: AnnualAssessment | None) -> list[dict[str, Any]]:
    criteria = FORM_CRITERIA[evaluation.form_code]
    strengths = own.strengths if own else {}
    parts: list[tuple[str, list[str]]] = [
        (
            "Ưu điểm, kết quả đạt được",
            [
                f"{n}. {label}: {strengths.get(key) or '…'}"
                for n, (key, label) in enumerate(criteria.items(), start=1)
            ],
        ),
        (
            "Hạn chế, khuyết điểm và nguyên nhân",
            [own.shortcomings or "…", f"Nguyên nhân: {own.causes or '…'}"] if own else ["…"],
        ),
        (
            "Kết quả khắc phục những hạn chế, khuyết điểm đã được chỉ ra",
            [own.remedies or "…"] if own else ["…"],
        ),
    ]
    if evaluation.form_code == "2B":
        parts.append(
            (
                "Trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể",
                [own.responsibility or "…"] if own else ["…"],
            )
        )
    parts.append(("Phương hướng, biện pháp khắc phục", [own.direction or "…"] if own else ["…"]))
    return [
        {"heading": f"{ROMAN[i]}. {heading.upper()}", "paragraphs": paragraphs}
        for i, (heading, paragraphs) in enumerate(parts)
    ]


def _sheet(evaluation: Evaluation, own: AnnualAssessment | None) -> list[dict[str, str]]:
    labels = criteria_labels(ruleset_get(evaluation.ruleset))
    if labels is not None:
        given = own.criteria if own else {}
        return [
            {"label": label[:1].upper() + label[1:], "value": RATINGS.get(given.get(key, ""), "…")}
            for key, label in labels.items()
        ]

    def points(value: Any) -> str:
        return "…" if value is None else f"{value:.2f}".replace(".", ",")

    return [
        {"label": "Tiêu chí chung", "value": points(own.general if own else None)},
        {"label": "Kết quả thực hiện nhiệm vụ", "value": points(own.results if own else None)},
        {"label": "Tổng điểm", "value": points(own.total if own else None)},
    ]


def self_review_context(evaluation: Evaluation, *, on: datetime.date) -> dict[str, Any]:
    """What the form says, from the evaluation and its self-review."""
    own = (
        AnnualAssessment.objects.filter(evaluation=evaluation, source=AssessmentSource.SELF)
        .select_related("on_behalf_by__person")
        .first()
    )
    unit = evaluation.unit
    parent = unit.parent
    state = _is_state_form(evaluation)
    collective = evaluation.kind == SubjectKind.COLLECTIVE
    identity: list[dict[str, str]] = []
    if collective:
        title = f"BÁO CÁO KIỂM ĐIỂM TẬP THỂ {unit.name.upper()}"
        signer_title, signer = f"T/M {unit.name.upper()}", ""
    else:
        person = evaluation.person
        assert person is not None and evaluation.post is not None
        title = "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG" if state else "BẢN KIỂM ĐIỂM CÁ NHÂN"
        identity = [
            {"label": "Họ và tên", "value": person.full_name},
            {"label": "Ngày sinh", "value": person.birth_date.strftime("%d/%m/%Y")},
            {"label": "Chức vụ", "value": evaluation.post.title},
            {"label": "Đơn vị công tác", "value": unit.name},
        ]
        signer_title, signer = "NGƯỜI TỰ KIỂM ĐIỂM", person.full_name
    level = own.proposed_level if own else evaluation.self_level
    sections = _sections(evaluation, own)
    day, month, year = document_date_parts(on)
    return {
        "issuer_above": (parent.name if parent else "").upper(),
        "issuer": unit.name.upper(),
        # The State's header underlines the motto, the Party's the party's name (NĐ 30/2020,
        # HD 36-HD/VPTW): the template picks its lines by `state`.
        "state": state,
        "place": (parent or unit).name,
        "day": day,
        "month": month,
        "year": year,
        "title": title,
        "period_year": evaluation.period.year,
        "usage": (
            f"Mẫu {evaluation.form_code} — {USAGE[evaluation.form_code]}; "
            f"bộ quy tắc: {ruleset_name(evaluation.ruleset)}"
        ),
        "identity": identity,
        "sections": sections,
        "sheet_heading": f"{ROMAN[len(sections)]}. TỰ ĐÁNH GIÁ, XẾP LOẠI",
        "sheet": _sheet(evaluation, own),
        "self_level": f"{LEVEL_LABELS[Level[level]]} ({level})" if level in CLASSIFIED else "…",
        "signer_title": signer_title,
        "signer": signer,
        "on_behalf": on_behalf_line(own),
    }


def on_behalf_line(own: AnnualAssessment | None) -> str:
    """How a form entered on the person's behalf says so: "Nhập hộ bởi …, ngày …", and
    whether the person has confirmed it (empty for a self-review written by the person)."""
    if own is None or own.on_behalf_by_id is None:
        return ""
    line = f"Nhập hộ bởi {own.on_behalf_name}, ngày {timezone.localtime(own.at):%d/%m/%Y}"
    if own.confirmed_at is not None:
        return f"{line}; cá nhân đã xác nhận ngày {timezone.localtime(own.confirmed_at):%d/%m/%Y}."
    return f"{line}; cá nhân chưa xác nhận."


def self_review_docx(evaluation: Evaluation, *, on: datetime.date) -> bytes:
    """The filled Word file of an evaluation's self-review."""
    document = DocxTemplate(str(TEMPLATE))
    # Escaped: a self-review is free text and may hold "&" or "<", which would break the XML.
    document.render(self_review_context(evaluation, on=on), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
