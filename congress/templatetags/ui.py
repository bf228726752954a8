"""The shared interface kit: status colours and the filter bar every list uses.

    {% load ui %}
    {% filter_bar filterset.form %}                       {# collapsed bar, active filters as chips #}
    {% include "components/status_badge.html" with status=obj.status label=obj.get_status_display %}
"""

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()

# One colour per meaning, whatever the app: waiting, moving, needs attention, finished, stopped.
_TONES = {
    "status-muted": ("draft", "not_started", "planned", "candidate", "pending", "compiling", "withdrawn", "merged",
                     "queued"),
    "status-info": ("submitted", "under_review", "accepted", "assigned", "approved", "issued", "adjusted", "heard",
                    "registered", "adopted", "carried_over"),
    "status-progress": ("in_progress", "opinions_issued", "follow_up", "evidence_submitted", "signed", "handling",
                        "routed", "at_station", "running"),
    "status-warn": ("return_requested", "delayed", "rehandling", "extension_requested", "failed"),
    "status-done": ("replied", "done", "reported", "rectified", "elected", "answered", "satisfied",
                    "suggested", "completed", "held"),
    "status-closed": ("closed", "cancelled", "rejected", "not_elected", "returned", "dissatisfied",
                      "shelved"),
}
STATUS_TONES = {status: tone for tone, statuses in _TONES.items() for status in statuses}


@register.filter
def status_tone(status) -> str:
    """The badge class of a status code, the same colour for the same meaning in every app."""
    return STATUS_TONES.get(str(status), "status-muted")


class _AllNullBooleanSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "全部" (all) instead of "未知"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")


def _kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.SelectMultiple):
        return "multi"
    if isinstance(widget, forms.NullBooleanSelect) or isinstance(field.field, forms.NullBooleanField):
        return "bool"
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.Select):
        return "select"
    return "text"


def _render(field, kind: str) -> str:
    widget = field.field.widget
    if kind == "multi":
        boxes = forms.CheckboxSelectMultiple(choices=field.field.choices)
        return field.as_widget(widget=boxes, attrs={"class": "form-check-input"})
    if kind == "bool":
        return field.as_widget(widget=_AllNullBooleanSelect(), attrs={"class": "form-select form-select-sm"})
    if kind == "check":
        return field.as_widget(attrs={"class": "form-check-input"})
    css = "form-select form-select-sm" if kind == "select" else "form-control form-control-sm"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


def _value_label(field, kind: str, value: str) -> str:
    if kind in ("bool", "check"):
        return _("是") if value.lower() in ("true", "1", "on") else _("否")
    formfield = field.field
    if isinstance(formfield, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        try:
            obj = formfield.queryset.filter(pk=value).first()
        except (ValueError, TypeError):
            obj = None
        return formfield.label_from_instance(obj) if obj is not None else value
    for key, label in getattr(formfield, "choices", ()):
        if isinstance(label, list | tuple):  # option groups
            for sub_key, sub_label in label:
                if str(sub_key) == value:
                    return str(sub_label)
        elif str(key) == value:
            return str(label)
    return value


_IGNORED = {"", "unknown"}


@register.inclusion_tag("components/filter_bar.html", takes_context=True)
def filter_bar(context, form, search_field="q", bar_id="filters"):
    """The collapsed filter bar of a list: the keyword box, a "筛选" toggle with the number
    of active filters, the active ones as removable chips, and the full form below."""
    request = context.get("request")
    data = request.GET if request is not None else {}
    fields, chips, search = [], [], None
    for field in form:
        if field.is_hidden:
            fields.append({"field": field, "kind": "hidden", "html": str(field)})
            continue
        kind = _kind(field)
        values = [v for v in data.getlist(field.name) if v not in _IGNORED] if data else []
        entry = {
            "field": field,
            "kind": kind,
            "html": _render(field, kind),
            "count": len(values),
            "errors": field.errors,
        }
        if field.name == search_field and kind == "text":
            entry["html"] = field.as_widget(attrs={"class": "form-control form-control-sm", "placeholder": field.label})
            search = entry
        else:
            fields.append(entry)
        for value in values:
            rest = data.copy()
            rest.setlist(field.name, [v for v in data.getlist(field.name) if v != value])
            rest.pop("page", None)
            label = value if field.name == search_field else _value_label(field, kind, value)
            chips.append({"label": field.label, "value": label, "url": "?" + rest.urlencode()})
    has_errors = any(f.get("errors") for f in fields)
    return {
        "form": form,
        "fields": fields,
        "search": search,
        "chips": chips,
        "bar_id": bar_id,
        "open": has_errors,
        "active": len([c for c in chips if c["label"] != (search["field"].label if search else None)]),
    }
