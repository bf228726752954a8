"""OpenAPI naming helpers."""

from collections.abc import Iterator, Mapping
from pathlib import Path


class ProjectEnumNames(Mapping):
    """ENUM_NAME_OVERRIDES for drf-spectacular, computed on first use.

    Many models have a `status` or `kind` field with different choices; left alone,
    drf-spectacular names them `Status506Enum` and warns. Here every Choices class
    defined in the project's own apps is named after where it lives
    (`Meeting.Kind` -> `MeetingKindEnum`, `Role` -> `RoleEnum`), so names are stable
    for API clients and a new app needs no settings change."""

    def __init__(self, base_dir):
        self.base_dir = str(Path(base_dir).resolve())
        self._names: dict[str, object] | None = None

    def _load(self) -> dict[str, object]:
        if self._names is None:
            from django.apps import apps
            from django.db.models import Choices

            modules = tuple(
                config.name for config in apps.get_app_configs() if str(Path(config.path).resolve()).startswith(self.base_dir)
            )
            classes, todo = [], list(Choices.__subclasses__())
            while todo:
                cls = todo.pop()
                todo.extend(cls.__subclasses__())
                module = cls.__module__
                if "<locals>" in cls.__qualname__ or module.split(".")[0] not in modules:
                    continue
                classes.append(cls)
            names: dict[str, object] = {}
            seen: set[tuple] = set()
            for cls in sorted(classes, key=lambda c: (c.__module__, c.__qualname__)):
                key = tuple((value, str(label)) for value, label in cls.choices if value not in ("", None))
                if not key or key in seen:
                    continue  # the same choice set reused: keep its first name
                seen.add(key)
                name = cls.__qualname__.replace(".", "") + "Enum"
                if name in names:
                    name = cls.__module__.split(".")[0].title() + name
                names[name] = cls
            self._names = names
        return self._names

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())
