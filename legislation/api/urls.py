from django.urls import include, path

app_name = "legislation-api"

urlpatterns = [
    path("", include("legislation.api.urls_projects")),
    path("", include("legislation.api.urls_consultation")),
]
