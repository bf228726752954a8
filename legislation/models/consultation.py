"""Public comment on draft regulations (公开征求意见, domain §9).

A consultation is a draft regulation opened for public comment for a period (generally
at least 30 days, CONSULTATION_MIN_DAYS); its text is kept split into articles so that
citizens comment on an article or on the whole draft, and the lead committee collates
the comments article by article and records how each was handled."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models.base import TimeStampedModel
from congress.scoping import ScopedQuerySet
from congress.workdays import today
from legislation.choices_consultation import CommentStatus, ConsultationStatus, Handling

__all__ = ["Consultation", "DraftArticle", "PublicComment"]


class ConsultationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The committee's own people (offices, leaders, administrators) read every
        consultation; deputies and handling units have no part in collating comments."""
        if not user.is_authenticated or not user.is_internal:
            return self.none()
        return self

    def published(self):
        """What the public pages may show: drafts that were published (open, upcoming or closed)."""
        return self.filter(published_at__isnull=False)

    def open_on(self, day: dt.date):
        return self.published().filter(closed_at__isnull=True, start_date__lte=day, end_date__gte=day)

    def with_counts(self):
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        counts = (PublicComment.objects.filter(consultation=OuterRef("pk")).order_by()
                  .values("consultation").annotate(n=Count("*")).values("n"))
        pending = (PublicComment.objects.filter(consultation=OuterRef("pk"), status=CommentStatus.PENDING)
                   .order_by().values("consultation").annotate(n=Count("*")).values("n"))
        return self.annotate(
            comment_count=Coalesce(Subquery(counts), 0),
            pending_count=Coalesce(Subquery(pending), 0),
        )


class Consultation(TimeStampedModel):
    """A draft regulation published for public comment."""

    objects = ConsultationQuerySet.as_manager()

    title = models.CharField(_("草案名称"), max_length=200)
    explanation = models.TextField(_("起草说明"), blank=True)
    draft_text = models.TextField(_("草案全文"))
    office = models.ForeignKey(
        "congress.Office", verbose_name=_("负责委室"), on_delete=models.PROTECT, related_name="consultations"
    )
    project = models.ForeignKey(
        "legislation.RegulationProject", verbose_name=_("立法项目"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="consultations",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("截止日期"))
    require_contact = models.BooleanField(
        _("须留姓名和电话"), default=False, help_text=_("勾选后，提交意见须填写姓名和联系电话。")
    )
    review_before_publish = models.BooleanField(
        _("审核后公开"), default=True, help_text=_("勾选后，意见经工作人员审核后才在公开页面显示。")
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("提前结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("结束人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("公开征求意见")
        verbose_name_plural = _("公开征求意见")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["start_date"], name="consultation_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("legislation:consultation-detail", args=[self.pk])

    def status_on(self, day: dt.date) -> str:
        if self.published_at is None:
            return ConsultationStatus.DRAFT
        if self.closed_at is not None or day > self.end_date:
            return ConsultationStatus.CLOSED
        if day < self.start_date:
            return ConsultationStatus.UPCOMING
        return ConsultationStatus.OPEN

    @property
    def status(self) -> str:
        return self.status_on(today())

    def get_status_display(self) -> str:
        return str(ConsultationStatus(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN


class DraftArticle(models.Model):
    """One article (条) of a draft, as split from the pasted text; the chapter it sits in
    is kept as a label (第一章　总则)."""

    consultation = models.ForeignKey(Consultation, verbose_name=_("草案"), on_delete=models.CASCADE,
                                     related_name="articles")
    order = models.PositiveIntegerField(_("顺序"))
    number = models.CharField(_("条号"), max_length=30)
    chapter = models.CharField(_("章节"), max_length=200, blank=True)
    text = models.TextField(_("条文"))

    class Meta:
        verbose_name = _("草案条文")
        verbose_name_plural = _("草案条文")
        ordering = ["consultation", "order"]
        constraints = [models.UniqueConstraint(fields=["consultation", "order"], name="draft_article_order_unique")]

    def __str__(self):
        return self.number


class PublicCommentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_internal:
            return self.none()
        return self

    def shown_publicly(self):
        """What the public page may list: published comments only (never pending or hidden)."""
        return self.filter(status=CommentStatus.PUBLISHED)


class PublicComment(TimeStampedModel):
    """A citizen's comment on a draft (the whole draft when `article` is empty). The
    sender's address is kept only as a keyed hash, to bound abuse without keeping it."""

    objects = PublicCommentQuerySet.as_manager()

    consultation = models.ForeignKey(Consultation, verbose_name=_("草案"), on_delete=models.CASCADE,
                                     related_name="comments")
    article = models.ForeignKey(DraftArticle, verbose_name=_("条文"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="comments")
    reference = models.CharField(_("意见编号"), max_length=30, unique=True)
    text = models.TextField(_("意见内容"))
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    show_name = models.BooleanField(_("同意公开姓名"), default=False)
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    ip_hash = models.CharField(_("来源地址摘要"), max_length=64, blank=True)
    status = models.CharField(_("公开状态"), max_length=16, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    handling = models.CharField(_("处理情况"), max_length=16, choices=Handling.choices, blank=True)
    handling_reason = models.TextField(_("处理理由"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        ordering = ["received_at", "id"]

    def __str__(self):
        return self.reference

    @property
    def public_name(self) -> str:
        """The name as the public page may show it: only when the sender allowed it."""
        return self.name if (self.show_name and self.name) else ""
