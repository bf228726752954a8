from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend, ModelBackend):
    """ModelBackend with axes' lockout check in front of every login that comes through HTTP.

    Django's test client `login()` and management code call authenticate() without a
    request; they have no address to lock, so only the password is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            # Raises (and marks the request locked out) when the account or address is locked.
            AxesStandaloneBackend.authenticate(self, request, username=username, password=password, **kwargs)
        kwargs.pop("response_context", None)
        return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)
