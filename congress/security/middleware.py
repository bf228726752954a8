"""Per-request rules: idle sign-out, and a login that is not complete until its checks pass
(second factor where required, a new password when the old one has expired)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, policy
from .signals import LAST_ACTIVITY, OTP_PENDING, PASSWORD_EXPIRED

# Pages reachable before the checks of a login are done.
OPEN_URL_NAMES = {
    "login", "logout", "set_language", "healthz",
    "security:otp-verify", "security:otp-setup", "security:password-change", "security:keepalive",
}
# Requests made by the page on its own (polling); they never count as activity.
BACKGROUND_HEADER = "X-Background"


def _api(request) -> bool:
    return request.path.startswith("/api/")


class LoginRulesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._check_idle(request)
        return self.get_response(request)

    # --- idle sign-out -----------------------------------------------------------------
    def _check_idle(self, request):
        idle = settings.SESSION_IDLE_SECONDS
        now = timezone.now().timestamp()
        last = request.session.get(LAST_ACTIVITY)
        if idle and last is not None and now - last > idle:
            user = request.user
            request._security_idle_logout = True
            audit.record(request, audit.Action.IDLE_LOGOUT, user=user)
            logout(request)
            messages.info(request, _("由于长时间无操作，您已自动退出，请重新登录。"))
            return
        background = request.headers.get(BACKGROUND_HEADER) or request.path in settings.SESSION_IDLE_EXEMPT_PATHS
        # Written at most every 15 s: a burst of requests makes one session save, not many.
        if not background and (last is None or now - last >= 15 or now < last):
            request.session[LAST_ACTIVITY] = now

    # --- checks of a fresh login -------------------------------------------------------
    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in OPEN_URL_NAMES or request.path.startswith(settings.STATIC_URL):
            return None
        # The Django admin needs a verified session whoever opens it.
        in_admin = match is not None and match.app_name == "admin" and user.is_staff
        must_verify = policy.otp_required(user) or request.session.get(OTP_PENDING) or in_admin
        if must_verify and not user.is_verified():
            if policy.confirmed_device(user) is not None:
                return self._refuse(request, "security:otp-verify", _("请先输入两步验证码。"), "otp_required")
            return self._refuse(request, "security:otp-setup", _("您的账号必须启用两步验证，请先完成设置。"),
                                "otp_enrolment_required")
        if request.session.get(PASSWORD_EXPIRED):
            return self._refuse(request, "security:password-change",
                                _("您的密码已超过有效期，请先修改密码。"), "password_expired")
        return None

    @staticmethod
    def _refuse(request, url_name, text, code):
        if _api(request):
            return JsonResponse({"detail": text, "code": code}, status=403)
        from django.urls import reverse
        from django.utils.http import urlencode

        target = reverse(url_name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
