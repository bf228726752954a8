"""Background Excel exports: a list too long to build inside one request is written by
the worker into a file under MEDIA_ROOT, which only its requester can download."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    """One requested export of a list (kind + the list's query string), its progress and
    its file. The rows are re-scoped for the requester when the job runs, so a job never
    shows more than the person could see at that moment; the file expires after
    EXPORT_KEEP_DAYS."""

    class Kind(models.TextChoices):
        SUGGESTIONS = "suggestions", _("代表建议")
        PLAN_ITEMS = "plan_items", _("计划条目")
        SUPERVISION_ITEMS = "supervision_items", _("监督事项")

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(_("导出内容"), max_length=32, choices=Kind.choices)
    query = models.TextField(_("筛选条件"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to="exports/%Y/%m/", blank=True, max_length=300)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="exportjob_owner_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
