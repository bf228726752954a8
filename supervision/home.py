"""Home-page widgets of supervision work: for committee staff the opinions to issue and
the handling reports due; for a handling body the opinions it must answer."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.formatting import format_date
from congress.navigation import Widget, WidgetRow
from congress.workdays import today

from . import selectors
from .models import SupervisionItem

LIMIT = 6


def _note(due):
    return format_date(due)


def widgets(user) -> list[Widget]:
    if not user.is_authenticated:
        return []
    items = SupervisionItem.objects.visible_to(user)
    now = today()
    more = reverse("supervision:item-list")
    if user.is_internal:
        if not user.is_leader and user.office_id:
            items = items.filter(lead_office_id=user.office_id)
        to_issue = list(selectors.opinions_not_issued(items)[:LIMIT])
        due = list(selectors.reports_due(items)[:LIMIT])
        return [
            Widget(
                title=_("待交办的审议意见"),
                rows=[WidgetRow(s.item.title, s.item.get_absolute_url(), _("交办期限 %(d)s") % {"d": _note(s.due_date)},
                                selectors.due_colour(s.due_date, now)) for s in to_issue],
                count=selectors.opinions_not_issued(items).count(),
                more_url=more + "?status=heard",
                empty_text=_("没有待交办的审议意见"),
                order=20,
            ),
            Widget(
                title=_("待报送的研究处理情况"),
                rows=[WidgetRow(f"{o.item.title}（{o.item.target_unit or ''}）", o.item.get_absolute_url(),
                                _("期限 %(d)s") % {"d": _note(o.report_due)}, selectors.due_colour(o.report_due, now))
                      for o in due],
                count=selectors.reports_due(items).count(),
                more_url=more + "?status=opinions_issued",
                empty_text=_("没有待报送的报告"),
                order=21,
            ),
        ]
    if user.is_unit_user:
        # Only the target body and the departments named on the item answer the opinions
        # (permissions.is_body_user); a unit that merely owns an audit problem does not.
        items = items.filter(Q(target_unit_id=user.unit_id) | Q(departments=user.unit_id))
        due = list(selectors.reports_due(items)[:LIMIT])
        return [
            Widget(
                title=_("待答复的审议意见"),
                rows=[WidgetRow(o.item.title, o.item.get_absolute_url(), _("报告期限 %(d)s") % {"d": _note(o.report_due)},
                                selectors.due_colour(o.report_due, now)) for o in due],
                count=selectors.reports_due(items).count(),
                more_url=more,
                empty_text=_("没有待答复的审议意见"),
                order=20,
            )
        ]
    return []
