"""Reference data: users, terms, sessions, offices, handling units, deputies, meetings."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress import querysets as qs
from congress.roles import INTERNAL_ROLES, LEADER_ROLES, UNIT_ROLES, Role
from congress.uploads import validate_document

from .base import TimeStampedModel

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals, as used in meeting and term names (第二十七次)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 20:
        return "十" + (CN_DIGITS[ones] if ones else "")
    if n < 100:
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return CN_DIGITS[hundreds] + "百"
        if rest < 10:
            return CN_DIGITS[hundreds] + "百零" + CN_DIGITS[rest]
        if rest < 20:
            return CN_DIGITS[hundreds] + "百一" + chinese_number(rest)
        return CN_DIGITS[hundreds] + "百" + chinese_number(rest)
    return str(n)


class User(AbstractUser):
    """A person who logs in. The role decides navigation, home page and scope;
    committee staff belong to an office, handling-unit users to a unit, deputies to a deputy record."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.STAFF, db_index=True)
    office = models.ForeignKey(
        "congress.Office", verbose_name=_("所在委室"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    unit = models.ForeignKey(
        "congress.HandlingUnit", verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    notify_email = models.BooleanField(_("接收邮件提醒"), default=True)
    notify_webhook = models.BooleanField(_("接收群机器人提醒"), default=False)
    notify_daily_digest = models.BooleanField(_("每日汇总代替单条提醒"), default=False)
    calendar_token = models.CharField(_("日历订阅密钥"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def is_leader(self) -> bool:
        return self.role in LEADER_ROLES

    @property
    def is_internal(self) -> bool:
        """Works in the committee itself (offices, leaders, administrators)."""
        return self.is_superuser or self.role in INTERNAL_ROLES

    @property
    def is_unit_user(self) -> bool:
        return self.role in UNIT_ROLES

    @property
    def is_deputy(self) -> bool:
        return self.role == Role.DEPUTY

    @property
    def is_assigning_clerk(self) -> bool:
        return self.role == Role.ASSIGNING_CLERK or self.is_superuser

    @property
    def is_app_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class Term(TimeStampedModel):
    """A five-year term (届) of the congress; meetings are numbered within it."""

    objects = qs.ReferenceQuerySet.as_manager()

    number = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如：第十七届"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["number"], name="term_number_unique")]

    def __str__(self):
        return self.name


class CongressSession(TimeStampedModel):
    """An annual session of the people's congress (人代会): it starts the clock for
    deputies' bills and suggestions submitted during the session."""

    objects = qs.ReferenceQuerySet.as_manager()

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("次"))
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：市十七届人大四次会议"))
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"))
    bill_deadline = models.DateTimeField(_("议案截止时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("人代会")
        verbose_name_plural = _("人代会")
        ordering = ["-start_date"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_term_number_unique")]

    def __str__(self):
        return self.name


class Office(TimeStampedModel):
    """A committee office (委室): a special committee (专门委员会) or a working body (工作机构)."""

    objects = qs.ReferenceQuerySet.as_manager()

    class Kind(models.TextChoices):
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        WORKING_BODY = "working_body", _("工作机构")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, default=Kind.WORKING_BODY)
    is_assigning_office = models.BooleanField(_("代表建议交办机构"), default=False)
    is_budget_office = models.BooleanField(_("预算工作机构"), default=False)
    vice_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管副主任"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_offices",
    )
    webhook_url = models.URLField(_("群机器人地址"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("委室")
        verbose_name_plural = _("委室")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.short_name or self.name


class HandlingUnit(TimeStampedModel):
    """A body that handles suggestions and reports to the committee (承办单位), grouped
    under 一府一委两院; government departments hang under the government."""

    objects = qs.ReferenceQuerySet.as_manager()

    class Group(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        SUPERVISORY = "supervisory", _("监察委员会")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    group = models.CharField(_("所属"), max_length=32, choices=Group.choices, default=Group.GOVERNMENT, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="departments"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    webhook_url = models.URLField(_("群机器人地址"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["group", "sort_order", "id"]

    def __str__(self):
        return self.name


class Delegation(TimeStampedModel):
    """A deputies' delegation (代表团) at the congress session."""

    objects = qs.ReferenceQuerySet.as_manager()

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="delegations")
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("代表团")
        verbose_name_plural = _("代表团")
        ordering = ["id"]

    def __str__(self):
        return self.name


class DeputyGroup(TimeStampedModel):
    """A deputy group (代表小组) for activities between sessions."""

    objects = qs.ReferenceQuerySet.as_manager()

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("代表团"), null=True, blank=True, on_delete=models.SET_NULL, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")

    def __str__(self):
        return self.name


class LiaisonStation(TimeStampedModel):
    """A deputies' home or liaison station (代表之家/代表联络站) that holds reception days."""

    objects = qs.ReferenceQuerySet.as_manager()

    class Kind(models.TextChoices):
        HOME = "home", _("代表之家")
        STATION = "station", _("代表联络站")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.STATION)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    established_on = models.DateField(_("设立日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")

    def __str__(self):
        return self.name


def new_qr_token() -> str:
    """The secret part of a deputy's QR code address (代表码): unguessable, so the code page
    cannot be found by counting; rotating it retires every printed poster at once."""
    return secrets.token_urlsafe(24)


class Deputy(TimeStampedModel):
    """A deputy's record (domain §6). A deputy who submits online also has a user account."""

    objects = qs.DeputyQuerySet.as_manager()

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deputy"
    )
    name = models.CharField(_("姓名"), max_length=50)
    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="deputies")
    delegation = models.ForeignKey(
        Delegation, verbose_name=_("代表团"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deputies"
    )
    group = models.ForeignKey(
        DeputyGroup, verbose_name=_("代表小组"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deputies"
    )
    station = models.ForeignKey(
        LiaisonStation, verbose_name=_("联络站"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deputies"
    )
    card_number = models.CharField(_("代表证号"), max_length=30, blank=True)
    constituency = models.CharField(_("选区"), max_length=100, blank=True)
    occupation = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("在任"), default=True)
    qr_token = models.CharField(_("代表码令牌"), max_length=64, unique=True, default=new_qr_token, editable=False)

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Meeting(TimeStampedModel):
    """A meeting: a standing-committee session (常委会会议, numbered per term) or a
    council of chairpersons (主任会议). Agenda items, decisions and appointments hang on it."""

    objects = qs.MeetingQuerySet.as_manager()

    class Kind(models.TextChoices):
        STANDING = "standing", _("常委会会议")
        CHAIRPERSONS = "chairpersons", _("主任会议")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("取消")

    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, db_index=True)
    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("次"))
    name = models.CharField(_("名称"), max_length=100, blank=True)
    start_date = models.DateField(_("开始日期"), db_index=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    location = models.CharField(_("地点"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    lead_office = models.ForeignKey(
        Office, verbose_name=_("会务委室"), null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-start_date", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "term", "number"], name="meeting_kind_term_number_unique")]

    def __str__(self):
        return self.name or self.default_name()

    def default_name(self) -> str:
        kind = "人大常委会" if self.kind == self.Kind.STANDING else "人大常委会主任会议"
        term_name = self.term.name if self.term_id else ""
        if self.kind == self.Kind.STANDING:
            return f"{term_name}{kind}第{chinese_number(self.number)}次会议"
        return f"{term_name}{kind}第{chinese_number(self.number)}次"

    def save(self, *args, **kwargs):
        if not self.name:
            self.name = self.default_name()
        super().save(*args, **kwargs)


class AgendaItem(TimeStampedModel):
    """One item on a meeting's agenda. It links to what is heard or decided there
    (a plan item, a supervision item, a bill, an appointment batch, a report)."""

    objects = qs.AgendaItemQuerySet.as_manager()

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("法规案")
        SPECIAL_REPORT = "special_report", _("专项工作报告")
        INSPECTION_REPORT = "inspection_report", _("执法检查报告")
        INQUIRY = "inquiry", _("专题询问")
        BUDGET = "budget", _("预算决算审查")
        AUDIT = "audit", _("审计工作报告")
        APPOINTMENT = "appointment", _("人事任免")
        RESOLUTION = "resolution", _("决议决定")
        OPINION_REPORT = "opinion_report", _("审议意见研究处理情况报告")
        SATISFACTION_VOTE = "satisfaction_vote", _("满意度测评")
        SUGGESTION_REPORT = "suggestion_report", _("代表建议办理情况报告")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("议题"), max_length=300)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    lead_office = models.ForeignKey(
        Office, verbose_name=_("牵头委室"), null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    reporting_unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("报告机关"), null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    reporter = models.CharField(_("报告人"), max_length=100, blank=True)
    proposal_received_on = models.DateField(_("议题建议提交日期"), null=True, blank=True)
    draft_report_received_on = models.DateField(_("报告初稿报送日期"), null=True, blank=True)
    final_report_received_on = models.DateField(_("报告正式稿报送日期"), null=True, blank=True)
    notice_sent_on = models.DateField(_("送达组成人员日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议议题")
        verbose_name_plural = _("会议议题")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """Who attended a meeting (出席、请假、缺席)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        LEAVE = "leave", _("请假")
        ABSENT = "absent", _("缺席")
        NON_VOTING = "non_voting", _("列席")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), null=True, blank=True, on_delete=models.SET_NULL
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    status = models.CharField(_("出席情况"), max_length=16, choices=Status.choices, default=Status.PRESENT)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")

    def __str__(self):
        return f"{self.person_name} {self.get_status_display()}"


class Decision(TimeStampedModel):
    """A resolution or decision (决议决定) adopted at a meeting; counted in the year-end report."""

    objects = qs.MeetingRecordQuerySet.as_manager()

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("决议")
        DECISION = "decision", _("决定")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, default=Kind.DECISION)
    title = models.CharField(_("标题"), max_length=300)
    adopted_on = models.DateField(_("通过日期"), db_index=True)
    document = models.FileField(_("文件"), upload_to="decisions/%Y/", blank=True, validators=[validate_document])

    class Meta:
        verbose_name = _("决议决定")
        verbose_name_plural = _("决议决定")
        ordering = ["-adopted_on", "id"]

    def __str__(self):
        return self.title


class Appointment(TimeStampedModel):
    """An appointment or removal (任免) decided at a meeting; counted in persons (人次)."""

    objects = qs.MeetingRecordQuerySet.as_manager()

    class Action(models.TextChoices):
        APPOINT = "appoint", _("任命")
        ELECT = "elect", _("选举")
        REMOVE = "remove", _("免职")
        ACCEPT_RESIGNATION = "resign", _("接受辞职")
        DISMISS = "dismiss", _("撤职")

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="appointments")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    person_name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=200)
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    action = models.CharField(_("任免"), max_length=16, choices=Action.choices, default=Action.APPOINT)
    oath_taken = models.BooleanField(_("已宪法宣誓"), default=False)
    effective_on = models.DateField(_("生效日期"), db_index=True)

    class Meta:
        verbose_name = _("任免")
        verbose_name_plural = _("任免")
        ordering = ["-effective_on", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.person_name} {self.position}"
