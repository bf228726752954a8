"""Administrators' system status page (系统状态), its decisions on held messages, and the
Prometheus endpoint for monitoring."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress import notifications, ops, reminder_engine
from congress.models import OutboxMessage

app_name = "ops"


def _admin_only(user) -> None:
    if not user.is_app_admin:
        raise PermissionDenied


@login_required
@require_GET
def status_page(request):
    _admin_only(request.user)
    status = ops.collect(broker_cache=False)
    held = OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD).count()
    return render(request, "congress/ops_status.html", {"status": status, "held_count": held,
                                                        "stale_minutes": settings.OPS_BEAT_STALE_MINUTES,
                                                        "unreached_reminders": reminder_engine.unreached_deadlines()})


@login_required
@require_POST
def held_decision(request):
    _admin_only(request.user)
    decision = request.POST.get("decision")
    with transaction.atomic():
        if decision == "release":
            count = notifications.release_held()
            messages.success(request, _("已恢复发送 %(count)s 条暂停的消息。") % {"count": count})
        elif decision == "discard":
            count = notifications.discard_held()
            messages.success(request, _("已丢弃 %(count)s 条暂停的消息。") % {"count": count})
        else:
            messages.error(request, _("请选择发送或丢弃。"))
    cache.delete(ops.BANNER_CACHE_KEY)
    return redirect("ops:status")


def _metrics_allowed(request) -> bool:
    token = settings.OPS_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    return request.META.get("REMOTE_ADDR") in settings.OPS_METRICS_ALLOWED_IPS


@require_GET
def metrics(request):
    if not settings.OPS_METRICS_TOKEN and not settings.OPS_METRICS_ALLOWED_IPS:
        raise Http404
    if not _metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    text = ops.prometheus_text(ops.collect())
    return HttpResponse(text, content_type="text/plain; version=0.0.4; charset=utf-8")


urlpatterns = [
    path("status/", status_page, name="status"),
    path("status/held/", held_decision, name="held-decision"),
    path("metrics", metrics, name="metrics"),
]
