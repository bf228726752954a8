"""Deadline rules of regulation projects (domain §9), registered with the reminder engine.

* Provincial approval: the province decides within 4 months of the request
  (Legislation Law art. 81); the 法工委 and the lead committee are told a fortnight
  before and when it is late, so they can ask after it.
* Publication after approval (local 立法条例): once approved, the city publishes.
* Filing (备案) within 30 days of publication (art. 109).
* Between readings: the next reading is due within the local interval of the last one.

Each rule counts from a date stored on the project (indexed: the engine's query is a
range on it) and its recipients come from prefetched lists, so a scan costs the same
few queries per rule however many projects there are. Nothing fires where the module
is switched off."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from congress.models import Office, User
from congress.reminder_engine import Escalation, Rule, Step, per_scan, register, working_days
from congress.roles import Role

from .choices import READINGS, ProjectStatus
from .choices import Step as ProjectStepCode
from .gate import enabled
from .models import RegulationProject
from .periods import after_setting
from .services_projects import is_affairs_office

OFFICE_ROLES = [Role.STAFF, Role.ASSIGNING_CLERK]


def _members():
    return User.objects.filter(is_active=True, role__in=OFFICE_ROLES).order_by("id")


@per_scan
def affairs_staff() -> list:
    """The 法工委's staff: told of every project's deadlines (asked once per scan)."""
    offices = [o.pk for o in Office.objects.all() if is_affairs_office(o)]
    return list(_members().filter(office__in=offices))


class ProjectRule(Rule):
    model = RegulationProject

    def get_queryset(self):
        return RegulationProject.objects.select_related(
            "plan", "lead_office", "lead_office__vice_chair", "vice_chair"
        ).prefetch_related(Prefetch("lead_office__members", queryset=_members(), to_attr="active_members"))

    def pending(self, queryset):
        if not enabled():
            return queryset.none()
        return queryset.filter(status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED])

    def recipients(self, project, step):
        if step.escalation >= Escalation.VICE_CHAIR:
            chair = project.vice_chair or (project.lead_office.vice_chair if project.lead_office_id else None)
            return [chair] if chair else []
        staff = list(getattr(project.lead_office, "active_members", [])) if project.lead_office_id else []
        return list({u.pk: u for u in [*staff, *affairs_staff()]}.values())

    def office_and_unit(self, project):
        return project.lead_office, project.drafting_unit if project.drafting_unit_id else None

    def for_user(self, user, queryset):
        if user.role in OFFICE_ROLES and user.office_id:
            if is_affairs_office(user.office):
                return queryset
            return queryset.filter(lead_office_id=user.office_id)
        if user.is_leader:
            return queryset.filter(Q(vice_chair=user) | Q(vice_chair__isnull=True, lead_office__vice_chair=user))
        return queryset.none()


@register
class ApprovalRule(ProjectRule):
    code = "legislation.approval"
    label = _("法规报请批准")
    date_field = "approval_requested_on"
    deadline = after_setting("LEGISLATION_APPROVAL_MONTHS")  # art. 81: four months
    steps = [
        Step("ahead", _("省人大常委会审查批准期限将满，请了解审查进展"), -14),
        Step("overdue", _("省人大常委会审查批准期限已过，请了解情况"), 1, repeat_every=14),
    ]

    def pending(self, queryset):
        return super().pending(queryset).filter(current_step=ProjectStepCode.APPROVAL, approved_on__isnull=True)


@register
class PublicationRule(ProjectRule):
    code = "legislation.publication"
    label = _("法规批准后公布")
    date_field = "approved_on"
    deadline = after_setting("LEGISLATION_PUBLICATION_DAYS")
    steps = [
        Step("due", _("法规已获批准，请按期公布"), -3),
        Step("overdue", _("法规批准后逾期未公布"), 1, repeat_every=7),
        Step("escalate", _("分管的法规批准后逾期未公布"), working_days(5), escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        return super().pending(queryset).filter(current_step=ProjectStepCode.APPROVAL, published_on__isnull=True)


@register
class FilingRule(ProjectRule):
    code = "legislation.filing"
    label = _("法规报送备案")
    date_field = "published_on"
    deadline = after_setting("LEGISLATION_FILING_DAYS")  # art. 109: thirty days
    steps = [
        Step("ahead", _("请于公布后三十日内报送备案"), -7),
        Step("due", _("今日为报送备案截止日"), 0),
        Step("overdue", _("法规公布后逾期未报送备案"), 1, repeat_every=7),
        Step("escalate", _("分管的法规逾期未报送备案"), working_days(3), escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        return super().pending(queryset).filter(filed_on__isnull=True)


@register
class NextReadingRule(ProjectRule):
    code = "legislation.next_reading"
    label = _("法规案再次审议")
    date_field = "last_reading_on"
    deadline = after_setting("LEGISLATION_READING_INTERVAL_MONTHS")
    steps = [
        Step("ahead", _("距上次审议将满规定间隔，请安排下一次审议或表决"), -30),
        Step("overdue", _("距上次审议已超过规定间隔"), 1, escalation=Escalation.VICE_CHAIR),
    ]

    def pending(self, queryset):
        return super().pending(queryset).filter(status=ProjectStatus.IN_PROGRESS, current_step__in=list(READINGS))
