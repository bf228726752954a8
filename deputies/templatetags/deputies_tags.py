"""Small display helpers for the deputies' pages."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

@register.simple_tag
def status_badge(obj):
    from congress.templatetags.ui import status_tone

    return format_html(
        '<span class="badge status-badge {}" data-status="{}">{}</span>',
        status_tone(obj.status), obj.status, obj.get_status_display(),
    )


@register.simple_tag
def action_url(item, name):
    from deputies.models import Bill, CitizenOpinion

    if isinstance(item, Bill):
        return reverse("deputies:bill-action", args=[item.pk, name])
    if isinstance(item, CitizenOpinion):
        return reverse("deputies:opinion-action", args=[item.pk, name])
    return reverse("deputies:suggestion-action", args=[item.pk, name])


@register.simple_tag(takes_context=True)
def action_unmet(context, item, action):
    """The messages of what still keeps this user's action on this item from succeeding
    (the action's `checks`, the same function its service refuses with)."""
    if not getattr(action, "checks", None):
        return []
    return [message for _field, message in action.checks(context["request"].user, item)]


@register.filter
def pct(value):
    return "—" if value is None else f"{value}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def bs(field):
    """Render a filter field with Bootstrap's classes so the panel wraps on a phone
    instead of pushing the page sideways."""
    from django import forms

    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):  # also SelectMultiple and NullBooleanSelect
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})
