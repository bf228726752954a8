"""Pages and endpoints of the login rules: password change, two-factor, API tokens, keep-alive."""

import datetime as dt

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from congress.views import _safe_next

from . import audit, lockout, policy
from .forms import OtpCodeForm, PasswordChangeForm
from .middleware import OTP_PENDING
from .models import ApiToken
from .signals import LAST_ACTIVITY, PASSWORD_EXPIRED


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "security/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["expired"] = bool(self.request.session.get(PASSWORD_EXPIRED))
        ctx["max_age_days"] = settings.PASSWORD_MAX_AGE_DAYS
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(PASSWORD_EXPIRED, None)
        audit.record(self.request, audit.Action.PASSWORD_CHANGE)
        messages.success(self.request, _("密码已修改。"))
        return response

    def form_invalid(self, form):
        if "old_password" in form.errors:
            audit.record(self.request, audit.Action.PASSWORD_CHANGE, result=audit.Result.FAILURE,
                         detail=_("原密码不正确"))
        return super().form_invalid(form)


def _next(request):
    return _safe_next(request, request.POST.get("next") or request.GET.get("next"), reverse("home"))


@never_cache
@login_required
def otp_verify(request):
    device = policy.confirmed_device(request.user)
    if device is None:
        return redirect("security:otp-setup")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _why = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            request.session.pop(OTP_PENDING, None)
            audit.record(request, audit.Action.OTP_VERIFY)
            return redirect(_next(request))
        audit.record(request, audit.Action.OTP_VERIFY, result=audit.Result.FAILURE)
        form.add_error("code", _("验证码不正确或已过期，请重新输入。") if allowed
                       else _("验证码错误次数过多，请稍后再试。"))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next(request)})


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@never_cache
@login_required
def otp_setup(request):
    user = request.user
    confirmed = policy.confirmed_device(user)
    required = policy.otp_required(user)
    form = OtpCodeForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and request.POST.get("action") == "disable":
            if required:
                messages.error(request, _("您的账号必须使用两步验证，不能停用。"))
            elif form.is_valid() and confirmed.verify_token(form.cleaned_data["code"]):
                TOTPDevice.objects.filter(user=user).delete()
                audit.record(request, audit.Action.OTP_DISABLE)
                messages.success(request, _("两步验证已停用。"))
                return redirect("security:otp-setup")
            else:
                audit.record(request, audit.Action.OTP_DISABLE, result=audit.Result.FAILURE)
                form.add_error("code", _("验证码不正确或已过期，请重新输入。"))
        return render(request, "security/otp_setup.html",
                      {"confirmed": confirmed, "required": required, "form": form})

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            request.session.pop(OTP_PENDING, None)
            audit.record(request, audit.Action.OTP_ENROL)
            messages.success(request, _("两步验证已启用，今后登录时需输入验证码。"))
            return redirect(_next(request))
        audit.record(request, audit.Action.OTP_ENROL, result=audit.Result.FAILURE)
        form.add_error("code", _("验证码不正确或已过期，请重新输入。"))
    from base64 import b32encode

    return render(request, "security/otp_setup.html", {
        "required": required,
        "form": form,
        "qr_svg": _qr_svg(device),
        "secret": b32encode(device.bin_key).decode(),
        "next": _next(request),
    })


@never_cache
@login_required
def tokens(request):
    if request.method == "POST":
        token = get_object_or_404(ApiToken, pk=request.POST.get("id") or 0, user=request.user, revoked_at=None)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(request, audit.Action.TOKEN_REVOKE, obj=token.masked)
        messages.success(request, _("令牌已吊销。"))
        return redirect("security:tokens")
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at")[:100]
    return render(request, "security/tokens.html", {"tokens": rows, "ttl_days": settings.API_TOKEN_TTL_DAYS})


@never_cache
def keepalive(request):
    """POST: the person is still there (counts as activity). GET with X-Background: seconds left."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("登录已超时，请重新登录。")}, status=401)
    if request.method == "POST":
        request.session[LAST_ACTIVITY] = timezone.now().timestamp()
    last = request.session.get(LAST_ACTIVITY) or timezone.now().timestamp()
    remaining = int(settings.SESSION_IDLE_SECONDS - (timezone.now().timestamp() - last))
    return JsonResponse({"remaining": max(remaining, 0)})




@extend_schema(
    request=inline_serializer("TokenRequest", {
        "username": serializers.CharField(), "password": serializers.CharField(),
        "otp_token": serializers.CharField(required=False),
    }),
    responses={200: inline_serializer("TokenResponse", {
        "token": serializers.CharField(), "expires_at": serializers.DateTimeField(),
    })},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def obtain_token(request):
    """POST username + password (+ otp_token when the account uses two-factor) -> an expiring token."""
    raw = request._request
    username = str(request.data.get("username") or "")
    password = str(request.data.get("password") or "")
    errors = {}
    if not username:
        errors["username"] = [_("请输入用户名。")]
    if not password:
        errors["password"] = [_("请输入密码。")]
    if errors:
        return Response(errors, status=status.HTTP_400_BAD_REQUEST)
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(raw, credentials):
        return lockout.lockout_response(raw, None, credentials)
    user = authenticate(request=raw, username=username, password=password)
    if getattr(raw, "axes_locked_out", False):
        return lockout.lockout_response(raw, None, credentials)
    if user is None:
        return Response({"non_field_errors": [_("用户名或密码不正确。")]}, status=status.HTTP_400_BAD_REQUEST)
    device = policy.confirmed_device(user)
    if device is None and policy.otp_required(user):
        return Response({"detail": _("该账号必须启用两步验证，请先登录网页完成设置。"), "code": "otp_enrolment_required"},
                        status=status.HTTP_403_FORBIDDEN)
    if device is not None:
        code = str(request.data.get("otp_token") or "")
        if not code or not device.verify_token(code):
            audit.record(raw, audit.Action.OTP_VERIFY, user=user, result=audit.Result.FAILURE)
            return Response({"otp_token": [_("请填写正确的两步验证码。")]}, status=status.HTTP_400_BAD_REQUEST)
    if policy.password_expired(user):
        return Response({"detail": _("密码已超过有效期，请先登录网页修改密码。"), "code": "password_expired"},
                        status=status.HTTP_403_FORBIDDEN)
    token = ApiToken.objects.create(
        user=user,
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
        user_agent=raw.META.get("HTTP_USER_AGENT", "")[:300],
        ip_address=audit.client_ip(raw),
    )
    audit.record(raw, audit.Action.TOKEN_CREATE, user=user, obj=token.masked)
    return Response({"token": token.key, "expires_at": token.expires_at.isoformat()})
