"""Rate limits of the public (no sign-in) pages: comments on drafts, opinions through a
deputy's QR code. One notion of "the sender's address" for all of them, so a proxy in front
of the app is configured once (TRUSTED_PROXY_COUNT) and every limit counts real senders."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def client_address(request) -> str:
    """The sender's address. Behind TRUSTED_PROXY_COUNT reverse proxies it is the entry of
    X-Forwarded-For the outermost trusted proxy wrote (entries further left are whatever
    the client claims); without proxies, the connection's address."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


def _address_key(group, request) -> str:
    return client_address(request)


def rate_limited(request, group: str, rates) -> bool:
    """Count this POST against every rate of the group (e.g. "5/10m" and "30/d": a burst also
    eats the daily allowance) and say whether any of them is exceeded."""
    if isinstance(rates, str):
        rates = [rates]
    limited = False
    for rate in rates:
        if is_ratelimited(request, group=group, key=_address_key, rate=rate, method="POST", increment=True):
            limited = True
    return limited
