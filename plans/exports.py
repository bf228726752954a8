"""Excel export of a filtered item list and Word export of a whole plan."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from congress.exports import CHUNK_SIZE, choice_labels
from congress.workdays import today

from .models import Plan, PlanItem


def items_sheet(items) -> dict:
    """The rows of the item list (same filters as the page), for congress.exports: every
    row, read once in chunks."""
    on = today()
    headers = [
        _("计划"), _("编号"), _("层级"), _("事项"), _("类型"), _("牵头委室"), _("配合单位"), _("分管领导"),
        _("计划时间"), _("完成时限"), _("状态"), _("进度（%）"), _("量化目标"), _("成果形式"), _("最近报送"), _("逾期"),
    ]
    yes = _("是")
    type_of, status_of = choice_labels(PlanItem, "item_type"), choice_labels(PlanItem, "status")

    def rows():
        for item in items.iterator(chunk_size=CHUNK_SIZE):
            cooperating = "、".join(
                [str(o) for o in item.cooperating_offices.all()] + [str(u) for u in item.cooperating_units.all()]
            )
            overdue = bool(item.due_date and item.due_date < on and not item.is_closed)
            yield [
                str(item.plan), item.number, item.level, item.title, type_of.get(item.item_type, item.item_type),
                str(item.lead_office or ""), cooperating, str(item.vice_chair or ""), item.period_label,
                item.due_date, status_of.get(item.status, item.status), item.progress, item.target, item.deliverable,
                item.last_progress_on, yes if overdue else "",
            ]

    return {"title": _("计划条目"), "headers": headers,
            "widths": [22, 8, 6, 50, 16, 14, 24, 10, 10, 12, 10, 8, 30, 20, 12, 6], "rows": rows(), "wrap": [3]}


def plan_docx(plan: Plan, items) -> bytes:
    """The whole plan as a numbered Word document, laid out like the original:
    title, preamble, then each item with its number, headings in bold, and who leads it."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "FangSong"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")
    normal.font.size = Pt(14)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(plan.title)
    run.bold = True
    run.font.size = Pt(20)
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    if plan.description:
        for para in plan.description.splitlines():
            if para.strip():
                p = document.add_paragraph(para.strip())
                p.paragraph_format.first_line_indent = Pt(28)

    for item in items:
        p = document.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        head = p.add_run(f"{item.number}{item.title}")
        if item.level <= 2:
            head.bold = True
            head.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体" if item.level == 1 else "楷体")
        if item.description:
            end = "" if item.title.endswith(("。", "！", "？")) else "。"
            p.add_run(end + item.description.replace("\n", ""))
        note = []
        if item.lead_office_id:
            note.append(_("牵头：%s") % item.lead_office)
        if item.vice_chair_id:
            note.append(_("分管：%s") % item.vice_chair)
        if item.lead_office_id or item.period_kind != "year":
            note.append(_("时间：%s") % item.period_label)
        if note:
            n = p.add_run("（" + "；".join(note) + "）")
            n.font.size = Pt(11)
            n.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
