from django.utils.translation import gettext_lazy as _

from congress.navigation import NavItem

from .gate import enabled


class LegislationNavItem(NavItem):
    """Shown only where the module is switched on (domain §0)."""

    def allowed(self, user) -> bool:
        return enabled() and super().allowed(user)


# Every signed-in role: the committee reads all plans, deputies and units adopted ones.
ITEMS = [
    LegislationNavItem(_("立法"), "legislation:plan-list", order=25),
    # Public comment on drafts: the committee's own people only (deputies and units have no part in it).
    LegislationNavItem(_("公开征求意见"), "legislation:consultation-list", order=26, internal_only=True),
]
