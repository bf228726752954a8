from django.utils.translation import gettext_lazy as _

from congress.navigation import NavItem

# Every signed-in role has a supervision list: staff and leaders see all items, handling
# bodies what concerns them, deputies what is published.
ITEMS = [
    NavItem(_("监督工作"), "supervision:item-list", order=30),
]
