"""Excel export of any filtered list, the Word assignment notice (交办单), and reading the
congress secretariat's Excel sheet of the session's suggestions."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from opencc import OpenCC

from congress.exports import CHUNK_SIZE, choice_labels
from congress.formatting import format_date, format_date_long
from congress.models import Deputy
from congress.periods import period
from congress.workdays import today

from .choices import ACTIVE_ASSIGNMENT_STATUSES, AssignmentRole, Period
from .models import Assignment, Suggestion, SuggestionCategory, format_number

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _units(s: Suggestion, role=None) -> str:
    return "、".join(
        a.unit.name for a in s.assignments.all()
        if a.status in ACTIVE_ASSIGNMENT_STATUSES and (role is None or a.role in role)
    )


def suggestion_list_base(user):
    """The suggestion list's scoped queryset in its order: the page, its export and the
    background export job all start here (then the same SuggestionFilterSet)."""
    return Suggestion.objects.visible_to(user).for_list().order_by(*Suggestion._meta.ordering)


# What a row of the sheet reads: plain values, no model instances.
SHEET_FIELDS = ("id", "serial", "title", "lead_deputy__name", "lead_deputy__delegation__name", "category__name",
                "period", "status", "assigned_on", "due_date", "first_replied_on", "replied_on_time", "key_level")
LEADING_ROLES = (AssignmentRole.LEAD, AssignmentRole.SEPARATE)


def _units_of(ids) -> dict[int, tuple[list, list]]:
    """{suggestion id: ([lead or separate unit names], [co-handling unit names])} for a chunk
    of ids, in one query, in the assignments' own order."""
    found: dict[int, tuple[list, list]] = {}
    rows = (Assignment.objects.filter(suggestion_id__in=ids, status__in=ACTIVE_ASSIGNMENT_STATUSES)
            .order_by("suggestion", "role", "id").values_list("suggestion_id", "role", "unit__name"))
    for sid, role, name in rows:
        leading, co = found.setdefault(sid, ([], []))
        if role in LEADING_ROLES:
            leading.append(name)
        elif role == AssignmentRole.CO:
            co.append(name)
    return found


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def suggestions_sheet(qs) -> dict:
    """The rows of a filtered, scoped list, for congress.exports: `qs` comes from
    suggestion_list_base + the FilterSet. Every row, read once as plain values in chunks of
    CHUNK_SIZE, with one more query per chunk for the units: two queries per 2,000 rows,
    and memory that does not grow with the list."""
    headers = [_("编号"), _("标题"), _("领衔代表"), _("代表团"), _("分类"), _("提出时间"), _("状态"), _("主办/分别办理单位"),
               _("协办单位"), _("交办日期"), _("答复期限"), _("答复日期"), _("按期答复"), _("重点督办")]
    yes, no = _("是"), _("否")
    period_of, status_of = choice_labels(Suggestion, "period"), choice_labels(Suggestion, "status")
    key_of = choice_labels(Suggestion, "key_level")
    empty = ([], [])

    def rows():
        values = qs.prefetch_related(None).values_list(*SHEET_FIELDS).iterator(chunk_size=CHUNK_SIZE)
        for chunk in _chunks(values, CHUNK_SIZE):
            units = _units_of([r[0] for r in chunk])
            for (pk, serial, title, lead, delegation, category, period_, status, assigned_on, due_date, replied_on,
                 on_time, key_level) in chunk:
                leading, co = units.get(pk, empty)
                yield [
                    format_number(serial), title, lead, delegation or "", category or "",
                    period_of.get(period_, period_), status_of.get(status, status), "、".join(leading), "、".join(co),
                    assigned_on, due_date, replied_on, "" if on_time is None else (yes if on_time else no),
                    key_of.get(key_level, key_level) if key_level else "",
                ]

    return {"title": _("代表建议"), "headers": headers, "widths": [10, 40, 10, 14, 10, 10, 10, 28, 24, 12, 12, 12, 8, 14],
            "rows": rows(), "wrap": [1]}


def assignment_notice_docx(items: list[Suggestion]) -> bytes:
    """交办单: one page per item with the units, roles, dates and the handling requirements."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from congress.models import Office

    from .models import ReplyCategory

    codes = "、".join(ReplyCategory.objects.filter(is_active=True).order_by("code").values_list("code", flat=True))
    office = Office.objects.filter(is_assigning_office=True).order_by("id").first()
    office_name = office.name if office else _("代表工作委员会")
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    for i, s in enumerate(items):
        if i:
            doc.add_page_break()
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(f"{settings.INSTALLATION_NAME}\n{_('代表建议交办单')}")
        run.bold = True
        run.font.size = Pt(18)
        meta = doc.add_paragraph(f"{s.session.name}　{s.number}")
        meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        cosigners = "、".join(
            c.deputy.name for c in s.cosignatures.all() if c.status == "confirmed"
        )
        rows = [
            (_("建议标题"), s.title),
            (_("领衔代表"), f"{s.lead_deputy.name}（{s.lead_deputy.delegation or ''}）"),
            (_("附议代表"), cosigners or _("无")),
            (_("主办单位") if not any(a.role == AssignmentRole.SEPARATE for a in s.assignments.all()) else _("分别办理单位"),
             _units(s, (AssignmentRole.LEAD, AssignmentRole.SEPARATE))),
            (_("协办单位"), _units(s, (AssignmentRole.CO,)) or _("无")),
            (_("交办日期"), f"{s.assigned_on or ''}"),
            (_("答复期限"), format_date(s.due_date)),
            (_("重点督办"), s.get_key_level_display() if s.key_level else _("否")),
        ]
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = str(label)
            cells[1].text = str(value)
        doc.add_paragraph()
        # The periods are settings (domain §8): the notice quotes the configured ones.
        doc.add_paragraph(_(
            "办理要求：请于交办之日起%(sign)s个工作日内签收；如不属本单位职责，请于交办之日起%(ret)s个工作日内"
            "申请退回，不得自行转办。主办单位应主动与代表沟通，协办单位应在%(co)s个月内向主办单位提出书面意见。"
            "答复函须经单位负责人签发，逐条答复，并标明答复分类（%(codes)s）。"
        ) % {"sign": period("sign_for_working_days"), "ret": period("return_window_working_days"),
             "co": period("cohandler_opinion_months"), "codes": codes})
        doc.add_paragraph(f"{_('交办机构')}：{office_name}　　{format_date_long(today())}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ import
IMPORT_COLUMNS = {
    "编号": "serial",
    "标题": "title",
    "领衔代表": "lead",
    "附议代表": "cosigners",
    "分类": "category",
    "事由": "situation",
    "具体建议": "proposal",
    "是否公开": "is_public",
    "提出时间": "period",
}
REQUIRED = ["title", "lead", "situation", "proposal"]
_t2s = None


def _simplified(text: str) -> str:
    # Sheets sometimes come from offices writing in Traditional characters.
    global _t2s
    if _t2s is None:
        _t2s = OpenCC("t2s")
    return _t2s.convert(text)


@dataclass
class ImportRow:
    line: int
    raw: dict
    errors: list = field(default_factory=list)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def read_sheet(fileobj) -> tuple[list[ImportRow], list[str]]:
    """Raw rows of the first sheet keyed by our field names; sheet-level errors apart."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:
        return [], [_("无法读取该文件，请确认是 .xlsx 格式的 Excel 文件。")]
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return [], [_("表格是空的。")]
    keys = [IMPORT_COLUMNS.get(_text(h).replace(" ", "")) for h in header]
    missing = [label for label, key in IMPORT_COLUMNS.items() if key in REQUIRED and key not in keys]
    if missing:
        return [], [_("缺少列：%(c)s") % {"c": "、".join(missing)}]
    result = []
    for line, values in enumerate(rows, start=2):
        raw = {k: _text(v) for k, v in zip(keys, values, strict=False) if k}
        if not any(raw.values()):
            continue
        result.append(ImportRow(line=line, raw=raw))
    if not result:
        return [], [_("表格中没有数据行。")]
    return result, []


def validate_rows(rows: list[ImportRow], session) -> list[dict]:
    """Check every row; return the rows ready for the import service (only meaningful when
    no row has errors: nothing is saved if any row is wrong)."""
    deputies: dict[str, list[Deputy]] = {}
    for d in Deputy.objects.filter(term_id=session.term_id):
        deputies.setdefault(d.name, []).append(d)
    categories = {c.name: c for c in SuggestionCategory.objects.all()}
    taken = set(Suggestion.objects.filter(session=session, serial__isnull=False).values_list("serial", flat=True))
    seen: set[int] = set()
    ready = []
    for row in rows:
        r = row.raw
        for key in REQUIRED:
            if not r.get(key):
                label = next(lb for lb, k in IMPORT_COLUMNS.items() if k == key)
                row.errors.append(_("“%(c)s”不能为空") % {"c": label})

        def deputy(name, row=row):
            found = deputies.get(name, [])
            if not found:
                row.errors.append(_("找不到本届代表“%(n)s”") % {"n": name})
                return None
            if len(found) > 1:
                row.errors.append(_("本届有多名代表叫“%(n)s”，请在系统中手工录入") % {"n": name})
                return None
            return found[0]

        lead = deputy(r["lead"]) if r.get("lead") else None
        cos = []
        for name in [n.strip() for n in r.get("cosigners", "").replace(",", "、").replace("，", "、").split("、") if n.strip()]:
            d = deputy(name)
            if d is not None and d != lead:
                cos.append(d)
        serial = None
        if r.get("serial"):
            digits = "".join(ch for ch in r["serial"] if ch.isdigit())
            if not digits:
                row.errors.append(_("编号“%(s)s”无效") % {"s": r["serial"]})
            else:
                serial = int(digits)
                if serial in taken:
                    row.errors.append(_("编号%(n)s已被本次会议的其他建议使用") % {"n": serial})
                if serial in seen:
                    row.errors.append(_("编号%(n)s在表格中重复") % {"n": serial})
                seen.add(serial)
        category = None
        if r.get("category"):
            category = categories.get(r["category"])
            if category is None:
                row.errors.append(_("分类“%(c)s”不存在") % {"c": r["category"]})
        period = None
        if r.get("period"):
            period = {"会议期间": Period.SESSION, "闭会期间": Period.RECESS}.get(r["period"])
            if period is None:
                row.errors.append(_("提出时间应为“会议期间”或“闭会期间”"))
        public = r.get("is_public", "") not in ("否", "不公开", "0", "N", "n", "false", "False")
        if len(r.get("title", "")) > 200:
            row.errors.append(_("标题超过200字"))
        ready.append({
            "serial": serial, "title": _simplified(r.get("title", "")), "situation": _simplified(r.get("situation", "")),
            "proposal": _simplified(r.get("proposal", "")), "lead_deputy": lead, "cosigners": cos, "category": category,
            "is_public": public, "period": period,
        })
    return ready
