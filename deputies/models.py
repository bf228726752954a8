"""Deputies' bills and suggestions (domain §2) and deputies' activities (domain §6).

A suggestion's whole life lives here: co-signing, registration, review, assignment to
handling units, signing for, returns and extensions, co-handlers' opinions, the reply
with its category code, the deputy's evaluation, re-handling, closing and follow-up
commitments. Writes go through deputies/services.py; reads start from visible_to(user)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import TimeStampedModel

from . import querysets as qs
from .choices import (
    ActivityKind,
    AssignmentRole,
    AssignmentStatus,
    BillStatus,
    ClosingKind,
    ContactMethod,
    CoSignStatus,
    FollowUpStatus,
    KeyLevel,
    OpinionSource,
    OpinionStatus,
    Period,
    Rating,
    ReplyStatus,
    RequestStatus,
    SuggestionStatus,
)

User = settings.AUTH_USER_MODEL


def format_number(serial: int | None, kind: str = "suggestion") -> str:
    """Registration number as users write it: 第0123号 (suggestions), 第012号 (bills)."""
    if not serial:
        return ""
    return f"第{serial:04d}号" if kind == "suggestion" else f"第{serial:03d}号"


class SuggestionCategory(models.Model):
    """Subject category of a suggestion (财政经济, 城建环资 …): configurable per installation."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("建议分类")
        verbose_name_plural = _("建议分类")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class ReplyCategory(models.Model):
    """The code a reply carries (A/B/C/D, national wording). A table of data, editable in
    the admin: places that use other codes change the rows, not the code."""

    code = models.CharField(_("代码"), max_length=8, unique=True)
    label = models.CharField(_("含义"), max_length=100)
    counts_as_solved = models.BooleanField(_("计入解决"), default=False, help_text=_("计入解决率（A类）"))
    counts_as_planned = models.BooleanField(
        _("计入计划解决"), default=False, help_text=_("计入解决或计划解决率（B类）")
    )
    opens_follow_up = models.BooleanField(_("需登记承诺事项"), default=False, help_text=_("B、C类答复须跟踪落实"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("答复分类")
        verbose_name_plural = _("答复分类")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return _("%(code)s类：%(label)s") % {"code": self.code, "label": self.label}


class SerialCounter(models.Model):
    """The last registration number used per session and kind (建议/议案), locked while
    numbering so two clerks registering at once never get the same number."""

    session = models.ForeignKey("congress.CongressSession", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "kind"], name="deputies_serial_unique")]

    def __str__(self):
        return f"{self.session_id}/{self.kind}: {self.last}"


class Bill(TimeStampedModel):
    """A deputies' bill (议案): asks the congress to decide a matter within its powers.
    Needs 案由, 案据, 方案 and enough co-signers; the presidium decides what becomes of it."""

    objects = qs.BillQuerySet.as_manager()

    term = models.ForeignKey("congress.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="bills")
    session = models.ForeignKey(
        "congress.CongressSession", verbose_name=_("人代会"), on_delete=models.PROTECT, related_name="bills"
    )
    serial = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    grounds = models.TextField(_("案据"))
    solution = models.TextField(_("方案"))
    lead_deputy = models.ForeignKey(
        "congress.Deputy", verbose_name=_("领衔代表"), on_delete=models.PROTECT, related_name="bills"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=BillStatus.choices, default=BillStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_reason = models.TextField(_("决定说明"), blank=True)
    committee = models.ForeignKey(
        "congress.Office", verbose_name=_("审议的专门委员会"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="bills",
    )
    report_due = models.DateField(_("审议结果报告期限"), null=True, blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    report_text = models.TextField(_("审议结果报告"), blank=True)
    is_public = models.BooleanField(_("同意公开"), default=True)
    attachments = GenericRelation("congress.Attachment")

    class Meta:
        verbose_name = _("代表议案")
        verbose_name_plural = _("代表议案")
        ordering = ["-session__start_date", "serial", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "serial"], name="bill_session_serial_unique"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @property
    def number(self) -> str:
        return format_number(self.serial, "bill")


SIMILARITY_FIELDS = ("term_id", "status", "title", "situation", "proposal")


class Suggestion(TimeStampedModel):
    """A deputy's suggestion, criticism or opinion (代表建议), one issue per item, from one
    deputy or several. Also created when the presidium treats a bill as a suggestion."""

    objects = qs.SuggestionQuerySet.as_manager()

    # How the office handles an item internally; the deputy's timeline leaves these out.
    HISTORY_INTERNAL_FIELDS = ("is_complex", "rejected_as_letter", "round")

    term = models.ForeignKey("congress.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="suggestions")
    session = models.ForeignKey(
        "congress.CongressSession", verbose_name=_("人代会"), on_delete=models.PROTECT, related_name="suggestions"
    )
    period = models.CharField(_("提出时间"), max_length=16, choices=Period.choices, default=Period.SESSION)
    serial = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    situation = models.TextField(_("事由"))
    proposal = models.TextField(_("具体建议"))
    lead_deputy = models.ForeignKey(
        "congress.Deputy", verbose_name=_("领衔代表"), on_delete=models.PROTECT, related_name="suggestions"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        SuggestionCategory, verbose_name=_("分类"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    is_public = models.BooleanField(_("同意公开"), default=True, help_text=_("答复和办理结果可以向社会公开"))
    is_confidential = models.BooleanField(_("涉密"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    received_on = models.DateField(_("收到日期"), null=True, blank=True, db_index=True)
    registered_on = models.DateField(_("登记日期"), null=True, blank=True)
    accepted_on = models.DateField(_("立案日期"), null=True, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True, db_index=True)
    due_date = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    is_complex = models.BooleanField(_("复杂建议"), default=False, help_text=_("答复期限按六个月计算"))
    review_reason = models.TextField(_("审查意见"), blank=True)
    rejected_as_letter = models.BooleanField(_("作为代表来信处理"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_items"
    )
    source_bill = models.OneToOneField(
        Bill, verbose_name=_("由议案转来"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="converted_suggestion",
    )
    suggested_unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("建议承办单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    key_level = models.CharField(_("重点督办级别"), max_length=20, choices=KeyLevel.choices, blank=True, db_index=True)
    key_leader = models.ForeignKey(
        User, verbose_name=_("督办领导"), null=True, blank=True, on_delete=models.SET_NULL, related_name="key_suggestions"
    )
    key_office = models.ForeignKey(
        "congress.Office", verbose_name=_("督办委室"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="key_suggestions",
    )
    key_marked_on = models.DateField(_("确定重点督办日期"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    first_replied_on = models.DateField(_("首次答复日期"), null=True, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    evaluation_due = models.DateField(_("评价期限"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closing = models.CharField(_("办结方式"), max_length=16, choices=ClosingKind.choices, blank=True)
    # Copies kept by save() and bulk_create() (and, for a session whose opening date changes,
    # by a signal): lists are ordered by the session's opening date and filtered by year, and
    # with both on the row an index can serve the filter and the order together.
    session_start = models.DateField(_("人代会开幕日期"), null=True, editable=False)
    received_year = models.PositiveSmallIntegerField(_("收到年度"), null=True, editable=False)
    attachments = GenericRelation("congress.Attachment")

    # Derived from other fields: left out of history, which records the fields they copy.
    DERIVED_FIELDS = ("session_start", "received_year")

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-session_start", "serial", "-id"]
        # Reminder rules: items in a state whose date (received, replied, marked key) is in a window.
        indexes = [
            models.Index(fields=["status", "received_on"], name="suggestion_status_received_idx"),
            models.Index(fields=["status", "replied_on"], name="suggestion_status_replied_idx"),
            models.Index(fields=["status", "key_marked_on"], name="suggestion_status_key_idx"),
            # Lists filtered by year and status; the year's figures read from the index alone.
            models.Index(
                fields=["received_on", "status"], name="suggestion_received_idx",
                include=["submitted_at", "session", "serial", "id", "key_level", "first_replied_on", "replied_on_time"],
            ),
            # A deputy's scope: the keys of the items they lead and of those merged from theirs.
            models.Index(fields=["lead_deputy", "id"], name="suggestion_lead_idx"),
            # Those keys looked up for the page's order without reading the rows.
            models.Index(fields=["id"], name="suggestion_key_idx",
                         include=["session_start", "serial", "status", "received_year", "submitted_at"]),
            # The lists' order, unfiltered and within a status and year: a page is the index's
            # first entries (the scope of staff reads status and submitted_at from it).
            # (and a deputy's scope, past DEPUTY_SCOPE_WALK_FROM items, the lead deputy).
            models.Index(fields=["-session_start", "serial", "-id"], name="suggestion_order_idx",
                         include=["status", "submitted_at", "received_year", "lead_deputy"]),
            models.Index(fields=["status", "received_year", "-session_start", "serial", "-id"],
                         name="suggestion_status_year_idx", include=["submitted_at", "lead_deputy"]),
            models.Index(fields=["lead_deputy", "merged_into"], name="suggestion_merged_lead_idx",
                         condition=Q(merged_into__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "serial"], name="suggestion_session_serial_unique"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember what the similarity index was built from, so a save that changes
        # neither the text nor whether the item is indexed costs no index work.
        obj = super().from_db(db, field_names, values)
        loaded = all(f in obj.__dict__ for f in SIMILARITY_FIELDS)
        obj._similarity_key = obj.similarity_key() if loaded else None
        return obj

    def save(self, *args, **kwargs):
        derived = self.derive()
        if derived and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        super().save(*args, **kwargs)

    def derive(self, starts: dict | None = None) -> list[str]:
        """Bring the copied fields up to date; `starts` maps session keys to opening dates
        (bulk_create reads them in one statement). Returns the names that changed."""
        changed = []
        if "received_on" in self.__dict__:
            year = self.received_on.year if self.received_on else None
            if year != self.received_year:
                self.received_year = year
                changed.append("received_year")
        if self.session_id:
            if starts is not None and self.session_id in starts:
                start = starts[self.session_id]
            elif self.session_start is None or Suggestion.session.is_cached(self):
                start = self.session.start_date
            else:
                start = self.session_start
            if start != self.session_start:
                self.session_start = start
                changed.append("session_start")
        return changed

    def similarity_key(self) -> tuple:
        indexed = self.status not in (SuggestionStatus.DRAFT, SuggestionStatus.WITHDRAWN)
        return (self.term_id, indexed, self.title, self.situation, self.proposal)

    @property
    def number(self) -> str:
        return format_number(self.serial)

    @property
    def is_key(self) -> bool:
        return bool(self.key_level)

    @property
    def is_publishable(self) -> bool:
        """Replies and results are public unless the item is confidential or the deputy asked
        not to publish it (domain §2, publication)."""
        return self.is_public and not self.is_confidential


class CoSignature(models.Model):
    """A deputy invited to co-sign (附议/联名) a suggestion or a bill, and their answer."""

    objects = qs.CoSignatureQuerySet.as_manager()

    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.CASCADE, related_name="cosignatures"
    )
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.CASCADE, related_name="cosignatures")
    deputy = models.ForeignKey(
        "congress.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="cosignatures"
    )
    status = models.CharField(_("状态"), max_length=16, choices=CoSignStatus.choices, default=CoSignStatus.INVITED)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        ordering = ["invited_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suggestion__isnull=False, bill__isnull=True) | Q(suggestion__isnull=True, bill__isnull=False),
                name="cosignature_one_target",
            ),
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosignature_suggestion_deputy_unique"),
            models.UniqueConstraint(fields=["bill", "deputy"], name="cosignature_bill_deputy_unique"),
        ]
        # A deputy's co-signed items, read from the index alone (their scope).
        indexes = [models.Index(fields=["deputy", "status", "suggestion"], name="cosignature_deputy_idx")]

    def __str__(self):
        return f"{self.deputy} {self.get_status_display()}"

    @property
    def item(self):
        return self.suggestion or self.bill


class Assignment(TimeStampedModel):
    """One handling unit's part in a suggestion: lead (主办), co-handler (协办/会办) giving
    its opinion to the lead, or one of several units answering separately (分别办理)."""

    objects = qs.AssignmentQuerySet.as_manager()

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="suggestion_assignments"
    )
    role = models.CharField(_("承办方式"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    status = models.CharField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED, db_index=True
    )
    assigned_on = models.DateField(_("交办日期"))
    due_date = models.DateField(_("期限"), help_text=_("答复期限；协办单位为提交意见期限"))
    original_due_date = models.DateField(_("原定期限"))
    return_deadline = models.DateField(_("申请退回截止日期"))
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(User, verbose_name=_("签收人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_replied_on = models.DateField(_("首次答复日期"), null=True, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    category = models.ForeignKey(
        ReplyCategory, verbose_name=_("答复分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("协办意见"), blank=True)
    opinion_submitted_at = models.DateTimeField(_("协办意见提交时间"), null=True, blank=True)
    opinion_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("交办记录")
        verbose_name_plural = _("交办记录")
        ordering = ["suggestion", "role", "id"]
        # The reminder rules ask for assignments in a state whose date falls in a window.
        indexes = [
            models.Index(fields=["status", "due_date"], name="assignment_status_due_idx"),
            models.Index(fields=["status", "assigned_on"], name="assignment_status_assigned_idx"),
            models.Index(fields=["status", "return_deadline"], name="assignment_status_return_idx"),
            # A unit's scope: the keys of the items assigned to it, read from the index alone.
            models.Index(fields=["unit", "suggestion"], name="assignment_unit_active_idx",
                         condition=~Q(status="returned")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"], condition=~Q(status="returned"), name="assignment_active_unit_unique"
            ),
        ]

    def __str__(self):
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def is_responding(self) -> bool:
        return self.role in (AssignmentRole.LEAD, AssignmentRole.SEPARATE)


class Reply(TimeStampedModel):
    """A unit's reply letter to the deputy: drafted by its clerk, approved and signed by its
    head, sent with a category code and the signed letter attached."""

    objects = qs.ReplyQuerySet.as_manager()

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    text = models.TextField(_("答复内容"))
    category = models.ForeignKey(
        ReplyCategory, verbose_name=_("答复分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    signer = models.CharField(_("签发人"), max_length=50, blank=True)
    is_current = models.BooleanField(_("当前答复"), default=True, help_text=_("重新办理后旧答复不再是当前答复"))
    drafted_by = models.ForeignKey(User, verbose_name=_("经办人"), null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交审签时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User, verbose_name=_("审签人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    send_back_reason = models.TextField(_("退回理由"), blank=True)
    attachments = GenericRelation("congress.Attachment")

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["suggestion", "round", "id"]
        indexes = [
            models.Index(
                fields=["suggestion"], name="reply_sent_current_idx", include=["category"],
                condition=Q(status="sent", is_current=True),
            ),
        ]

    def __str__(self):
        return f"{self.assignment.unit} {self.get_status_display()}"


class Evaluation(models.Model):
    """The deputy's rating of one reply: attitude (办理态度) and result (办理结果) separately,
    with a comment; or 未反馈 when the window passed without an answer."""

    objects = qs.EvaluationQuerySet.as_manager()

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="evaluation")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="evaluations")
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    deputy = models.ForeignKey("congress.Deputy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attitude = models.CharField(_("办理态度"), max_length=16, choices=Rating.choices, blank=True)
    result = models.CharField(_("办理结果"), max_length=16, choices=Rating.choices, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    no_feedback = models.BooleanField(_("未反馈"), default=False)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表评价")
        verbose_name_plural = _("代表评价")
        ordering = ["suggestion", "round", "id"]
        indexes = [
            # Evaluations of the suggestions received in a year, without reading the rows.
            models.Index(
                fields=["suggestion"], name="evaluation_suggestion_idx",
                include=["reply", "round", "result", "no_feedback"],
            ),
        ]

    def __str__(self):
        if self.no_feedback:
            return str(_("未反馈"))
        return f"{self.get_attitude_display()} / {self.get_result_display()}"


class ReturnRequest(TimeStampedModel):
    """A unit asking to give an item back because it is outside its remit; only the
    assigning office approves, units never forward items themselves (domain §2)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="return_requests")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="return_requests")
    reason = models.TextField(_("退回理由"))
    suggested_unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("建议改由"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_status = models.CharField(max_length=20, choices=AssignmentStatus.choices)
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("退回申请")
        verbose_name_plural = _("退回申请")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.assignment.unit} {self.get_status_display()}"


class ExtensionRequest(TimeStampedModel):
    """A unit asking for more time; capped at extension_cap_months from assignment
    (Deputies Law art. 51: six months at most)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("延期理由"))
    requested_due = models.DateField(_("申请延至"))
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.assignment.unit} {self.requested_due} {self.get_status_display()}"


class Contact(models.Model):
    """Contact between the handling unit and the deputy (面商、电话沟通 …) while handling."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("沟通日期"))
    method = models.CharField(_("方式"), max_length=16, choices=ContactMethod.choices, default=ContactMethod.FACE)
    note = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("与代表沟通")
        verbose_name_plural = _("与代表沟通")
        ordering = ["contacted_on", "id"]

    def __str__(self):
        return f"{self.contacted_on} {self.get_method_display()}"


class ProgressReport(models.Model):
    """Monthly progress of a key-supervised item, sent to the supervising office."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="progress_reports")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="progress_reports")
    reported_on = models.DateField(_("报送日期"))
    text = models.TextField(_("办理进展"))
    reported_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("办理进展")
        verbose_name_plural = _("办理进展")
        ordering = ["reported_on", "id"]

    def __str__(self):
        return f"{self.reported_on} {self.text[:20]}"


class FollowUp(TimeStampedModel):
    """A commitment (承诺事项) made in a B or C reply, tracked to its date; unsolved ones
    carry over to next year (domain §2, closing and follow-up)."""

    objects = qs.FollowUpQuerySet.as_manager()

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="followups")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="followups")
    text = models.TextField(_("承诺事项"))
    due_date = models.DateField(_("承诺完成日期"), db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    done_on = models.DateField(_("落实日期"), null=True, blank=True)
    result = models.TextField(_("落实情况"), blank=True)
    carried_from = models.ForeignKey(
        "self", verbose_name=_("上年结转"), null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="followup_status_due_idx")]

    def __str__(self):
        return self.text[:50]


class Activity(TimeStampedModel):
    """A deputy's activity between sessions (receptions at a liaison station, visits,
    inspections, trainings …); feeds the duty record (Deputies Law art. 58)."""

    objects = qs.ActivityQuerySet.as_manager()

    kind = models.CharField(_("类别"), max_length=16, choices=ActivityKind.choices, db_index=True)
    title = models.CharField(_("主题"), max_length=200)
    date = models.DateField(_("日期"), db_index=True)
    station = models.ForeignKey(
        "congress.LiaisonStation", verbose_name=_("联络站"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="activities",
    )
    location = models.CharField(_("地点"), max_length=200, blank=True)
    deputies = models.ManyToManyField("congress.Deputy", verbose_name=_("参加代表"), related_name="activities")
    people_received = models.PositiveIntegerField(_("接待群众人次"), default=0)
    description = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("代表活动")
        verbose_name_plural = _("代表活动")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.title}"


class CitizenOpinion(TimeStampedModel):
    """An opinion a citizen gave at a liaison station (群众意见): a separate object from a
    deputy's suggestion, registered, routed to a unit or office, and answered (domain §6)."""

    objects = qs.CitizenOpinionQuerySet.as_manager()

    station = models.ForeignKey(
        "congress.LiaisonStation", verbose_name=_("联络站"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="opinions",
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("接待活动"), null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions"
    )
    deputy = models.ForeignKey(
        "congress.Deputy", verbose_name=_("接待代表"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="citizen_opinions",
    )
    received_on = models.DateField(_("收集日期"), db_index=True)
    citizen_name = models.CharField(_("反映人"), max_length=50, blank=True)
    citizen_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    content = models.TextField(_("意见内容"))
    status = models.CharField(
        _("状态"), max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.REGISTERED, db_index=True
    )
    routed_unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("转交单位"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="citizen_opinions",
    )
    routed_office = models.ForeignKey(
        "congress.Office", verbose_name=_("转交委室"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="citizen_opinions",
    )
    routed_on = models.DateField(_("转办日期"), null=True, blank=True)
    answer = models.TextField(_("答复情况"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # The citizen channel (代表码, domain §9): how it came in, the code the citizen follows it by,
    # and where the deputy sent it.
    source = models.CharField(
        _("来源"), max_length=16, choices=OpinionSource.choices, default=OpinionSource.STATION, db_index=True
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True, null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(User, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("转为的代表建议"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="source_opinions",
    )
    routed_station = models.ForeignKey(
        "congress.LiaisonStation", verbose_name=_("转交联络站"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="passed_opinions",
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return self.content[:40]


# ------------------------------------------------------------------ similarity index
class SuggestionGram(models.Model):
    """Inverted index of the character bigrams of each sent-in suggestion (not drafts or
    withdrawn items), so similar items are found without reading the term. The empty gram
    marks every indexed item: its frequency is the number of items of the term."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+", db_index=False)
    term_id = models.IntegerField()
    gram = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "gram"], name="suggestiongram_unique"),
        ]
        indexes = [models.Index(fields=["term_id", "gram", "suggestion"], name="suggestiongram_lookup")]

    def __str__(self):
        return f"{self.suggestion_id}:{self.gram}"


class GramFrequency(models.Model):
    """How many indexed suggestions of a term contain each bigram (document frequency)."""

    term_id = models.IntegerField()
    gram = models.CharField(max_length=64)
    df = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term_id", "gram"], name="gramfrequency_unique"),
        ]

    def __str__(self):
        return f"{self.term_id}:{self.gram}={self.df}"
