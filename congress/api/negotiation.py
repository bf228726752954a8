"""Who gets the browsable API: system administrators only.

DRF's browsable API renders forms whose dropdowns list related objects; even scoped,
they are a second surface nobody else needs. Everyone else gets JSON, whatever the
Accept header says, so a browser opening an API address sees data, not forms."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer


def _is_administrator(request) -> bool:
    try:
        user = request.user
    except exceptions.APIException:
        # Bad credentials: the view answers 401 in JSON.
        return False
    return bool(user and user.is_authenticated and getattr(user, "is_app_admin", False))


class BrowsableForAdministrators(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        kept = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        if len(kept) == len(renderers) or not kept or _is_administrator(request):
            return super().select_renderer(request, renderers, format_suffix)
        try:
            return super().select_renderer(request, kept, format_suffix)
        except exceptions.NotAcceptable:
            return kept[0], kept[0].media_type
