"""Demo data of annual plans: this year's work points imported from the sample
document, items assigned to offices and vice-chairs, some progress, a few overdue;
and a short published supervision plan that deputies and units can read."""

import datetime as dt
from pathlib import Path

from django.conf import settings

from congress.models import AgendaItem

from . import services
from .choices import ItemStatus, ItemType, PeriodKind, PlanKind
from .models import Plan, PlanItem

# The sample document users paste in (a county-level city's annual work points).
SAMPLE_PATHS = [Path(settings.BASE_DIR) / "plans" / "samples" / "plan-municipal-work-points.txt"]

# A fallback in the sample's own form, for installations without the samples folder.
FALLBACK_TEXT = """一、凝心聚力,服务中心
1.为建设美丽城市、增强市民发展共识服务。
(1)认真部署、精心组织全市人大代表开展“美丽城市因为有你,建设家乡势必有我”大型活动。
(2)发出倡议,要求广大代表围绕全市工作大局带头做好本职工作。
2.为全面依法治市、构建平安和谐城市服务。
(1)继续督促落实法治城市建设决定,做好“八五”普法工作。
(2)继续开展宪法学习宣传,抓好宪法日活动。
(3)依法对“一府两院”法律法规执行情况及相关工作进行专项检查。全年将开展五次以上专项检查工作。
二、深化改革,优化营商环境
1.为推动经济高质量发展服务。
(1)支持和监督政府深化“放管服”改革,优化营商环境。
(2)助力创新驱动发展战略,促进产业升级转型。
2.为改善民生福祉服务。
(1)聚焦重点领域,推动基本公共服务均等化。
(2)关注弱势群体,保障困难群众基本生活。
三、强化监督,提升治理效能
1.加强人大监督工作,确保权力运行公开透明。
(1)完善监督机制,提高监督实效。
(2)加强预算审查监督,促进财政资金高效使用。
2.推进基层民主建设,激发社会治理活力。
(1)完善基层自治制度,夯实社会治理基础。
(2)创新社会治理模式,提升社会治理效能。
"""

SUPERVISION_TEXT = """一、听取和审议专项工作报告
（一）听取和审议市人民政府关于全市义务教育优质均衡发展情况的报告。
（二）听取和审议市人民政府关于保障性住房建设资金管理使用情况的报告。
二、开展执法检查
（一）检查《中华人民共和国大气污染防治法》实施情况。全年开展两次以上明察暗访。
三、开展专题询问
（一）结合审议老旧小区改造工作情况的报告开展专题询问。
"""

# (office short name, period kind, month or quarter, item type) for the 13 leaf items, in order.
ASSIGNMENTS = [
    ("代表工委", PeriodKind.QUARTER, 1, ItemType.DEPUTIES),
    ("代表工委", PeriodKind.MONTH, -2, ItemType.DEPUTIES),
    ("法工委", PeriodKind.YEAR, None, ItemType.SUPERVISION_INSPECTION),
    ("法工委", PeriodKind.MONTH, 12, ItemType.OTHER),
    ("财经委", PeriodKind.MONTH, -1, ItemType.SUPERVISION_INSPECTION),
    ("财经委", PeriodKind.MONTH, 0, ItemType.SUPERVISION_REPORT),
    ("财经委", PeriodKind.QUARTER, 4, ItemType.SUPERVISION_RESEARCH),
    ("教科文卫工委", PeriodKind.MONTH, -3, ItemType.SUPERVISION_REPORT),
    ("社会建设工委", PeriodKind.YEAR, None, ItemType.SUPERVISION_RESEARCH),
    ("办公室", PeriodKind.YEAR, None, ItemType.SELF_BUILDING),
    ("预工委", PeriodKind.MONTH, 1, ItemType.SUPERVISION_BUDGET),
    ("社会建设工委", PeriodKind.QUARTER, 3, ItemType.OTHER),
    ("办公室", PeriodKind.YEAR, None, ItemType.SELF_BUILDING),
]


def _sample_text() -> str:
    for p in SAMPLE_PATHS:
        if p.exists():
            return p.read_text(encoding="utf-8")
    return FALLBACK_TEXT


def _month(today: dt.date, value: int) -> int:
    """A month relative to today (value <= 0) or absolute (value > 0), kept in this year."""
    if value > 0:
        return value
    return min(12, max(1, today.month + value))


def seed(ctx) -> None:
    year = ctx["year"]
    today = ctx["today"]
    if Plan.objects.filter(year=year, kind=PlanKind.WORK_POINTS).exists():
        return
    users = ctx["users"]
    offices = ctx["offices"]
    admin = users["admin"]
    director = users["director"]

    plan = services.plan_create(
        actor=admin,
        kind=PlanKind.WORK_POINTS,
        year=year,
        title=f"江州市人大常委会{year}年工作要点",
        owner_office=offices["办公室"],
        approved_on=dt.date(year, 1, 28),
    )
    draft = services.plan_import_preview(actor=admin, plan=plan, text=_sample_text().replace("202x", str(year)))
    services.draft_confirm(actor=admin, draft=draft)

    leaves = list(PlanItem.objects.filter(plan=plan).leaves().order_by("path"))
    for item, (office, kind, when, item_type) in zip(leaves, ASSIGNMENTS, strict=False):
        o = offices[office]
        services.item_update(
            actor=admin,
            item=item,
            version=item.version,
            lead_office=o,
            vice_chair=o.vice_chair or director,
            item_type=item_type,
            period_kind=kind,
            planned_month=_month(today, when) if kind == PeriodKind.MONTH else None,
            planned_quarter=when if kind == PeriodKind.QUARTER else None,
            deliverable="专项工作报告" if item_type == ItemType.SUPERVISION_REPORT else "",
        )
    leaves = list(PlanItem.objects.filter(plan=plan).leaves().select_related("lead_office").order_by("path"))

    # Progress by the lead office's own staff where the demo has an account for it.
    reporters = {"财经委": users["staff"], "教科文卫工委": users["staff2"], "代表工委": users["assign"]}
    texts = [
        (30, "已制定实施方案，召开动员部署会。"),
        (60, "完成调研走访，形成初步报告。"),
        (80, "报告已提交主任会议讨论。"),
    ]
    for n, item in enumerate(leaves):
        reporter = reporters.get(str(item.lead_office), admin)
        steps = texts[: (n % 3) + 1] if n % 4 != 3 else []
        for percent, text in steps:
            item.refresh_from_db()
            services.item_post_progress(actor=reporter, item=item, percent=percent, text=text, version=item.version)
    # One item done, one adjusted by the 主任会议, one linked to this year's agenda.
    done = leaves[2]
    done.refresh_from_db()
    services.item_change_status(
        actor=admin, item=done, status=ItemStatus.DONE, version=done.version,
        outcome="五次专项检查均已完成，检查报告已印发。",
    )
    adjusted = leaves[11]
    adjusted.refresh_from_db()
    services.item_change_status(
        actor=director, item=adjusted, status=ItemStatus.ADJUSTED, version=adjusted.version,
        reason="经主任会议研究，调整至下一年度实施。",
    )
    agenda = AgendaItem.objects.filter(meeting__start_date__year=year, lead_office=offices["财经委"]).first()
    if agenda:
        linked = leaves[5]
        linked.refresh_from_db()
        services.item_update(actor=admin, item=linked, version=linked.version, agenda_items=[agenda],
                             meeting=agenda.meeting)

    # The supervision plan is published (Supervision Law art. 63).
    sup = services.plan_create(
        actor=admin, kind=PlanKind.SUPERVISION, year=year, title=f"江州市人大常委会{year}年监督工作计划",
        owner_office=offices["办公室"], is_published=True, approved_on=dt.date(year, 2, 10),
    )
    draft = services.plan_import_preview(actor=admin, plan=sup, text=SUPERVISION_TEXT)
    services.draft_confirm(actor=admin, draft=draft)
    sup_offices = ["教科文卫工委", "财经委", "城环工委", "城环工委"]
    for item, office in zip(PlanItem.objects.filter(plan=sup).leaves().order_by("path"), sup_offices, strict=False):
        o = offices[office]
        services.item_update(actor=admin, item=item, version=item.version, lead_office=o,
                             vice_chair=o.vice_chair or director, period_kind=PeriodKind.YEAR)
