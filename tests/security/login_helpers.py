"""Helpers of the login-rule tests: log in through the real pages, read TOTP codes."""

import datetime as dt

from django.urls import reverse
from django_otp.oath import totp

from tests import factories as f

BJ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BJ)


def login(client, username, password=f.PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def token(api, username, password=f.PASSWORD, **data):
    return api.post("/api/v1/auth/token/", {"username": username, "password": password, **data}, format="json")


def code_for(device) -> str:
    """The code the person's authenticator app shows now."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


def add_device(user, confirmed=True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)
