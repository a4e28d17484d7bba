"""Builds `minutes.docx`, the docxtpl template of the counting record (biên bản kiểm phiếu) of
a confidence vote, in the presentation of Party documents like the self-review: the issuing
body on the left, the Party's header on the right, place and date, Times New Roman on A4.

Regenerate after a change with `python -m thuocdo.ballots.docx.build`; an organisation may
also edit the .docx in Word, keeping the {{ … }} and {%p … %} tags.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Cm, Pt

# The self-review's paragraph helper: one look for every Party document the system writes.
from thuocdo.reviews.annual.docx.build import add_line, document_start

TEMPLATE = Path(__file__).with_name("minutes.docx")
RESULT_HEADERS = [
    "TT", "Họ và tên, chức vụ", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp", "Hệ quả",
]  # fmt: skip
# Column widths in cm: 16,5 cm between the margins.
RESULT_WIDTHS = [1.0, 5.0, 2.3, 2.3, 2.3, 3.6]


def build(path: Path = TEMPLATE) -> Path:
    """Write the template file and return its path."""
    doc, right = document_start()
    add_line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, center=True, size=13)
    add_line(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True,
          center=True, size=13)  # fmt: skip

    add_line(doc, "")
    add_line(doc, "BIÊN BẢN KIỂM PHIẾU", bold=True, center=True)
    add_line(doc, "{{ title }}", bold=True, center=True)
    add_line(doc, "(Lấy phiếu tín nhiệm theo {{ source }})", italic=True, center=True)
    add_line(doc, "")
    add_line(doc, "Hội nghị ngày {{ meeting_date }} tại {{ unit }}.")
    add_line(doc, "Ban kiểm phiếu gồm: {{ committee_names }}.")
    add_line(doc, "{%p for item in figures %}")
    add_line(doc, "- {{ item.label }}: {{ item.value }}")
    add_line(doc, "{%p endfor %}")
    add_line(doc, "Kết quả: cuộc lấy phiếu {{ status }}. {{ quorum_reason }}", bold=True)
    add_line(doc, "Tỷ lệ tính {{ base }}.", italic=True)
    add_line(doc, "")
    add_line(doc, "KẾT QUẢ LẤY PHIẾU TÍN NHIỆM ĐỐI VỚI TỪNG NGƯỜI", bold=True)
    table = doc.add_table(rows=1, cols=len(RESULT_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, RESULT_HEADERS, strict=True):
        cell.text = text
    start = table.add_row()
    start.cells[0].text = "{%tr for row in rows %}"
    body = table.add_row()
    for cell, text in zip(
        body.cells,
        ["{{ row.n }}", "{{ row.name }}, {{ row.post }}", "{{ row.high }}", "{{ row.trust }}",
         "{{ row.low }}", "{{ row.consequence }}"],
        strict=True,
    ):  # fmt: skip
        cell.text = text
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, RESULT_WIDTHS, strict=True):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(13)
    add_line(doc, "")
    add_line(doc, "{%p for item in consequences %}")
    add_line(doc, "- {{ item }}")
    add_line(doc, "{%p endfor %}")
    add_line(doc, "Biên bản lập lúc kết thúc kiểm phiếu, đọc lại trước hội nghị.", italic=True)
    add_line(doc, "")
    add_line(doc, "BAN KIỂM PHIẾU", bold=True, center=True)
    add_line(doc, "(Ký, ghi rõ họ tên)", italic=True, center=True)
    signatures = doc.add_table(rows=1, cols=2)
    signatures.cell(0, 0).text = "{%tr for member in committee %}"
    row = signatures.add_row()
    row.cells[0].text = "{{ member.role }}"
    row.cells[1].text = "\n\n{{ member.name }}"
    end = signatures.add_row()
    end.cells[0].text = "{%tr endfor %}"
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
