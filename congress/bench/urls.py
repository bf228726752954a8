"""The benchmark's URLs: the project's own, plus the floor every list is compared with."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import include, path


@login_required
def floor(request):
    """A plain JSON view behind the same middleware (session, user, locale): the fastest a
    signed-in request can be answered by this server."""
    return JsonResponse({"user": request.user.pk, "results": []})


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("congress.urls")),
]
