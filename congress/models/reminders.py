"""The reminder engine's own records: the dispatch log and the engine's run state."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderDispatch(models.Model):
    """One reminder given to one person: (rule, record, step occurrence, recipient).

    The row is inserted in the same transaction as the inbox and outbox rows it
    produces, and its unique key is the claim: a rerun, a second beat process or a
    worker killed mid-run can never send the same reminder twice (the insert fails
    or was rolled back with everything else).

    A step that fell due for a record nobody can be told about (e.g. a handling unit
    without any active user) is logged once as a row without recipient, status
    ``unreached``: nothing is sent for it, the scan does not read the record again for
    that step, and the system status page lists it."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        IN_SUMMARY = "summary", _("已汇总发送")
        SUPERSEDED = "superseded", _("已由后续提醒取代")
        UNREACHED = "unreached", _("无人接收")

    rule = models.CharField(_("规则"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    step = models.CharField(_("步骤"), max_length=80, help_text=_("步骤代码；重复提醒带日期后缀"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminder_dispatches",
        help_text=_("为空表示到期时无人可接收（无人接收的提醒）"),
    )
    escalation = models.PositiveSmallIntegerField(_("升级层级"), default=0)
    due_date = models.DateField(_("期限"))
    planned_for = models.DateField(_("计划提醒日"))
    sent_on = models.DateField(_("发送日"), db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SENT)
    notification = models.ForeignKey(
        "congress.Notification", verbose_name=_("站内消息"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "step", "recipient"], name="reminder_dispatch_once"
            ),
            # NULLs are distinct in the key above: one "nobody to tell" row per step occurrence.
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id", "step"],
                condition=models.Q(recipient__isnull=True),
                name="reminder_dispatch_unreached_once",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="reminder_dispatch_target_idx")]

    def __str__(self):
        return f"{self.rule} #{self.object_id} {self.step} → {self.recipient}"


class ReminderEngineState(models.Model):
    """The engine's last successful scan: the next scan looks back to it, so days when
    the machine was off are caught up (bounded, and summarised per person)."""

    key = models.CharField(max_length=32, unique=True, default="default")
    last_success_date = models.DateField(_("上次成功扫描日期"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("上次成功扫描时间"), null=True, blank=True)
    last_sent = models.PositiveIntegerField(_("上次发送条数"), default=0)

    class Meta:
        verbose_name = _("提醒引擎状态")
        verbose_name_plural = _("提醒引擎状态")

    def __str__(self):
        return f"{self.last_success_date or '-'}"
