"""Template access to the legislation module's switch, for shared pages (the sign-in page)."""

from django import template

from legislation.gate import enabled

register = template.Library()


@register.simple_tag
def legislation_enabled() -> bool:
    return enabled()
