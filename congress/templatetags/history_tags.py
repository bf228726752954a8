"""Values of a history entry as people read them.

    {% load history_tags %}
    {{ change.after|history_value }}
"""

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from congress import formatting

register = template.Library()


def _moment(text: str) -> str | None:
    """Entries written before times were stored in local form hold ISO timestamps."""
    if len(text) < 16 or text[4] != "-" or "T" not in text:
        return None
    try:
        return formatting.format_datetime(dt.datetime.fromisoformat(text))
    except ValueError:
        return None


@register.filter
def history_value(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list | tuple):
        return "、".join(history_value(v) for v in value) if value else _("（空）")
    if isinstance(value, dict):
        return "；".join(f"{k}：{history_value(v)}" for k, v in value.items()) if value else _("（空）")
    if isinstance(value, dt.date):
        return formatting.format_moment(value)
    if isinstance(value, str):
        return _moment(value) or value
    return str(value)
