"""Who must do what: password age, second factor."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from congress.roles import Role


def otp_required(user) -> bool:
    """Administrators always; other roles when OTP_REQUIRED_ROLES names them."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role in settings.OTP_REQUIRED_ROLES


def confirmed_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def password_changed_at(user) -> dt.datetime:
    last = user.password_history.order_by("-changed_at", "-id").values_list("changed_at", flat=True).first()
    return last or user.date_joined


def demo_exempt(user) -> bool:
    """Demo accounts skip the age rule only on an installation that says it is a demo."""
    if not settings.DEMO_MODE:
        return False
    from .models import DemoAccount

    return DemoAccount.objects.filter(user=user).exists()


def password_expired(user) -> bool:
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age or not user.has_usable_password() or demo_exempt(user):
        return False
    return timezone.now() - password_changed_at(user) > dt.timedelta(days=max_age)
