"""Who gets the browsable API: system administrators only.

DRF's browsable API renders forms whose dropdowns list related objects; even scoped,
they are a second surface nobody else needs. Everyone else gets JSON, whatever the
Accept header says, so a browser opening an API address sees data, not forms."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer


def _is_administrator(request) -> bool:
    # Authenticates the request; a refusal (bad token, missing CSRF token) propagates and
    # is answered as usual, then rendered in JSON since the user is then nobody.
    user = request.user
    return bool(user and user.is_authenticated and getattr(user, "is_app_admin", False))


class BrowsableForAdministrators(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if not isinstance(renderer, BrowsableAPIRenderer) or _is_administrator(request):
            return renderer, media_type
        kept = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        if not kept:
            return renderer, media_type
        try:
            return super().select_renderer(request, kept, format_suffix)
        except exceptions.NotAcceptable:
            return kept[0], kept[0].media_type
