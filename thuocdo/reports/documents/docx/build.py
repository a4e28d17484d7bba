"""Builds `summary_report.docx`, the docxtpl template of the summary report of a period
("Báo cáo kết quả đánh giá, xếp loại chất lượng … năm YYYY"), in one of two presentations:

- the Party's (Hướng dẫn 36-HD/VPTW, 2018): the superior committee and the issuing body at the
  left with "*" and "Số 12-BC/BTCTU" under them, "ĐẢNG CỘNG SẢN VIỆT NAM" (15, bold,
  underlined) at the right, the place and date in italics; "Nơi nhận" underlined;
- the State's (Nghị định 30/2020/NĐ-CP, Phụ lục I) for công chức and viên chức: "CỘNG HÒA XÃ
  HỘI CHỦ NGHĨA VIỆT NAM" (13, bold) over "Độc lập - Tự do - Hạnh phúc" (14, bold,
  underlined), "Số: 12/BC-UBND"; "Nơi nhận:" in bold italics at 12, its items at 11.

Times New Roman 14 on A4 for the body, which both texts allow (Party 14–15, State 13–14).
Regenerate after a change with `python -m thuocdo.reports.documents.docx.build`; an organisation may
also edit the .docx in Word, keeping the {{ … }}, {%p … %} and {%tr … %} tags.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).with_name("summary_report.docx")
FONT = "Times New Roman"
BODY_SIZE = 14
TABLE_SIZE = 12
DRILL_SIZE = 11
CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, "justify"

# The tables: (header, width in cm, field of the row in the context); 16,5 cm in all at most.
# Figures are aligned right, text left.
Columns = list[tuple[str, float, str]]
TEXT_FIELDS = frozenset({"label", "name", "unit", "group"})
LEVEL_TABLE: Columns = [
    ("Mức xếp loại", 7.6, "label"),
    ("Số lượng", 2.2, "count"),
    ("Tỷ lệ trên tổng số", 3.2, "share"),
    ("Tỷ lệ trên số từ HTT trở lên", 3.5, "of_good"),
]
UNIT_TABLE: Columns = [
    ("Đơn vị", 4.6, "name"),
    ("Tổng số", 1.6, "total"),
    ("HTXS", 2, "htxs"),
    ("HTT", 2, "htt"),
    ("HTNV", 2, "htnv"),
    ("KHT", 2, "kht"),
    ("HTXS / từ HTT trở lên", 2.3, "of_good"),
]
FAILED_TABLE: Columns = [
    ("STT", 1.2, "number"),
    ("Họ và tên", 5, "name"),
    ("Đơn vị", 5.3, "unit"),
    ("Nhóm đối tượng", 5, "group"),
]


def _line(
    container: _Cell | DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | str | None = None,
    size: int = BODY_SIZE,
    indent: bool = False,
    keep: bool = False,
    before: int = 0,
) -> Paragraph:
    paragraph = container.add_paragraph()
    # `keep` holds a heading on the page of what it introduces; `before` clears a table above.
    paragraph.paragraph_format.keep_with_next = keep or None
    paragraph.paragraph_format.space_before = Pt(before) if before else None
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    if align == JUSTIFY:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1) if indent else None
    elif isinstance(align, WD_ALIGN_PARAGRAPH):
        paragraph.alignment = align
    return paragraph


def _tag(container: _Cell | DocxDocument, tag: str) -> None:
    """A paragraph holding only a {%p … %} tag: docxtpl removes the paragraph itself."""
    container.add_paragraph().add_run(tag)


def _cell(
    cell: _Cell,
    text: str,
    *,
    size: int,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align


def _row_property(row: _Row, name: str) -> None:
    """Switch on a row property (w:tblHeader, w:cantSplit) that python-docx does not expose."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement(name))


def _looped_table(doc: DocxDocument, loop: str, columns: Columns, *, size: int) -> None:
    """A grid with a header row and one row repeated by `{%tr for row in <loop> %}`."""
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, (label, width, _) in enumerate(columns):
        table.columns[index].width = Cm(width)
        _cell(table.cell(0, index), label, size=size, bold=True, align=CENTER)
    # The header row repeats on every page the table runs over; no row is cut in two.
    _row_property(table.rows[0], "w:tblHeader")
    for tag in (f"{{%tr for row in {loop} %}}", None, "{%tr endfor %}"):
        row = table.add_row()
        _row_property(row, "w:cantSplit")
        for index, (_, width, field) in enumerate(columns):
            row.cells[index].width = Cm(width)
            if tag is not None:
                _cell(row.cells[index], tag if index == 0 else "", size=size)
            else:
                align = None if field in TEXT_FIELDS else RIGHT
                _cell(row.cells[index], f"{{{{ row.{field} }}}}", size=size, align=align)


def _header(doc: DocxDocument) -> None:
    """Issuing body and number at the left; national header, place and date at the right."""
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(6.5), Cm(10))
    for index, width in enumerate(widths):
        table.columns[index].width = width
        for row in table.rows:
            row.cells[index].width = width
    (left, right), (number, date) = (row.cells for row in table.rows)
    for cell in (left, right, number, date):
        cell.paragraphs[0].text = ""
    _tag(left, "{%p if state %}")
    _tag(left, "{%p if issuer_above %}")
    _line(left, "{{ issuer_above }}", align=CENTER, size=13)
    _tag(left, "{%p endif %}")
    _line(left, "{{ issuer }}", bold=True, align=CENTER, size=13)
    _line(left, "________", align=CENTER, size=13)
    _tag(left, "{%p else %}")
    _tag(left, "{%p if issuer_above %}")
    _line(left, "{{ issuer_above }}", align=CENTER)
    _tag(left, "{%p endif %}")
    _line(left, "{{ issuer }}", bold=True, align=CENTER)
    _line(left, "*", align=CENTER)
    _tag(left, "{%p endif %}")
    _tag(right, "{%p if state %}")
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=CENTER, size=13)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, align=CENTER)
    _tag(right, "{%p else %}")
    _line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, align=CENTER, size=15)
    _tag(right, "{%p endif %}")
    _line(number, "{{ number_line }}", align=CENTER, size=13)
    _line(date, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True,
          align=CENTER)  # fmt: skip


def _signature(doc: DocxDocument) -> None:
    """ "Nơi nhận" at the bottom left, the signer at the bottom right (name left for the pen)."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    recipients, sign = table.rows[0].cells
    for index, (cell, width) in enumerate(((recipients, Cm(7.5)), (sign, Cm(9)))):
        table.columns[index].width = width
        cell.width = width
        cell.paragraphs[0].text = ""
    _tag(recipients, "{%p if state %}")
    _line(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
    _tag(recipients, "{%p for item in recipients %}")
    _line(recipients, "{{ item }}", size=11)
    _tag(recipients, "{%p endfor %}")
    _tag(recipients, "{%p else %}")
    _line(recipients, "Nơi nhận:", underline=True)
    _tag(recipients, "{%p for item in recipients %}")
    _line(recipients, "{{ item }}", size=12)
    _tag(recipients, "{%p endfor %}")
    _tag(recipients, "{%p endif %}")
    _tag(sign, "{%p if signer_authority %}")
    _line(sign, "{{ signer_authority }}", bold=True, align=CENTER)
    _tag(sign, "{%p endif %}")
    _line(sign, "{{ signer_title }}", bold=True, align=CENTER)
    for _ in range(4):
        _line(sign, "", align=CENTER)
    _line(sign, "{{ signer_name }}", bold=True, align=CENTER)


def build(path: Path = TEMPLATE) -> Path:
    """Write the template file and return its path."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    # Word reads the East Asian font slot too; without it some viewers substitute another face.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(3)

    _header(doc)
    _line(doc, "")
    _tag(doc, "{%p if state %}")
    _line(doc, "BÁO CÁO", bold=True, align=CENTER)
    _tag(doc, "{%p else %}")
    _line(doc, "BÁO CÁO", bold=True, align=CENTER, size=16)
    _tag(doc, "{%p endif %}")
    _line(doc, "{{ subject }}", bold=True, align=CENTER)
    _line(doc, "-----", align=CENTER)
    _tag(doc, "{%p for text in intro %}")
    _line(doc, "{{ text }}", align=JUSTIFY, indent=True)
    _tag(doc, "{%p endfor %}")
    _line(doc, "{{ results_heading }}", bold=True, align=JUSTIFY, indent=True, keep=True)
    _tag(doc, "{%p for group in groups %}")
    _line(doc, "{{ group.heading }}", bold=True, align=JUSTIFY, indent=True, keep=True, before=6)
    _line(doc, "{{ group.sentence }}", align=JUSTIFY, indent=True, keep=True)
    _looped_table(doc, "group.levels", LEVEL_TABLE, size=TABLE_SIZE)
    _line(doc, "{{ group.quota }}", align=JUSTIFY, indent=True, before=6)
    _tag(doc, "{%p if group.units %}")
    _line(doc, "{{ group.units_heading }}", italic=True, align=JUSTIFY, indent=True, keep=True)
    _looped_table(doc, "group.units", UNIT_TABLE, size=DRILL_SIZE)
    _tag(doc, "{%p if group.units_note %}")
    _line(doc, "{{ group.units_note }}", italic=True, size=12)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if failed %}")
    _line(doc, "{{ failed_heading }}", bold=True, align=JUSTIFY, indent=True, keep=True, before=6)
    _looped_table(doc, "failed", FAILED_TABLE, size=TABLE_SIZE)
    _tag(doc, "{%p if failed_note %}")
    _line(doc, "{{ failed_note }}", italic=True, size=12)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")
    _line(doc, "{{ closing }}", align=JUSTIFY, indent=True, before=6)
    _line(doc, "")
    _signature(doc)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
