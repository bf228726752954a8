"""Figures of the year's plans (domain §4: "年初建账、逐月查账、年底交账"), computed from
the `plans` app. Only leaf items carry work, so sections are not counted twice."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.workdays import today

from .figures import Column, Metric, Source, safe_reverse


def _item_url(obj):
    return safe_reverse("plans:item-detail", obj.pk)


def metrics() -> list[Metric]:
    from plans.choices import CLOSED_STATUSES, ItemStatus
    from plans.models import PlanItem

    items = Source(
        key="plan_items",
        base=lambda user: PlanItem.objects.visible_to(user).leaves(),
        date_field="plan__year",
        int_year=True,
        related=("plan", "lead_office", "vice_chair"),
        ordering=("plan_id", "path"),
        detail_url=_item_url,
        columns=(
            Column(_("编号"), "number"),
            Column(_("事项"), "title"),
            Column(_("计划"), "plan"),
            Column(_("牵头委室"), "lead_office"),
            Column(_("完成时限"), "due_date"),
            Column(_("状态"), "get_status_display"),
            Column(_("进度（%）"), "progress"),
        ),
    )
    counted = ~Q(status__in=[ItemStatus.CANCELLED, ItemStatus.ADJUSTED])

    def overdue_q():
        return ~Q(status__in=list(CLOSED_STATUSES)) & Q(due_date__lt=today())

    return [
        Metric(
            key="plan_items",
            label=_("年度计划工作事项"),
            unit=_("项"),
            group="plans",
            source=items,
            where=counted,
            definition=_("本年度各项计划中的具体工作事项（最末一级条目；已取消、已调整的不计）。"),
            order=10,
        ),
        Metric(
            key="plan_items_done",
            label=_("已完成事项"),
            unit=_("项"),
            group="plans",
            source=items,
            where=Q(status=ItemStatus.DONE),
            definition=_("状态为“已完成”的计划事项。"),
            order=11,
        ),
        Metric(
            key="plan_completion_rate",
            label=_("计划完成率"),
            group="plans",
            source=items,
            where=counted,
            numerator=Q(status=ItemStatus.DONE),
            definition=_("计划完成率 = 已完成事项 ÷ 计划事项（已取消、已调整的不计入分母）。"),
            order=12,
        ),
        Metric(
            key="plan_items_overdue",
            label=_("逾期未完成事项"),
            unit=_("项"),
            group="plans",
            source=items,
            where=overdue_q(),
            definition=_("截至今天已过完成时限、尚未完成的事项。"),
            order=13,
        ),
    ]
