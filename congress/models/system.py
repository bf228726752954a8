"""Cross-cutting records: history, notifications and their outbox, the working-day
calendar overrides, configurable periods and attachments."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.querysets import NotificationQuerySet
from congress.uploads import validate_document


class AuditEntry(models.Model):
    """One change to a business record: who, when, what (before and after) and why.
    Written by services in the same transaction as the change itself."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        TRANSITION = "transition", _("状态变更")
        COMMENT = "comment", _("备注")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_repr} {self.get_action_display()}"


class Notification(models.Model):
    """An in-app inbox message. Email and webhook copies go through OutboxMessage."""

    objects = NotificationQuerySet.as_manager()

    class Level(models.TextChoices):
        INFO = "info", _("通知")
        REMINDER = "reminder", _("提醒")
        WARNING = "warning", _("预警")
        OVERDUE = "overdue", _("逾期")
        ACTION = "action", _("待办")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, default=Level.INFO)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class OutboxMessage(models.Model):
    """A message to deliver outside the app (email, group-robot webhook).

    A request only inserts rows here, in its own transaction; the Celery task
    `deliver_outbox` claims each row atomically and sends it, so nothing waits on the
    broker and a row is sent once even when the task runs twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        # After a restore from backup: waiting for an administrator to release or discard.
        HELD = "held", _("暂停待定")
        DISCARDED = "discarded", _("已丢弃")

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=500)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    available_at = models.DateTimeField(_("可发送时间"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Stable id sent with the message (email Message-ID / X-Message-Id, webhook field) so a
    # receiver can drop the one re-send a crash between "sent" and "marked" can cause.
    message_id = models.UUIDField(_("消息编号"), default=uuid.uuid4, unique=True, editable=False)
    held_since = models.DateTimeField(_("暂停时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.address} {self.subject}"


class WorkingDayOverride(models.Model):
    """An administrator's correction of the holiday calendar for one date: a public
    holiday or a make-up working day (调休) in a year the package does not cover yet."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"), help_text=_("勾选表示当日上班（含调休补班）；不勾选表示放假"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：春节、国庆节调休上班"))

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.note}"


class CalendarYear(models.Model):
    """A year whose holidays an administrator has entered completely in the overrides.
    A deadline that falls in a year neither the package nor this table covers gets a warning."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已录入节假日的年份")
        verbose_name_plural = _("已录入节假日的年份")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class PeriodSetting(models.Model):
    """One configurable period of domain §8 (e.g. reply within 3 months). Rows are
    created from the defaults in congress/periods.py; administrators edit the value."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("工作日")
        DAYS = "days", _("自然日")
        MONTHS = "months", _("个月")
        COUNT = "count", _("个/人")

    key = models.CharField(_("代码"), max_length=64, unique=True)
    label = models.CharField(_("名称"), max_length=100)
    value = models.PositiveIntegerField(_("数值"))
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    default_value = models.PositiveIntegerField(_("默认值"))
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("期限设置")
        verbose_name_plural = _("期限设置")
        ordering = ["key"]

    def __str__(self):
        return f"{self.label}: {self.value}{self.get_unit_display()}"


class Attachment(models.Model):
    """A file attached to any business record. Visibility follows the record's."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/", validators=[validate_document])
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类别"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_target_idx")]

    def __str__(self):
        return self.name


class OpsState(models.Model):
    """Operational markers, one row per key: when the beat and a worker were last seen
    (heartbeats), and the hold a restore from backup puts on outgoing messages."""

    BEAT = "beat"
    WORKER = "worker"
    RESTORE_HOLD = "restore_hold"

    key = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("运行状态")
        verbose_name_plural = _("运行状态")

    def __str__(self):
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"
