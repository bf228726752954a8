"""Supervision work (监督工作, domain §3): one generic item per piece of oversight, its
steps with deadlines, and the typed records some types need."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import TimeStampedModel

from . import choices as c
from .querysets import ChildQuerySet, SupervisionItemQuerySet


class SupervisionItem(TimeStampedModel):
    """One piece of oversight of a year: a report heard, an inspection, an inquiry, an
    appraisal, the year's audit rectification, filing review or livelihood projects.
    Its steps come from the type's step table (choices.STEP_TABLE)."""

    objects = SupervisionItemQuerySet.as_manager()

    HISTORY_VALUE_LABELS = {"inspection_forms": c.InspectionForm.choices}

    kind = models.CharField(_("监督方式"), max_length=32, choices=c.SupervisionType.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("题目"), max_length=300)
    description = models.TextField(_("内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=32, choices=c.ItemStatus.choices, default=c.ItemStatus.PLANNED, db_index=True
    )
    target_unit = models.ForeignKey(
        "congress.HandlingUnit",
        verbose_name=_("监督对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_items",
        help_text=_("一府一委两院或其工作部门"),
    )
    departments = models.ManyToManyField(
        "congress.HandlingUnit", verbose_name=_("相关部门"), blank=True, related_name="supervision_items_as_department"
    )
    lead_office = models.ForeignKey(
        "congress.Office", verbose_name=_("牵头委室"), on_delete=models.PROTECT, related_name="supervision_items"
    )
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        verbose_name=_("工作计划事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_items",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("参加的组成人员"), blank=True, related_name="supervision_memberships"
    )
    invited_deputies = models.ManyToManyField(
        "congress.Deputy", verbose_name=_("邀请的人大代表"), blank=True, related_name="supervision_invitations"
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True, help_text=_("视察、检查、调研等开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    meeting = models.ForeignKey(
        "congress.Meeting",
        verbose_name=_("审议会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_items",
    )
    agenda_item = models.ForeignKey(
        "congress.AgendaItem",
        verbose_name=_("会议议题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_items",
    )
    hearing_date = models.DateField(
        _("审议日期"), null=True, blank=True, db_index=True, help_text=_("关联会议时自动取会议日期")
    )
    is_published = models.BooleanField(_("已公开"), default=False)
    # Per-type fields (empty where the type does not use them).
    finance_kind = models.CharField(_("审查内容"), max_length=32, choices=c.FinanceKind.choices, blank=True)
    law_name = models.CharField(_("检查的法律法规"), max_length=200, blank=True)
    inspection_forms = models.JSONField(_("检查方式"), default=list, blank=True)
    joint_with_lower = models.BooleanField(_("市县联动"), default=False)
    audit_report_date = models.DateField(_("审计工作报告审议日期"), null=True, blank=True)
    resolution_report_due = models.DateField(
        _("决议规定的报告期限"), null=True, blank=True, help_text=_("常委会决议另定报告期限的，以此为准")
    )
    rules_adopted = models.TextField(_("建立健全的制度"), blank=True)
    result_summary = models.TextField(_("结果摘要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("监督事项")
        verbose_name_plural = _("监督事项")
        ordering = ["-year", "hearing_date", "id"]
        indexes = [
            models.Index(fields=["year", "kind"], name="supervision_year_kind_idx"),
            # The list's default order, so a page is read from the index.
            models.Index(fields=["-year", "hearing_date", "id"], name="supervision_list_order_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:item-detail", args=[self.pk])

    @property
    def has_opinion_loop(self) -> bool:
        return self.kind in c.OPINION_LOOP_TYPES

    @property
    def is_budget_type(self) -> bool:
        return self.kind in c.BUDGET_TYPES


class SupervisionStep(TimeStampedModel):
    """One step of an item, created from its type's step table, with the deadline the
    table's rule gives for the item's dates. Reminders and the overdue filter read these."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("代码"), max_length=40)
    label = models.CharField(_("步骤"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    due_date = models.DateField(_("期限"), null=True, blank=True, db_index=True)
    due_manual = models.BooleanField(_("手工设定期限"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skipped = models.BooleanField(_("不适用"), default=False)
    is_optional = models.BooleanField(_("可选"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("监督步骤")
        verbose_name_plural = _("监督步骤")
        ordering = ["item", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="supervision_step_item_code_unique")]

    def __str__(self):
        return f"{self.item} · {self.label}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None and not self.skipped


class DeliberationOpinion(TimeStampedModel):
    """The deliberation opinions (审议意见) after a hearing, one round each: compiled,
    approved by the 主任会议, issued to the body, answered by its handling report and
    followed up. A 不满意 vote opens the next round (re-report)."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="opinions"
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=c.OpinionStatus.choices, default=c.OpinionStatus.COMPILING, db_index=True
    )
    text = models.TextField(_("审议意见"), blank=True)
    compiled_on = models.DateField(_("汇总日期"), null=True, blank=True)
    approved_on = models.DateField(_("主任会议通过日期"), null=True, blank=True)
    approval_meeting = models.ForeignKey(
        "congress.Meeting", verbose_name=_("主任会议"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issue_due = models.DateField(_("交办期限"), null=True, blank=True)
    issued_on = models.DateField(_("交办日期"), null=True, blank=True)
    issued_in_person = models.BooleanField(_("当面交办"), default=False)
    report_due = models.DateField(_("处理情况报告期限"), null=True, blank=True, db_index=True)
    report_due_by_resolution = models.BooleanField(_("期限由决议规定"), default=False)
    report_submitted_on = models.DateField(_("处理情况报告日期"), null=True, blank=True)
    report_text = models.TextField(_("研究处理情况"), blank=True)
    report_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_note = models.TextField(_("跟踪监督情况"), blank=True)
    closed_on = models.DateField(_("跟踪完毕日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["item", "round"]
        constraints = [models.UniqueConstraint(fields=["item", "round"], name="opinion_item_round_unique")]

    def __str__(self):
        return f"{self.item}（第{self.round}轮审议意见）"


class SatisfactionVote(TimeStampedModel):
    """A satisfaction vote (满意度测评) of the members on a report; the result follows
    the rule of domain §3 (rules.satisfaction_result) and is stored with its explanation."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="votes")
    opinion = models.ForeignKey(
        DeliberationOpinion, verbose_name=_("审议意见"), null=True, blank=True, on_delete=models.SET_NULL, related_name="votes"
    )
    agenda_item = models.ForeignKey(
        "congress.AgendaItem", verbose_name=_("会议议题"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("测评对象"), max_length=200, blank=True)
    voted_on = models.DateField(_("测评日期"))
    members_total = models.PositiveSmallIntegerField(_("组成人员总数"))
    satisfied = models.PositiveSmallIntegerField(_("满意票"))
    basically_satisfied = models.PositiveSmallIntegerField(_("基本满意票"))
    dissatisfied = models.PositiveSmallIntegerField(_("不满意票"))
    result = models.CharField(_("测评结果"), max_length=24, choices=c.VoteResult.choices)
    explanation = models.CharField(_("结果说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["item", "voted_on", "id"]

    def __str__(self):
        return f"{self.item} {self.get_result_display()}"


class AuditProblem(TimeStampedModel):
    """One problem found by the audit (审计查出问题), its responsible body and how it
    is rectified; the list gives the 整改率 of the year (Supervision Law art. 27)."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="audit_problems"
    )
    number = models.CharField(_("序号"), max_length=20, blank=True)
    description = models.TextField(_("问题"))
    category = models.CharField(_("问题类别"), max_length=50, blank=True)
    amount = models.DecimalField(_("涉及金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    responsible_unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_problems",
    )
    rectification_kind = models.CharField(
        _("整改类型"), max_length=16, choices=c.RectificationKind.choices, default=c.RectificationKind.DEADLINE
    )
    due_date = models.DateField(_("整改期限"), null=True, blank=True)
    status = models.CharField(
        _("整改状态"), max_length=24, choices=c.ProblemStatus.choices, default=c.ProblemStatus.PENDING, db_index=True
    )
    measures = models.TextField(_("整改措施"), blank=True)
    evidence = models.TextField(_("整改佐证"), blank=True)
    evidence_submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    rules_adopted = models.PositiveSmallIntegerField(_("建立健全制度数"), default=0)
    rectified_on = models.DateField(_("销号日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计查出问题")
        verbose_name_plural = _("审计查出问题")
        ordering = ["item", "id"]

    def __str__(self):
        return f"{self.number} {self.description[:40]}".strip()


class LivelihoodProject(TimeStampedModel):
    """A livelihood project (民生实事项目) voted by the deputies: candidate, vote, then
    the department, budget, milestones and progress through the year."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("建设内容"), blank=True)
    department = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    budget = models.DecimalField(_("预算（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=c.ProjectStatus.choices, default=c.ProjectStatus.CANDIDATE, db_index=True
    )
    votes_for = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("反对票"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("弃权票"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.TextField(_("进展情况"), blank=True)
    progress_updated_on = models.DateField(_("进度更新日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["item", "-votes_for", "id"]

    def __str__(self):
        return self.name


class ProjectMilestone(TimeStampedModel):
    """A milestone of a livelihood project; one past its date and not reached is slippage."""

    objects = ChildQuerySet.as_manager()

    project = models.ForeignKey(
        LivelihoodProject, verbose_name=_("民生实事项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    item = models.ForeignKey(SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["project", "due_date", "id"]

    def __str__(self):
        return self.title


class AppraisalTarget(TimeStampedModel):
    """A person or department appraised (评议对象), e.g. a judge or prosecutor ("两官"):
    the vote, the appraisal opinion and the rectification by a date."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="appraisal_targets"
    )
    person_name = models.CharField(_("评议对象"), max_length=100)
    position = models.CharField(_("职务"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="appraisal_targets",
    )
    members_total = models.PositiveSmallIntegerField(_("组成人员总数"), null=True, blank=True)
    satisfied = models.PositiveSmallIntegerField(_("满意票"), null=True, blank=True)
    basically_satisfied = models.PositiveSmallIntegerField(_("基本满意票"), null=True, blank=True)
    dissatisfied = models.PositiveSmallIntegerField(_("不满意票"), null=True, blank=True)
    result = models.CharField(_("测评结果"), max_length=24, choices=c.VoteResult.choices, blank=True)
    opinion = models.TextField(_("评议意见"), blank=True)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectification_report = models.TextField(_("整改情况"), blank=True)
    rectified_on = models.DateField(_("整改报告日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["item", "id"]

    def __str__(self):
        return self.person_name


class Interpellation(TimeStampedModel):
    """An interpellation (质询案): written, by enough members (Supervision Law art. 35);
    a second answer when more than half of the proposers are dissatisfied (art. 37)."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="interpellations"
    )
    subject = models.CharField(_("质询事由"), max_length=300)
    addressed_unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("受质询机关"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="interpellations",
    )
    proposer_names = models.TextField(_("提案人"), help_text=_("每行一人"))
    proposer_count = models.PositiveSmallIntegerField(_("提案人数"))
    submitted_on = models.DateField(_("提出日期"))
    answer_form = models.CharField(_("答复方式"), max_length=16, choices=c.AnswerForm.choices, default=c.AnswerForm.ORAL)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer_text = models.TextField(_("答复内容"), blank=True)
    dissatisfied_count = models.PositiveSmallIntegerField(_("不满意的提案人数"), null=True, blank=True)
    second_answer_required = models.BooleanField(_("须再次答复"), default=False)
    second_answered_on = models.DateField(_("再次答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("质询案")
        verbose_name_plural = _("质询案")
        ordering = ["item", "id"]

    def __str__(self):
        return self.subject


class FiledDocument(TimeStampedModel):
    """A normative document filed for review (规范性文件备案审查): filed within 30 days
    of publication, reviewed within 3 months, the maker answers an opinion within 30 days."""

    objects = ChildQuerySet.as_manager()

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("监督事项"), on_delete=models.CASCADE, related_name="filed_documents"
    )
    title = models.CharField(_("文件名称"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    maker = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("制定机关"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="filed_documents",
    )
    published_on = models.DateField(_("公布日期"))
    filed_on = models.DateField(_("报备日期"), null=True, blank=True)
    filing_due = models.DateField(_("报备期限"), null=True, blank=True)
    review_due = models.DateField(_("审查期限"), null=True, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=c.FilingStatus.choices, default=c.FilingStatus.FILED)
    finding = models.TextField(_("审查意见"), blank=True)
    reviewed_on = models.DateField(_("审查完成日期"), null=True, blank=True)
    opinion_sent_on = models.DateField(_("意见送达日期"), null=True, blank=True)
    answer_due = models.DateField(_("书面答复期限"), null=True, blank=True, db_index=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("备案文件")
        verbose_name_plural = _("备案文件")
        ordering = ["item", "-published_on", "id"]
        # Reminder rules: filings in a state whose review or answer is due in a window.
        indexes = [
            models.Index(fields=["status", "review_due"], name="filing_status_review_idx"),
            models.Index(fields=["status", "answer_due"], name="filing_status_answer_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def filed_late(self) -> bool:
        return bool(self.filed_on and self.filing_due and self.filed_on > self.filing_due)
