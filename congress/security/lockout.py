"""What a locked-out person sees: how many minutes are left, in Chinese, on every login door."""

import math

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import client_ip


def minutes_left(request, credentials=None) -> int:
    """Minutes until the lock (on this account or this address) lifts, rounded up, at least 1."""
    username = get_client_username(request, credentials) or ""
    ip = client_ip(request)
    match = Q(ip_address=ip) if ip else Q(pk__in=[])
    if username:
        match |= Q(username=username)
    cool_off = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cool_off
    last = AccessAttempt.objects.filter(match, attempt_time__gte=since).aggregate(m=Max("attempt_time"))["m"]
    if last is None:
        return max(1, math.ceil(cool_off.total_seconds() / 60))
    left = (last + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def message(minutes: int) -> str:
    return _("登录失败次数过多，账号和来源地址已被锁定，请 %(minutes)d 分钟后再试，或联系系统管理员解锁。") % {
        "minutes": minutes
    }


def lockout_response(request, original_response=None, credentials=None):
    minutes = minutes_left(request, credentials)
    text = message(minutes)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text, "code": "locked_out", "minutes": minutes}, status=403)
    return render(request, "registration/locked.html", {"message": text, "minutes": minutes}, status=403)
