from django.utils.translation import gettext_lazy as _

from congress.navigation import NavItem

# Every signed-in role has the plans page: the committee reads all plans, deputies and
# handling units the published ones (plans/querysets.py).
ITEMS = [
    NavItem(_("年度计划"), "plans:plan-list", order=20),
]
