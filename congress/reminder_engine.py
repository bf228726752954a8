"""Deadline reminder engine (see issue: reminders). Rules live in each app's
`reminders.py` and register here; one beat task scans for what is due."""

import importlib

from django.apps import apps

_registry: dict[str, object] = {}


def register(rule):
    """Register a rule (class or instance) under its code; usable as a decorator."""
    instance = rule() if isinstance(rule, type) else rule
    _registry[instance.code] = instance
    return rule


def rules() -> list:
    return list(_registry.values())


def autodiscover() -> None:
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reminders":
                raise


def run(today=None) -> int:
    """Scan every rule for due steps. Filled in by the reminder engine work."""
    return 0
