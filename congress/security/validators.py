"""Password rules of GB/T 22239 level 3, with Chinese messages."""

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassesValidator:
    """At least `min_length` characters from at least `min_classes` of: upper, lower, digit, symbol."""

    def __init__(self, min_length=8, min_classes=3):
        self.min_length = min_length
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            bool(re.search(pattern, password))
            for pattern in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]")
        )

    def validate(self, password, user=None):
        if len(password) < self.min_length or self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码至少 %(length)d 位，并包含大写字母、小写字母、数字、符号中的至少 %(classes)d 类。") % {
            "length": self.min_length,
            "classes": self.min_classes,
        }


class NotUsernameValidator:
    """The password neither is nor contains the username (any case)."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if username and username.lower() in password.lower():
            raise ValidationError(_("密码不能是用户名，也不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """Not one of the last `count` passwords; keeps the history when a password is set."""

    def __init__(self, count=5):
        self.count = count

    def _recent(self, user):
        return user.password_history.order_by("-changed_at", "-id").values_list("password", flat=True)[: self.count]

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        if any(check_password(password, old) for old in self._recent(user)):
            raise ValidationError(
                ngettext(
                    "不能使用最近 %(count)d 次用过的密码。",
                    "不能使用最近 %(count)d 次用过的密码。",
                    self.count,
                )
                % {"count": self.count},
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or not user.pk:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(user.password_history.order_by("-changed_at", "-id").values_list("pk", flat=True)[: self.count])
        user.password_history.exclude(pk__in=keep).delete()

    def get_help_text(self):
        return ngettext("不能使用最近 %(count)d 次用过的密码。", "不能使用最近 %(count)d 次用过的密码。", self.count) % {
            "count": self.count
        }
