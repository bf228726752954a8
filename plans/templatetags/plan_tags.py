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
    return {
        "not_started": "bg-secondary",
        "in_progress": "bg-primary",
        "done": "bg-success",
        "delayed": "bg-warning text-dark",
        "cancelled": "bg-dark",
        "adjusted": "bg-info text-dark",
    }.get(status, "bg-secondary")


@register.simple_tag
def indent(level) -> str:
    """CSS class indenting a tree row of the given level (styles in app.css; no inline style under CSP)."""
    return f"indent-{min(max(int(level or 1), 1), 8)}"
