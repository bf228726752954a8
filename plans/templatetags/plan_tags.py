"""Template helpers of the plan pages."""

from django import template

from congress.reminder_engine import overdue_colour
from congress.workdays import today

register = template.Library()


@register.filter
def item_due_class(item) -> str:
    """Overdue colour of an open item (a closed item is never overdue)."""
    if not item.due_date or item.is_closed:
        return ""
    colour = overdue_colour(item.due_date, today())
    return f"due-{colour}" if colour else ""


@register.filter
def status_badge(status: str) -> str:
    from congress.templatetags.ui import status_tone

    return f"status-badge {status_tone(status)}"
