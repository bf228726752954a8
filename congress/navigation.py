"""Role-aware navigation and home-page widgets.

Each app contributes `navigation.py` with `ITEMS` (NavItem list) and optionally
`home.py` with `widgets(user) -> list[Widget]`; the core collects them, so an app
adds its pages without touching shared templates."""

import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset | None = None  # None: every signed-in user
    order: int = 100
    internal_only: bool = False
    # A page about the person's own role (a deputy's 我的履职): even a superuser
    # only gets it when they hold that role, since it has nothing to show otherwise.
    personal: bool = False

    def allowed(self, user) -> bool:
        if self.internal_only and not user.is_internal:
            return False
        if self.roles is None:
            return True
        return user.role in self.roles or (user.is_superuser and not self.personal)


@dataclass
class WidgetRow:
    label: str
    url: str = ""
    note: str = ""
    colour: str = ""  # "", "blue", "orange", "red", "green"


@dataclass
class Widget:
    title: str
    rows: list[WidgetRow] = field(default_factory=list)
    count: int | None = None
    more_url: str = ""
    empty_text: str = ""
    order: int = 100


@dataclass
class Todo:
    """Work waiting for the user, shown as a card with a count on the home page. Every
    step a role can take in a workflow has one, so nobody learns of work by a message."""

    title: str
    count: int
    url: str
    hint: str = ""
    tone: str = "primary"  # "danger" | "warning" | "primary" | "success"
    order: int = 100


@dataclass
class HomeAction:
    """A primary button on the home page (a deputy's 提出建议)."""

    label: str
    url: str
    order: int = 100


def _app_modules(name: str):
    for config in apps.get_app_configs():
        try:
            yield importlib.import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise


def nav_items(user, current_path: str = "") -> list[dict]:
    """Entries of the main menu for this user. An app that contributes three or more
    entries gets one dropdown named after the app, so the bar stays one line."""
    entries = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.navigation":
                raise
            continue
        items = []
        for item in getattr(module, "ITEMS", []):
            if not item.allowed(user):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active, "order": item.order, "children": []})
        if len(items) >= 3 and config.name != "congress":
            items.sort(key=lambda i: i["order"])
            entries.append(
                {
                    "label": config.verbose_name,
                    "url": items[0]["url"],
                    "active": any(i["active"] for i in items),
                    "order": items[0]["order"],
                    "children": items,
                }
            )
        else:
            entries.extend(items)
    return sorted(entries, key=lambda i: i["order"])


def _collect(hook: str, user) -> list:
    found = []
    for module in _app_modules("home"):
        fn = getattr(module, hook, None)
        if fn:
            found.extend(fn(user))
    return sorted(found, key=lambda x: x.order)


def home_todos(user) -> list[Todo]:
    """Each app's `todos(user)`: counts in a fixed number of queries per app."""
    return _collect("todos", user)


def home_actions(user) -> list[HomeAction]:
    return _collect("actions", user)


def home_widgets(user) -> list[Widget]:
    widgets = []
    for module in _app_modules("home"):
        fn = getattr(module, "widgets", None)
        if fn:
            widgets.extend(fn(user))
    return sorted(widgets, key=lambda w: w.order)


# The core's own entries.
from django.utils.translation import gettext_lazy as _  # noqa: E402

from congress.roles import LEADER_ROLES, Role  # noqa: E402

ITEMS = [
    NavItem(_("首页"), "home", order=0),
    NavItem(_("会议"), "congress:meeting-list", order=60),
    # Leaders open the overdue list first; everyone else their own deadlines (the pages share tabs).
    NavItem(_("期限提醒"), "congress:my-deadlines", order=80,
            roles=frozenset(r for r in Role if r not in LEADER_ROLES)),
    NavItem(_("逾期清单"), "congress:overdue-list", order=80, roles=frozenset(LEADER_ROLES)),
    NavItem(_("接口文档"), "api-docs", order=95, internal_only=True),
    NavItem(_("系统状态"), "ops:status", roles=frozenset({Role.ADMIN}), order=98),
    NavItem(_("后台管理"), "admin:index", roles=frozenset({Role.ADMIN}), order=99),
]
