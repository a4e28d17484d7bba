"""Builds `self_review.docx`, the docxtpl template of the annual self-review (Mẫu 2A, 2B, 2C,
01) and of the State's assessment form, in the presentation of Party documents: the issuing
body on the left, the national header on the right, place and date, Times New Roman 14 on A4.

Regenerate after a change with `python -m thuocdo.reviews.annual.docx.build`; an organisation
may also edit the .docx in Word, keeping the {{ … }} and {%p … %} tags.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).with_name("self_review.docx")
FONT = "Times New Roman"


def add_line(
    container: _Cell | DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    center: bool = False,
    size: int = 14,
) -> Paragraph:
    paragraph = container.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def document_start() -> tuple[DocxDocument, _Cell]:
    """A new A4 document in Times New Roman 14 with the header table of an official document:
    the issuing body on the left (filled), the national header's cell on the right (empty)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    # Word reads the East Asian font slot too; without it some viewers substitute another face.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left, right = header.rows[0].cells
    # The national header must fit on one line at 13 pt: the right column takes the width.
    left.width, right.width = Cm(6), Cm(10.5)
    header.columns[0].width, header.columns[1].width = Cm(6), Cm(10.5)
    left.paragraphs[0].text = ""
    add_line(left, "{{ issuer_above }}", center=True, size=13)
    add_line(left, "{{ issuer }}", bold=True, center=True, size=13)
    add_line(left, "*", center=True, size=13)
    right.paragraphs[0].text = ""
    return doc, right


def build(path: Path = TEMPLATE) -> Path:
    """Write the template file and return its path."""
    doc, right = document_start()
    add_line(right, "{%p if state %}")
    add_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True, size=13)
    add_line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, center=True, size=13)
    add_line(right, "{%p else %}")
    add_line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, center=True, size=13)
    add_line(right, "{%p endif %}")
    add_line(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True,
          center=True, size=13)  # fmt: skip

    add_line(doc, "")
    add_line(doc, "{{ title }}", bold=True, center=True)
    add_line(doc, "Năm {{ period_year }}", bold=True, center=True)
    add_line(doc, "({{ usage }})", italic=True, center=True)
    add_line(doc, "")
    add_line(doc, "{%p for item in identity %}")
    add_line(doc, "{{ item.label }}: {{ item.value }}")
    add_line(doc, "{%p endfor %}")
    add_line(doc, "{%p for section in sections %}")
    add_line(doc, "{{ section.heading }}", bold=True)
    add_line(doc, "{%p for text in section.paragraphs %}")
    add_line(doc, "{{ text }}")
    add_line(doc, "{%p endfor %}")
    add_line(doc, "{%p endfor %}")
    add_line(doc, "{{ sheet_heading }}", bold=True)
    sheet = doc.add_table(rows=2, cols=2)
    sheet.style = "Table Grid"
    sheet.cell(0, 0).text = "Nội dung"
    sheet.cell(0, 1).text = "Tự đánh giá"
    sheet.cell(1, 0).text = "{%tr for row in sheet %}"
    sheet.rows[1].cells[1].text = ""
    row = sheet.add_row()
    row.cells[0].text = "{{ row.label }}"
    row.cells[1].text = "{{ row.value }}"
    end = sheet.add_row()
    end.cells[0].text = "{%tr endfor %}"
    add_line(doc, "Tự nhận mức xếp loại: {{ self_level }}", bold=True)
    add_line(doc, "{%p if on_behalf %}")
    add_line(doc, "{{ on_behalf }}", italic=True)
    add_line(doc, "{%p endif %}")
    add_line(doc, "")
    signature = doc.add_table(rows=1, cols=2)
    blank, sign = signature.rows[0].cells
    blank.paragraphs[0].text = ""
    sign.paragraphs[0].text = ""
    add_line(sign, "{{ signer_title }}", bold=True, center=True)
    add_line(sign, "(Ký, ghi rõ họ tên)", italic=True, center=True)
    add_line(sign, "")
    add_line(sign, "")
    add_line(sign, "{{ signer }}", bold=True, center=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
