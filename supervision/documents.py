"""Files the app produces: the Excel export of a list and the progress-reminder letter
(Word) to a livelihood project's department."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from congress.exports import CHUNK_SIZE, choice_labels
from congress.formatting import format_date_long

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    resp = HttpResponse(content, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def items_sheet(items) -> dict:
    """The filtered list as it is shown, one row per item, for congress.exports."""
    headers = [_("年度"), _("监督方式"), _("题目"), _("监督对象"), _("牵头委室"), _("审议会议"), _("审议日期"),
               _("状态"), _("逾期"), _("已公开")]
    from .models import SupervisionItem

    yes = _("是")
    kind_of, status_of = choice_labels(SupervisionItem, "kind"), choice_labels(SupervisionItem, "status")

    def rows():
        for item in items.iterator(chunk_size=CHUNK_SIZE):
            yield [
                item.year, kind_of.get(item.kind, item.kind), item.title, str(item.target_unit or ""), str(item.lead_office),
                str(item.meeting or ""), item.hearing_date, status_of.get(item.status, item.status),
                yes if getattr(item, "is_overdue", False) else "", yes if item.is_published else "",
            ]

    return {"title": _("监督事项"), "headers": headers, "widths": [8, 20, 50, 24, 16, 36, 12, 14, 6, 8], "rows": rows()}


def slipped_milestones(project, today: dt.date) -> list:
    return [m for m in project.milestones.all() if m.done_on is None and m.due_date < today]


def reminder_letter(project, today: dt.date) -> bytes:
    """进度提醒函: a letter to the department naming each milestone that slipped."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("关于加快推进民生实事项目进度的提醒函"))
    run.bold = True
    run.font.size = Pt(20)
    dept = str(project.department) if project.department_id else _("项目责任单位")
    doc.add_paragraph(f"{dept}：")
    slipped = slipped_milestones(project, today)
    doc.add_paragraph(
        _("根据“年初问计划、年中问进度、年末问结果”的要求，经跟踪监督，%(y)s年民生实事项目“%(p)s”"
          "目前进度为%(pc)s%%，以下节点未按计划完成：")
        % {"y": project.item.year, "p": project.name, "pc": project.progress_percent}
    )
    for m in slipped:
        days = (today - m.due_date).days
        doc.add_paragraph(
            _("%(t)s（计划%(d)s完成，已滞后%(n)s天）") % {"t": m.title, "d": format_date_long(m.due_date), "n": days},
            style="List Number",
        )
    if not slipped:
        doc.add_paragraph(_("目前没有滞后的节点，请继续按计划推进。"))
    doc.add_paragraph(
        _("请你单位高度重视，分析原因，落实措施，加快推进，并于收到本函之日起十五日内将整改措施和进展情况书面报送"
          "%(o)s。") % {"o": project.item.lead_office.name}
    )
    sign = doc.add_paragraph(f"{settings.INSTALLATION_NAME}{project.item.lead_office.name}")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = doc.add_paragraph(format_date_long(today))
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def reminder_letter_response(project, today: dt.date) -> HttpResponse:
    return _attachment(reminder_letter(project, today), _("进度提醒函-%(p)s.docx") % {"p": project.name}, DOCX)
