"""REST API tokens that expire and can be revoked."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import policy
from .models import ApiToken


class PasswordExpired(exceptions.PermissionDenied):
    default_detail = _("密码已超过有效期，请先登录网页修改密码。")
    default_code = "password_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an expired or revoked token answers 401."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key=key).first()
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效、已过期或已被吊销。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账号已停用。"))
        if policy.password_expired(token.user):
            raise PasswordExpired()
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
