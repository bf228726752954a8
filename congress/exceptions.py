"""Errors services raise; views and the API turn them into messages next to the field
(HTML), 400/403/409 responses (API)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceError(ValidationError):
    """A rule refused the change (wrong state, missing field). Shown to the user as is."""


class NotAllowed(PermissionDenied):
    """The actor's role may not make this change."""

    def __init__(self, message=None):
        self.message = message or _("您没有权限执行此操作。")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class EditConflict(ValidationError):
    """Someone else saved the record after the actor read it."""

    def __init__(self, current_version: int | None = None, message=None):
        self.current_version = current_version
        super().__init__(
            message or _("该记录已被他人修改。请查看最新内容后再保存，您填写的内容已保留。"), code="conflict"
        )


def check_version(obj, version) -> None:
    """Refuse a write based on a stale read. `version` is what the actor's form or
    request carried; None means the client did not send one (treated as stale-unsafe)."""
    if version is None or str(version) == "":
        raise EditConflict(obj.version, _("缺少版本号，无法确认您看到的是最新内容。"))
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise EditConflict(obj.version, _("版本号无效。"))
    if version != obj.version:
        raise EditConflict(obj.version)
