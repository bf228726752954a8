"""The legislation module's switch (domain §0: only 设区的市 and above make local
regulations). Everything of the module asks here whether it is on."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from rest_framework.permissions import BasePermission


def enabled() -> bool:
    return bool(getattr(settings, "LEGISLATION_ENABLED", False))


def require_enabled(view):
    """A page of the module is a 404 where the module is off, never a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class LegislationEnabled(BasePermission):
    """API permission: the module's endpoints answer 404 where it is off."""

    def has_permission(self, request, view):
        if not enabled():
            raise Http404
        return True
