"""The project's URLs with this app's API placed before the core API.

The core router registers `deputies/<pk>/` (Deputy records) under /api/v1/, which
shadows every one-segment list of this app (/api/v1/deputies/suggestions/ …) until the
core restricts that lookup to digits. API tests run against this order so they exercise
this app's endpoints; test_api_urls_are_not_shadowed checks the real URLconf."""

from django.urls import include, path

from congress.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("api/v1/deputies/", include("deputies.api.urls")), *project_urlpatterns]
