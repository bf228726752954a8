"""The collation of public comments on a draft as a Word document (意见汇总), in the
layout of the other Word exports (dashboards/word.py): per article, the number of
comments and each comment with its handling, as the lead committee reports them in
its deliberation report. Names and phones of senders are left out."""

import io
from collections import Counter
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from congress.formatting import format_date_long
from congress.workdays import today
from dashboards.word import BODY_FONT, HEADING_FONT, SIZE_ER, SIZE_SAN, SUBTITLE_FONT, TITLE_FONT, _cell, _paragraph

from .choices_consultation import Handling
from .services_consultation import plain_text

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def handling_counts(comments) -> dict:
    counts = Counter(c.handling for c in comments)
    return {
        "total": len(comments),
        "adopted": counts.get(Handling.ADOPTED, 0),
        "partly": counts.get(Handling.PARTLY, 0),
        "not_adopted": counts.get(Handling.NOT_ADOPTED, 0),
        "unhandled": counts.get("", 0),
    }


def counts_sentence(c: dict) -> str:
    return _("共%(total)s条，其中采纳%(adopted)s条、部分采纳%(partly)s条、未采纳%(not_adopted)s条、尚未处理%(unhandled)s条。") % c


def collation_document(consultation, groups) -> bytes:
    """`groups`: [(label, comments)] in the order of the draft (the whole draft first)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_SAN
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(doc, _("《%(t)s》公开征求意见情况汇总") % {"t": consultation.title}, TITLE_FONT, SIZE_ER,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=6)
    _paragraph(doc, _("（%(office)s　%(date)s）") % {"office": consultation.office, "date": format_date_long(today())},
               SUBTITLE_FONT, SIZE_SAN, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=12)
    everything = [c for _label, comments in groups for c in comments]
    _paragraph(doc, _("本草案于%(s)s至%(e)s公开征求意见，收到意见%(sentence)s") % {
        "s": format_date_long(consultation.start_date), "e": format_date_long(consultation.end_date),
        "sentence": counts_sentence(handling_counts(everything)),
    }, BODY_FONT, SIZE_SAN)
    for label, comments in groups:
        if not comments:
            continue
        _paragraph(doc, f"{label}（{counts_sentence(handling_counts(comments))}）", HEADING_FONT, SIZE_SAN,
                   indent=False, space_after=4)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, [_("编号"), _("意见内容"), _("处理情况"), _("理由")], strict=True):
            _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for comment in comments:
            cells = table.add_row().cells
            _cell(cells[0], comment.reference)
            _cell(cells[1], plain_text(comment.text))
            _cell(cells[2], comment.get_handling_display() or _("尚未处理"), align=WD_ALIGN_PARAGRAPH.CENTER)
            _cell(cells[3], plain_text(comment.handling_reason))
        widths = [Cm(2.6), Cm(7.4), Cm(2.0), Cm(3.6)]
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
        doc.add_paragraph()
    if not everything:
        _paragraph(doc, _("未收到意见。"), BODY_FONT, SIZE_SAN)
    _paragraph(doc, settings.INSTALLATION_NAME, BODY_FONT, SIZE_SAN, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def collation_response(consultation, groups) -> HttpResponse:
    resp = HttpResponse(collation_document(consultation, groups), content_type=DOCX)
    filename = _("%(t)s意见汇总.docx") % {"t": consultation.title}
    resp["Content-Disposition"] = (f"attachment; filename=\"comments-{consultation.pk}.docx\"; "
                                   f"filename*=UTF-8''{quote(filename)}")
    return resp
