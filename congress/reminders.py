"""Meeting-preparation deadlines of every planned standing-committee session (domain §5, §8).

Supervision Law art. 15: the reporting body sends its report to the committee twenty
days before the session (draft, for the working body to study) and the final text ten
days before; members receive the documents seven days before. Agenda proposals are due
thirty days before [choice]. Each deadline is a period setting (congress.periods).

Who is told: the reporting body's clerk and head and the lead office's staff; when a
report is still missing the working day after its deadline, the lead office's
分管副主任 as well."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import AgendaItem, Meeting, User
from congress.reminder_engine import Escalation, Rule, Step, before, register, working_days
from congress.roles import Role


def _active_users(roles=None):
    qs = User.objects.filter(is_active=True).order_by("id")
    return qs.filter(role__in=roles) if roles else qs


# The office's working staff, not the administrator who may sit in the same office.
OFFICE_ROLES = [Role.STAFF, Role.ASSIGNING_CLERK]


class MeetingPreparationRule(Rule):
    """Common part: agenda items of planned standing-committee sessions, counted back
    from the session's first day; `received_field` empty = still pending."""

    model = AgendaItem
    date_field = "meeting__start_date"
    received_field = ""
    notify_unit = True
    steps = [
        Step("week", _("一周后到期"), -7),
        Step("due", _("今日到期"), 0),
        Step("overdue", _("已逾期，请尽快报送"), working_days(1)),
    ]

    def get_queryset(self):
        # Recipients come from prefetched lists: a few queries per batch, not per record.
        return (
            AgendaItem.objects.select_related("meeting", "meeting__term", "meeting__lead_office", "lead_office",
                                              "lead_office__vice_chair", "reporting_unit")
            .prefetch_related(
                Prefetch("reporting_unit__users", queryset=_active_users(), to_attr="active_users"),
                Prefetch("lead_office__members", queryset=_active_users(OFFICE_ROLES), to_attr="active_members"),
                Prefetch("meeting__lead_office__members", queryset=_active_users(OFFICE_ROLES), to_attr="active_members"),
            )
        )

    def pending(self, queryset):
        return queryset.filter(
            meeting__kind=Meeting.Kind.STANDING,
            meeting__status=Meeting.Status.PLANNED,
            **{f"{self.received_field}__isnull": True},
        )

    def _office(self, item):
        return item.lead_office or item.meeting.lead_office

    def recipients(self, item, step):
        office = self._office(item)
        if step.escalation >= Escalation.VICE_CHAIR:
            chair = office.vice_chair if office else None
            return [chair] if chair else []
        people = list(getattr(office, "active_members", [])) if office else []
        if self.notify_unit and item.reporting_unit_id:
            people += list(getattr(item.reporting_unit, "active_users", []))
        return people

    def item_label(self, item):
        return f"{item.meeting}：{item.title}"

    def url(self, item):
        return reverse("congress:meeting-detail", args=[item.meeting_id])

    def office_and_unit(self, item):
        return self._office(item), item.reporting_unit

    def for_user(self, user, queryset):
        if user.unit_id and self.notify_unit:
            return queryset.filter(reporting_unit_id=user.unit_id)
        if user.office_id:
            return queryset.filter(Q(lead_office_id=user.office_id) | Q(lead_office__isnull=True,
                                                                        meeting__lead_office_id=user.office_id))
        if user.is_leader:
            return queryset.filter(lead_office__vice_chair=user)
        return queryset.none()


@register
class AgendaProposalRule(MeetingPreparationRule):
    code = "meeting.agenda_proposal"
    label = _("议题建议提交")
    deadline = before("agenda_proposal_days")  # T-30
    received_field = "proposal_received_on"


@register
class DraftReportRule(MeetingPreparationRule):
    code = "meeting.draft_report"
    label = _("报告初稿报送")
    deadline = before("draft_report_days")  # T-20, Supervision Law art. 15
    received_field = "draft_report_received_on"
    steps = [
        *MeetingPreparationRule.steps,
        Step("escalate", _("报告逾期未报送，请督促"), working_days(2), escalation=Escalation.VICE_CHAIR),
    ]


@register
class FinalReportRule(MeetingPreparationRule):
    code = "meeting.final_report"
    label = _("报告正式稿报送")
    deadline = before("final_report_days")  # T-10, Supervision Law art. 15
    received_field = "final_report_received_on"
    steps = DraftReportRule.steps


@register
class MemberNoticeRule(MeetingPreparationRule):
    """The lead office sends the documents to the members: the reporting body has no part in it."""

    code = "meeting.member_notice"
    label = _("会议材料送达组成人员")
    deadline = before("member_notice_days")  # T-7, Supervision Law art. 15
    received_field = "notice_sent_on"
    notify_unit = False
    steps = [
        Step("ahead", _("两个工作日后到期"), working_days(-2)),
        Step("due", _("今日到期"), 0),
        Step("escalate", _("会议材料逾期未送达组成人员"), working_days(1), escalation=Escalation.VICE_CHAIR),
    ]
