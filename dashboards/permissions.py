"""Who may read the year figures.

The leaders' dashboard, the drill-down lists, the summary draft and hand-entered figures
are the committee's internal work: leaders and internal staff read them; deputies and
handling units have their own role dashboards (views.mine) and never these."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


def can_view_year_dashboard(user) -> bool:
    return bool(user and user.is_authenticated and user.is_internal)


class IsInternalUser(permissions.BasePermission):
    message = _("统计分析仅供常委会领导和机关工作人员查看。")

    def has_permission(self, request, view):
        return can_view_year_dashboard(request.user)
