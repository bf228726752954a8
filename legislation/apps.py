from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    """Local regulations from plan to promulgation, and public comment on drafts
    (domain §9). The app is always installed so the schema is the same everywhere; with
    LEGISLATION_ENABLED off (a county or district cannot legislate, domain §0) its pages,
    API, menu entries and figures are hidden (legislation/gate.py)."""

    name = "legislation"
    verbose_name = _("地方立法")
