import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One security-relevant event. Rows are only ever added (and purged after the retention period)."""

    class Action(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKOUT = "lockout", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        IDLE_LOGOUT = "idle_logout", _("空闲超时退出")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        OTP_ENROL = "otp_enrol", _("启用两步验证")
        OTP_DISABLE = "otp_disable", _("停用两步验证")
        OTP_VERIFY = "otp_verify", _("两步验证")
        TOKEN_CREATE = "token_create", _("创建接口令牌")
        TOKEN_REVOKE = "token_revoke", _("吊销接口令牌")
        EXPORT = "export", _("导出数据")
        DOWNLOAD = "download", _("下载文件")

    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        FAILURE = "failure", _("失败")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices, db_index=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.SUCCESS)
    object_repr = models.CharField(_("对象"), max_length=300, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.username}"


class PasswordHistory(models.Model):
    """The hash of each password a user has had, newest last: refuses reuse and dates the current one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("密码历史")
        verbose_name_plural = _("密码历史")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["user", "-changed_at"])]

    def __str__(self):
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"


class DemoAccount(models.Model):
    """Accounts made by seed_demo. Their password-age rule is waived only while DEMO_MODE is on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_account")

    class Meta:
        verbose_name = _("演示账号")
        verbose_name_plural = _("演示账号")

    def __str__(self):
        return str(self.user)


def _new_key() -> str:
    return secrets.token_hex(20)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A REST API token: one per client that asked for it, expiring, revocable by its owner and administrators."""

    key = models.CharField(_("令牌"), max_length=40, unique=True, default=_new_key)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.key[:6]}… · {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def masked(self) -> str:
        return f"{self.key[:6]}…{self.key[-4:]}"
