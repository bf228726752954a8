"""Dates and times as people read them (see congress.formatting).

    {% load local_time %}
    {{ entry.at|local_datetime }}   → 2026-12-02 15:24 (Beijing time)
    {{ item.due_date|local_date }}  → 2026-12-02
"""

from django import template

from congress import formatting

register = template.Library()


@register.filter
def local_datetime(value) -> str:
    return formatting.format_moment(value) if value else ""


@register.filter
def local_date(value) -> str:
    return formatting.format_date(value) if value else ""
