"""One call writes one audit row: `audit.record(request, action, ...)`."""

import logging

from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger(__name__)
Action = AuditEvent.Action
Result = AuditEvent.Result


def client_ip(request) -> str | None:
    """The source address as axes sees it (same proxy settings), so lockouts and audit agree."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    try:
        return get_client_ip_address(getattr(request, "_request", request)) or None
    except Exception:  # a malformed header must never stop a login
        return None


def record(request, action, *, result=Result.SUCCESS, obj=None, user=None, username="", detail=""):
    """Write one audit row. `obj` is the record concerned (exported list name, file, token, …)."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    meta = getattr(request, "META", {}) if request is not None else {}
    event = AuditEvent.objects.create(
        at=timezone.now(),
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request),
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        action=action,
        result=result,
        object_repr=str(obj)[:300] if obj is not None else "",
        detail=str(detail)[:500],
    )
    logger.info("audit %s %s %s %s", action, result, event.username, event.ip_address)
    return event
