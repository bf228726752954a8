"""Menu entries of deputies' bills and suggestions, per role."""

from django.utils.translation import gettext_lazy as _

from congress.navigation import NavItem
from congress.roles import INTERNAL_ROLES, UNIT_ROLES, Role

_ALL_WORK = frozenset(INTERNAL_ROLES | UNIT_ROLES)

ITEMS = [
    NavItem(_("我的履职"), "deputies:my-page", roles=frozenset({Role.DEPUTY}), order=10, personal=True),
    NavItem(_("代表建议"), "deputies:suggestion-list", order=20),
    NavItem(_("代表议案"), "deputies:bill-list", roles=frozenset(INTERNAL_ROLES | {Role.DEPUTY}), order=21),
    NavItem(_("代表活动"), "deputies:activity-list", roles=frozenset(INTERNAL_ROLES | {Role.DEPUTY}), order=22),
    NavItem(_("群众意见"), "deputies:opinion-list", order=23),
    NavItem(_("承诺事项"), "deputies:followup-list", roles=_ALL_WORK, order=24),
    NavItem(_("建议统计"), "deputies:statistics", roles=_ALL_WORK, order=25),
    NavItem(_("建议逾期"), "deputies:overdue", roles=_ALL_WORK, order=26),
    NavItem(_("办理结果公开"), "deputies:public-list", order=27),
]
