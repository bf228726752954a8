"""The year-end summary draft as a Word document in the usual official layout
(GB/T 9704 as far as a draft needs it): A4, title centred in 方正小标宋简体 二号, body in
仿宋_GB2312 三号 with a two-character first-line indent and 28-point line spacing, section
headings (一、二、…) in 黑体, and the tables of figures appended with their definitions.
Fonts are named for East Asian text; where a font is missing Word substitutes its own."""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from congress.formatting import format_date_long
from congress.workdays import today

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
SUBTITLE_FONT = "楷体_GB2312"
SIZE_ER = Pt(22)  # 二号
SIZE_SAN = Pt(16)  # 三号
SIZE_XIAOSI = Pt(12)  # 小四


def _font(run, name: str, size, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(doc, text: str, font: str, size, *, align=None, indent=True, bold=False, space_after=0):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _cell(cell, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    _font(p.add_run(text), HEADING_FONT if bold else BODY_FONT, SIZE_XIAOSI, False)


def summary_document(rendered, groups: list[dict], year: int) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_SAN
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(doc, rendered.title, TITLE_FONT, SIZE_ER, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=6)
    _paragraph(
        doc,
        _("（%(name)s　%(date)s）") % {"name": settings.INSTALLATION_NAME, "date": format_date_long(today())},
        SUBTITLE_FONT, SIZE_SAN, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=12,
    )
    for kind, text in rendered.paragraphs:
        if kind == "heading":
            _paragraph(doc, text, HEADING_FONT, SIZE_SAN)
        else:
            _paragraph(doc, text, BODY_FONT, SIZE_SAN)

    # Tables of figures: what every number of the text is, how it is counted, and last year's value.
    doc.add_page_break()
    _paragraph(doc, _("附表：%(year)s年主要工作数据") % {"year": year}, HEADING_FONT, SIZE_SAN, indent=False,
               align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    for group in groups:
        _paragraph(doc, str(group["label"]), HEADING_FONT, SIZE_SAN, indent=False, space_after=4)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        headers = [_("序号"), _("项目"), _("%(y)s年") % {"y": year}, _("%(y)s年") % {"y": year - 1}, _("统计口径")]
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for i, fig in enumerate(group["figures"], start=1):
            cells = table.add_row().cells
            unit = "" if fig.is_rate else str(fig.unit)
            note = _("手工填报：%(reason)s") % {"reason": fig.reason} if fig.manual else str(fig.definition)
            _cell(cells[0], str(i), align=WD_ALIGN_PARAGRAPH.CENTER)
            _cell(cells[1], str(fig.label))
            _cell(cells[2], f"{fig.display}{unit}" if fig.value is not None else fig.display, align=WD_ALIGN_PARAGRAPH.CENTER)
            prev = fig.previous_display
            _cell(cells[3], f"{prev}{unit}" if fig.previous is not None else prev, align=WD_ALIGN_PARAGRAPH.CENTER)
            _cell(cells[4], note)
        widths = [Cm(1.2), Cm(4.2), Cm(2.4), Cm(2.4), Cm(5.4)]
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
        doc.add_paragraph()

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
