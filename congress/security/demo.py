"""Demo data: mark the demo accounts (their password-age rule is waived while DEMO_MODE is on)."""

from django.contrib.auth import get_user_model

from .models import DemoAccount


def seed(ctx):
    usernames = [username for username, _desc in ctx.get("accounts", [])]
    for user in get_user_model().objects.filter(username__in=usernames):
        DemoAccount.objects.get_or_create(user=user)
