from django.conf import settings


def idle(request):
    """The idle timeout the page's warning counts down from."""
    return {"session_idle_seconds": settings.SESSION_IDLE_SECONDS}
