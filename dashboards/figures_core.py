"""Figures of the core records: meetings, reports heard, regulations, decisions,
appointments and liaison stations (domain §5, §7)."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress.models import AgendaItem, Appointment, Decision, LiaisonStation, Meeting

from .figures import Column, Metric, Source

# Agenda items that are a report of 一府一委两院 heard and deliberated by the committee
# ("听取和审议“一府一委两院”工作报告x项"): special work reports, inspection reports, budget
# and final-accounts reports, audit reports and the reports on handling deliberation
# opinions and deputies' suggestions.
REPORT_KINDS = [
    AgendaItem.Kind.SPECIAL_REPORT,
    AgendaItem.Kind.INSPECTION_REPORT,
    AgendaItem.Kind.BUDGET,
    AgendaItem.Kind.AUDIT,
    AgendaItem.Kind.OPINION_REPORT,
    AgendaItem.Kind.SUGGESTION_REPORT,
]

HELD = Q(status=Meeting.Status.HELD)


def _meeting_url(obj):
    return reverse("congress:meeting-detail", args=[obj.pk])


def _agenda_url(obj):
    return reverse("congress:meeting-detail", args=[obj.meeting_id])


def _record_meeting_url(obj):
    return reverse("congress:meeting-detail", args=[obj.meeting_id])


MEETINGS = Source(
    key="meetings",
    base=lambda user: Meeting.objects.visible_to(user),
    date_field="start_date",
    related=("term",),
    ordering=("start_date", "number"),
    detail_url=_meeting_url,
    columns=(
        Column(_("会议"), str),
        Column(_("类别"), "get_kind_display"),
        Column(_("日期"), "start_date"),
        Column(_("地点"), "location"),
        Column(_("状态"), "get_status_display"),
    ),
)

# Only what was on the agenda of a standing-committee session actually held counts as heard.
AGENDA = Source(
    key="agenda",
    base=lambda user: AgendaItem.objects.visible_to(user).filter(
        meeting__kind=Meeting.Kind.STANDING, meeting__status=Meeting.Status.HELD
    ),
    date_field="meeting__start_date",
    related=("meeting", "meeting__term", "lead_office", "reporting_unit"),
    ordering=("meeting__start_date", "order"),
    detail_url=_agenda_url,
    columns=(
        Column(_("议题"), "title"),
        Column(_("类别"), "get_kind_display"),
        Column(_("会议"), "meeting"),
        Column(_("日期"), "meeting.start_date"),
        Column(_("报告机关"), "reporting_unit"),
        Column(_("牵头委室"), "lead_office"),
    ),
)

DECISIONS = Source(
    key="decisions",
    base=lambda user: Decision.objects.visible_to(user),
    date_field="adopted_on",
    related=("meeting", "meeting__term"),
    ordering=("adopted_on", "id"),
    detail_url=_record_meeting_url,
    columns=(
        Column(_("标题"), "title"),
        Column(_("类别"), "get_kind_display"),
        Column(_("会议"), "meeting"),
        Column(_("通过日期"), "adopted_on"),
    ),
)

APPOINTMENTS = Source(
    key="appointments",
    base=lambda user: Appointment.objects.visible_to(user),
    date_field="effective_on",
    related=("meeting", "meeting__term"),
    ordering=("effective_on", "id"),
    detail_url=_record_meeting_url,
    columns=(
        Column(_("姓名"), "person_name"),
        Column(_("职务"), "position"),
        Column(_("单位"), "organisation"),
        Column(_("任免"), "get_action_display"),
        Column(_("会议"), "meeting"),
        Column(_("生效日期"), "effective_on"),
    ),
)

# A station counts from the year it was set up; one without a date has always been there.
STATIONS = Source(
    key="stations",
    base=lambda user: LiaisonStation.objects.visible_to(user),
    date_field="established_on",
    cumulative=True,
    ordering=("name",),
    columns=(
        Column(_("名称"), "name"),
        Column(_("类别"), "get_kind_display"),
        Column(_("地址"), "address"),
        Column(_("设立日期"), "established_on"),
    ),
)


def metrics() -> list[Metric]:
    return [
        Metric(
            key="standing_meetings",
            label=_("常委会会议"),
            unit=pgettext_lazy("unit of count", "次"),
            source=MEETINGS,
            where=Q(kind=Meeting.Kind.STANDING) & HELD,
            definition=_("本年召开（状态为“已召开”）的常委会会议；计划中和已取消的会议不计。"),
            order=10,
        ),
        Metric(
            key="chairpersons_meetings",
            label=_("主任会议"),
            unit=pgettext_lazy("unit of count", "次"),
            source=MEETINGS,
            where=Q(kind=Meeting.Kind.CHAIRPERSONS) & HELD,
            definition=_("本年召开的主任会议，与常委会会议分别统计；已取消的不计。"),
            order=20,
        ),
        Metric(
            key="reports_heard",
            label=_("听取和审议工作报告"),
            unit=_("项"),
            source=AGENDA,
            where=Q(kind__in=REPORT_KINDS),
            definition=_(
                "本年已召开的常委会会议上听取和审议的“一府一委两院”报告：专项工作报告、执法检查报告、"
                "预算决算报告、审计工作报告、审议意见研究处理情况报告和代表建议办理情况报告。"
            ),
            order=30,
        ),
        Metric(
            key="special_reports",
            label=_("其中：专项工作报告"),
            unit=_("项"),
            source=AGENDA,
            where=Q(kind=AgendaItem.Kind.SPECIAL_REPORT),
            definition=_("本年已召开的常委会会议上听取和审议的专项工作报告。"),
            order=31,
        ),
        Metric(
            key="decisions",
            label=_("作出决议决定"),
            unit=_("项"),
            source=DECISIONS,
            definition=_("本年通过的决议和决定（按通过日期）。"),
            order=40,
        ),
        Metric(
            key="appointments",
            label=_("任免国家机关工作人员"),
            unit=_("人次"),
            source=APPOINTMENTS,
            definition=_("本年生效的任命、选举、免职、接受辞职和撤职，按人次计。"),
            order=50,
        ),
        Metric(
            key="regulations",
            label=_("审议法规案"),
            unit=_("件"),
            group="legislation",
            source=AGENDA,
            where=Q(kind=AgendaItem.Kind.REGULATION),
            definition=_("本年已召开的常委会会议上审议的法规案（同一法规多次审议分别计）。仅设区的市及以上有立法权。"),
            order=10,
            # Legislation Law art. 81: only cities with districts and above make local regulations.
            enabled=lambda: getattr(settings, "LEGISLATION_ENABLED", False),
        ),
        Metric(
            key="liaison_stations",
            label=_("代表联络站（代表之家）"),
            unit=_("个"),
            group="deputies",
            source=STATIONS,
            definition=_("截至年底已设立的代表之家和代表联络站。"),
            order=10,
        ),
    ]
