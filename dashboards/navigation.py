from django.utils.translation import gettext_lazy as _

from congress.navigation import NavItem

ITEMS = [
    # Leaders and internal staff read the year figures; everyone has "my dashboard".
    NavItem(_("统计分析"), "dashboards:year", order=70, internal_only=True),
    NavItem(_("我的看板"), "dashboards:mine", order=5),
]
