"""Legislative plans (立法规划, 立法计划) and regulation projects with their steps (domain §9)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congress.models import TimeStampedModel

from ..choices import Category, PlanKind, PlanStatus, ProjectKind, ProjectStatus, Step
from ..querysets import LegislativePlanQuerySet, ProjectStepQuerySet, RegulationProjectQuerySet

__all__ = ["LegislativePlan", "ProjectStep", "RegulationProject"]


class LegislativePlan(TimeStampedModel):
    """A five-year 立法规划 or a year's 立法计划, adopted by the 主任会议 (domain §9).
    Its projects are grouped by category (继续审议, 初次审议, 预备, 调研); deputies and
    handling units read it once adopted."""

    objects = LegislativePlanQuerySet.as_manager()

    kind = models.CharField(_("类别"), max_length=16, choices=PlanKind.choices, default=PlanKind.ANNUAL, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True, help_text=_("规划为起始年度"))
    end_year = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True, help_text=_("仅立法规划填写"))
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    adopted_at = models.ForeignKey(
        "congress.Meeting", verbose_name=_("通过会议"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("立法计划")
        verbose_name_plural = _("立法计划")
        ordering = ["-year", "kind", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("legislation:plan-detail", args=[self.pk])

    @property
    def years_label(self) -> str:
        if self.kind == PlanKind.FIVE_YEAR and self.end_year:
            return f"{self.year}—{self.end_year}"
        return str(self.year)


class RegulationProject(TimeStampedModel):
    """One regulation in a plan: to be made, amended, repealed or amended in a package,
    led by a committee with the 法工委, drafted by a body (often a government department),
    under a vice-chair. It moves through its steps (立项 … 公布 … 立法后评估); the dates the
    deadline rules count from are kept on the row so the reminder engine reads an index."""

    objects = RegulationProjectQuerySet.as_manager()

    plan = models.ForeignKey(LegislativePlan, verbose_name=_("立法计划"), on_delete=models.PROTECT, related_name="projects")
    position = models.PositiveIntegerField(_("序号"), default=1)
    title = models.CharField(_("法规名称"), max_length=200)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices, default=Category.FIRST, db_index=True)
    kind = models.CharField(_("立法形式"), max_length=16, choices=ProjectKind.choices, default=ProjectKind.ENACT)
    lead_office = models.ForeignKey(
        "congress.Office", verbose_name=_("牵头委员会"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="regulation_projects",
    )
    drafting_body = models.CharField(_("起草单位"), max_length=200, blank=True)
    drafting_unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("起草单位（承办单位）"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="regulation_projects",
    )
    vice_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("分管副主任"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="regulation_projects",
    )
    current_step = models.CharField(_("当前环节"), max_length=20, choices=Step.choices, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.IN_PROGRESS, db_index=True
    )
    status_reason = models.TextField(_("状态说明"), blank=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("上年度项目"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    # Dates the deadline rules count from (legislation/reminders.py), set by the services.
    last_reading_on = models.DateField(_("最近一次审议日期"), null=True, blank=True, db_index=True)
    voted_on = models.DateField(_("表决通过日期"), null=True, blank=True, db_index=True)
    approval_requested_on = models.DateField(_("报请批准日期"), null=True, blank=True, db_index=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True, db_index=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True, db_index=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    attachments = GenericRelation("congress.Attachment")

    class Meta:
        verbose_name = _("立法项目")
        verbose_name_plural = _("立法项目")
        ordering = ["plan", "category", "position", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("legislation:project-detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in (ProjectStatus.CARRIED_OVER, ProjectStatus.SHELVED)

    @property
    def drafting_label(self) -> str:
        return self.drafting_body or (str(self.drafting_unit) if self.drafting_unit_id else "")

    @property
    def step_label(self) -> str:
        return self.get_current_step_display() if self.current_step else gettext("未立项")


class ProjectStep(models.Model):
    """A step a project has taken, with its date and, for a reading or the vote, the
    agenda item of the standing-committee meeting where it was heard."""

    objects = ProjectStepQuerySet.as_manager()

    project = models.ForeignKey(RegulationProject, verbose_name=_("立法项目"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    date = models.DateField(_("日期"), db_index=True)
    agenda_item = models.ForeignKey(
        "congress.AgendaItem", verbose_name=_("会议议题"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="regulation_steps",
    )
    note = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("立法环节")
        verbose_name_plural = _("立法环节")
        ordering = ["project", "date", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "step"], name="legislation_step_once")]
        # Year figures: regulations voted in a year, by step and date.
        indexes = [models.Index(fields=["step", "date"], name="legislation_step_date_idx")]

    def __str__(self):
        return f"{self.project} {self.get_step_display()}"
