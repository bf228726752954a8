"""Annual plans (domain §4): the year's plan document as a tree of items, each
assigned to a lead office and a vice-chair, with monthly progress entries.

"年初建账、逐月查账、年底交账": the plan is imported at the start of the year, progress is
posted monthly, and items close when their deliverable is done."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congress.models import TimeStampedModel

from .choices import CLOSED_STATUSES, ItemStatus, ItemType, PeriodKind, PlanKind, month_label, quarter_label
from .dates import due_date_for, month_end, next_quarter_start
from .querysets import ImportDraftQuerySet, PlanItemQuerySet, PlanQuerySet, ProgressEntryQuerySet


def default_plan_title(year: int, kind: str) -> str:
    """"2027年工作要点", not "2027年年度工作要点": the year already says which year."""
    label = str(PlanKind(kind).label)
    if label.startswith("年度"):
        label = label[len("年度"):]
    return gettext("%(year)s年%(kind)s") % {"year": year, "kind": label}


class Plan(TimeStampedModel):
    """One plan document for one year (年度工作要点, 年度监督工作计划 …), approved by the
    主任会议. Internal plans are read by the committee only until published; the
    supervision plan is published by law (Supervision Law art. 63)."""

    objects = PlanQuerySet.as_manager()

    kind = models.CharField(_("计划类别"), max_length=32, choices=PlanKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    approved_on = models.DateField(_("通过日期"), null=True, blank=True)
    approved_at = models.ForeignKey(
        "congress.Meeting",
        verbose_name=_("通过会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_plans",
    )
    owner_office = models.ForeignKey(
        "congress.Office",
        verbose_name=_("起草委室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafted_plans",
    )
    is_published = models.BooleanField(_("已公开"), default=False)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "kind", "id"]

    def __str__(self):
        return self.title or default_plan_title(self.year, self.kind)

    def get_absolute_url(self):
        return reverse("plans:plan-detail", args=[self.pk])


class PlanItem(TimeStampedModel):
    """One numbered point of a plan: a section (一、), subsection (（一）), item (1.) or
    sub-item (（1）). Leaves carry the work; a parent's progress rolls up from its children."""

    objects = PlanItemQuerySet.as_manager()

    HISTORY_VALUE_LABELS = {
        "planned_quarter": lambda: [(q, quarter_label(q)) for q in range(1, 5)],
        "planned_month": lambda: [(m, month_label(m)) for m in range(1, 13)],
    }

    plan = models.ForeignKey(Plan, verbose_name=_("所属计划"), on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级条目"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    position = models.PositiveIntegerField(_("同级序号"), default=1)
    number = models.CharField(_("编号"), max_length=20, blank=True, help_text=_("原文中的编号，如“一、”“（一）”“1.”"))
    path = models.CharField(_("排序路径"), max_length=100, db_index=True, editable=False)
    title = models.CharField(_("标题"), max_length=500)
    description = models.TextField(_("内容"), blank=True)
    item_type = models.CharField(_("类型"), max_length=32, choices=ItemType.choices, default=ItemType.OTHER, db_index=True)
    lead_office = models.ForeignKey(
        "congress.Office",
        verbose_name=_("牵头委室"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    vice_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items_led",
    )
    cooperating_offices = models.ManyToManyField(
        "congress.Office", verbose_name=_("配合委室"), blank=True, related_name="plan_items_cooperating"
    )
    cooperating_units = models.ManyToManyField(
        "congress.HandlingUnit", verbose_name=_("配合单位"), blank=True, related_name="plan_items_cooperating"
    )
    period_kind = models.CharField(
        _("计划时间类型"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    planned_month = models.PositiveSmallIntegerField(
        _("计划月份"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    planned_quarter = models.PositiveSmallIntegerField(
        _("计划季度"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    due_date = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    meeting = models.ForeignKey(
        "congress.Meeting",
        verbose_name=_("安排审议的会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    agenda_items = models.ManyToManyField(
        "congress.AgendaItem", verbose_name=_("关联议题"), blank=True, related_name="plan_items"
    )
    deliverable = models.CharField(_("成果形式"), max_length=300, blank=True)
    target = models.CharField(_("量化目标"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED, db_index=True
    )
    status_reason = models.TextField(_("状态说明"), blank=True)
    outcome = models.TextField(_("完成情况"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("进度（%）"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    last_progress_on = models.DateField(_("最近报送进度日期"), null=True, blank=True)
    # Dates the reminder rules count from (plans/reminders.py), kept in step with the
    # fields above by save(): the engine needs stored, indexed dates.
    progress_base_on = models.DateField(_("进度报送所属月末"), null=True, blank=True, db_index=True, editable=False)
    planned_start = models.DateField(_("计划月份首日"), null=True, blank=True, db_index=True, editable=False)
    quarter_list_on = models.DateField(_("逾期列入季度清单日期"), null=True, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("计划条目")
        verbose_name_plural = _("计划条目")
        ordering = ["plan", "path"]
        indexes = [
            models.Index(fields=["plan", "path"], name="planitem_tree_idx"),
            # Reminder rules: open items whose date falls in a window.
            models.Index(fields=["status", "due_date"], name="planitem_status_due_idx"),
            models.Index(fields=["status", "progress_base_on"], name="planitem_status_progress_idx"),
        ]

    def __str__(self):
        return f"{self.number}{self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("plans:item-detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.refresh_derived_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = list({*update_fields, "due_date", "progress_base_on", "planned_start",
                                            "quarter_list_on"})
        super().save(*args, **kwargs)

    def refresh_derived_dates(self) -> None:
        """Deadline dates that follow from the plan year, the planned period and the last
        progress report (domain §4: items due at the end of their month, quarter or year;
        progress reported monthly)."""
        from congress.workdays import today

        year = self.plan.year
        self.due_date = due_date_for(year, self.period_kind, self.planned_month, self.planned_quarter)
        self.planned_start = (
            dt.date(year, self.planned_month, 1) if self.period_kind == PeriodKind.MONTH and self.planned_month else None
        )
        # Monthly progress: the month of the last report (or of creation) is covered;
        # the next report is due by the plan_progress_day of the month after it.
        base = self.last_progress_on or (timezone.localtime(self.created_at).date() if self.created_at else today())
        self.progress_base_on = month_end(base)
        # The quarter-end overdue list goes out on the first day of the next quarter.
        self.quarter_list_on = next_quarter_start(self.due_date)

    @property
    def is_overdue(self) -> bool:
        from congress.workdays import today

        return bool(self.due_date and not self.is_closed and self.due_date < today())

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.MONTH and self.planned_month:
            return month_label(self.planned_month)
        if self.period_kind == PeriodKind.QUARTER and self.planned_quarter:
            return quarter_label(self.planned_quarter)
        return str(_("全年"))


class ProgressEntry(models.Model):
    """A progress report posted by the lead office (monthly, by the 5th by default):
    the percent reached, a short text, attachments."""

    objects = ProgressEntryQuerySet.as_manager()

    item = models.ForeignKey(PlanItem, verbose_name=_("计划条目"), on_delete=models.CASCADE, related_name="progress_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    text = models.TextField(_("进展情况"))
    reported_on = models.DateField(_("报送日期"), db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    attachments = GenericRelation("congress.Attachment")

    class Meta:
        verbose_name = _("进度报送")
        verbose_name_plural = _("进度报送")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.item} {self.percent}%"


class ImportDraft(TimeStampedModel):
    """A parsed plan document waiting for staff to check the tree and confirm. Nothing
    becomes a plan item until they do; the draft keeps the tree as JSON so the page and
    the API can both edit it (fix levels, merge, split) before confirming."""

    objects = ImportDraftQuerySet.as_manager()

    plan = models.ForeignKey(Plan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="import_drafts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    nodes = models.JSONField(_("条目"), default=list)
    meta = models.JSONField(_("识别信息"), default=dict, blank=True, help_text=_("标题、导语、结束语、提示"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入草稿")
        verbose_name_plural = _("导入草稿")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.plan} {self.source_name}"
