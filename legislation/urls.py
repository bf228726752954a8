"""Pages of the legislation module. Each part keeps its own url module so the staff pages
of projects and of public comment grow apart; the public (no sign-in) pages are under
/public/ (congress/urls.py)."""

from django.urls import include, path

app_name = "legislation"

urlpatterns = [
    path("", include("legislation.urls_projects")),
    path("comments/", include("legislation.urls_consultation")),
]
