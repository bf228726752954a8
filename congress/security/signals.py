"""Audit rows for the authentication signals, and the checks a fresh login must pass."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from . import audit, policy

# Session keys
LAST_ACTIVITY = "security_last_activity"
PASSWORD_EXPIRED = "security_password_expired"
OTP_PENDING = "security_otp_pending"


@receiver(user_logged_in, dispatch_uid="security-login")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_ACTIVITY] = timezone.now().timestamp()
    if policy.password_expired(user):
        request.session[PASSWORD_EXPIRED] = True
    if policy.confirmed_device(user) is not None:
        request.session[OTP_PENDING] = True
    if getattr(request, "META", {}).get("REMOTE_ADDR") is not None:
        audit.record(request, audit.Action.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="security-logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None and request is not None and not getattr(request, "_security_idle_logout", False):
        audit.record(request, audit.Action.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="security-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    audit.record(request, audit.Action.LOGIN_FAILED, result=audit.Result.FAILURE,
                 username=credentials.get("username", ""))


@receiver(user_locked_out, dispatch_uid="security-lockout")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit.record(request, audit.Action.LOCKOUT, result=audit.Result.FAILURE, username=username or "")
