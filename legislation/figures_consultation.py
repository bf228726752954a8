"""Year figures of public comment on drafts (domain §9): drafts opened for comment in the
year (by their start date) and comments received (by the day received). Each opens the
list of its records; both are left out where the legislation module is off."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dashboards.figures import Column, Metric, Source, safe_reverse

from .gate import enabled


def _consultation_url(obj):
    return safe_reverse("legislation:consultation-detail", obj.pk)


def _comment_url(obj):
    return safe_reverse("legislation:comment-decide", obj.pk)


def metrics() -> list[Metric]:
    from .models import Consultation, PublicComment

    drafts = Source(
        key="consultations",
        base=lambda user: Consultation.objects.visible_to(user),
        date_field="start_date",
        related=("office",),
        ordering=("start_date", "id"),
        detail_url=_consultation_url,
        columns=(
            Column(_("草案名称"), "title"),
            Column(_("负责委室"), "office"),
            Column(_("开始日期"), "start_date"),
            Column(_("截止日期"), "end_date"),
            Column(_("状态"), "get_status_display"),
        ),
    )
    comments = Source(
        key="consultation_comments",
        base=lambda user: PublicComment.objects.visible_to(user),
        date_field="received_at",
        related=("consultation", "article"),
        ordering=("received_at", "id"),
        detail_url=_comment_url,
        columns=(
            Column(_("意见编号"), "reference"),
            Column(_("草案"), "consultation"),
            Column(_("条文"), lambda c: c.article.number if c.article_id else _("草案整体")),
            Column(_("收到时间"), "received_at"),
            Column(_("处理情况"), lambda c: c.get_handling_display() or _("尚未处理")),
        ),
    )
    return [
        Metric(
            key="consultation_drafts",
            label=_("法规草案公开征求意见"),
            unit=_("件"),
            group="legislation",
            source=drafts,
            where=Q(published_at__isnull=False),
            definition=_("本年开始公开征求意见的法规草案（按征求意见开始日期；未发布的不计）。"),
            order=40,
            enabled=enabled,
        ),
        Metric(
            key="consultation_comments",
            label=_("收到公众意见"),
            unit=_("条"),
            group="legislation",
            source=comments,
            definition=_("本年通过公开征求意见页面收到的公众意见（按收到日期，含未公开的）。"),
            order=41,
            enabled=enabled,
        ),
    ]
