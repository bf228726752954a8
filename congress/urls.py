from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from congress import views
from congress.api.schema_view import CachedSpectacularAPIView
from congress.forms import LoginForm

admin.site.site_header = settings.APP_TITLE
admin.site.site_title = settings.APP_TITLE
admin.site.index_title = _("后台管理")

api_v1 = [
    path("", include("congress.api.urls")),
    path("plans/", include("plans.api.urls")),
    path("deputies/", include("deputies.api.urls")),
    path("supervision/", include("supervision.api.urls")),
    path("dashboard/", include("dashboards.api.urls")),
    path("legislation/", include("legislation.api.urls")),
    path("schema/", CachedSpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="congress/api_redoc.html"),
        name="api-redoc",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ops/", include("congress.views_ops")),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("congress.security.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("congress.urls_pages")),
    path("plans/", include("plans.urls")),
    path("deputies/", include("deputies.urls")),
    path("supervision/", include("supervision.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("legislation/", include("legislation.urls")),
    path("public/drafts/", include("legislation.urls_public_consultation", namespace="public-drafts")),
    path("public/deputies/", include("deputies.urls_code")),  # 代表码: citizens, no sign-in
]
# MEDIA_ROOT is never served as such: every stored file goes out through a view that
# checks the owning record's scope and sends it as a download (congress/uploads.py).
# Decisions' documents keep their storage address (the admin links to it), behind a view.
urlpatterns.insert(0, path("media/decisions/<path:name>", views.decision_document, name="decision-document"))

handler403 = "congress.errors.permission_denied"
handler404 = "congress.errors.page_not_found"
handler500 = "congress.errors.server_error"
