from django.conf import settings

from congress.models import Notification
from congress.navigation import nav_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"app_title": settings.APP_TITLE, "installation_name": settings.INSTALLATION_NAME}
    return {
        "app_title": settings.APP_TITLE,
        "installation_name": settings.INSTALLATION_NAME,
        "nav_items": nav_items(user, request.path),
        "unread_count": Notification.objects.visible_to(user).unread().count(),
    }
