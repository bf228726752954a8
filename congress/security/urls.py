from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/", views.otp_setup, name="otp-setup"),
    path("two-factor/verify/", views.otp_verify, name="otp-verify"),
    path("tokens/", views.tokens, name="tokens"),
    path("keepalive/", views.keepalive, name="keepalive"),
]
