"""Statuses of public comment on drafts (公开征求意见, domain §9), with the moves allowed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationStatus(models.TextChoices):
    """Computed, never stored: from the publication, the dates and an explicit close."""

    DRAFT = "draft", _("未发布")
    UPCOMING = "upcoming", _("未开始")
    OPEN = "open", _("征求意见中")
    CLOSED = "closed", _("已结束")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    HIDDEN = "hidden", _("不公开")


# Review moves: a pending comment is published or hidden; either decision may be reversed.
COMMENT_TRANSITIONS = {
    CommentStatus.PENDING: {CommentStatus.PUBLISHED, CommentStatus.HIDDEN},
    CommentStatus.PUBLISHED: {CommentStatus.HIDDEN},
    CommentStatus.HIDDEN: {CommentStatus.PUBLISHED},
}


class Handling(models.TextChoices):
    """How the lead committee treated a comment; reported in its deliberation report."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


# A reason is expected where the comment was not (fully) taken up.
HANDLING_NEEDS_REASON = {Handling.PARTLY, Handling.NOT_ADOPTED}
