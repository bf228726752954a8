"""Overdue colours and the per-record reminder panel, for every app's templates.

    {% load reminder_tags %}
    <td class="{{ item.reply_due_on|due_class }}">{{ item.reply_due_on|date:"Y-m-d" }}</td>
    {% due_badge item.reply_due_on %}
    {% reminder_panel item %}            {# on a detail page: sent and coming reminders #}
"""

import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import reminder_engine, workdays

register = template.Library()

COLOUR_LABELS = {
    "blue": gettext_lazy("即将到期"),
    "orange": gettext_lazy("已逾期"),
    "red": gettext_lazy("严重逾期"),
}


@register.filter
def due_colour(value) -> str:
    """"", "blue", "orange" or "red" for a due date (see reminder_engine.overdue_colour)."""
    if not isinstance(value, dt.date):
        return ""
    return reminder_engine.overdue_colour(value)


@register.filter
def due_class(value) -> str:
    """The CSS class of a due date's colour: due-blue, due-orange, due-red (or "")."""
    colour = due_colour(value)
    return f"due-{colour}" if colour else ""


@register.inclusion_tag("congress/reminders/due_badge.html")
def due_badge(value, today=None):
    if not isinstance(value, dt.date):
        return {"colour": "", "text": ""}
    today = today or workdays.today()
    colour = reminder_engine.overdue_colour(value, today)
    if value < today:
        text = _("逾期%(n)s天") % {"n": (today - value).days}
    elif value == today:
        text = _("今日到期")
    else:
        text = _("%(n)s天后到期") % {"n": (value - today).days}
    return {"colour": colour, "text": text, "label": COLOUR_LABELS.get(colour, "")}


@register.inclusion_tag("congress/reminders/panel.html", takes_context=True)
def reminder_panel(context, records, title=None):
    """Reminders sent and coming for a record (or a list of records of one model; load
    the relation of the rule's date field with select_related, e.g. "meeting").
    Shown to the committee's own staff only: it names who was told."""
    user = context.get("user")
    allowed = bool(user and user.is_authenticated and user.is_internal)
    entries = reminder_engine.record_schedule(records) if allowed else []
    return {
        "entries": entries,
        "allowed": allowed,
        "title": title or _("期限提醒"),
        "escalation_labels": reminder_engine.Escalation.LABELS,
    }
