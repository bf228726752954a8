"""Every service that locks a row runs in a transaction of its own. Tests run inside a
transaction, where a missing `@transaction.atomic` goes unnoticed until a real request
fails with "select_for_update cannot be used outside of a transaction"."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("congress", "plans", "deputies", "supervision", "dashboards", "legislation")


def _service_modules():
    for app in APPS:
        yield from (ROOT / app).glob("services*.py")
        yield from (ROOT / app).glob("services/*.py")


def test_every_locking_service_is_atomic():
    missing = []
    for path in _service_modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            body = ast.unparse(node)
            locks = "select_for_update" in body or "_lock(" in body
            atomic = any("atomic" in ast.unparse(d) for d in node.decorator_list) or "transaction.atomic" in body
            if locks and not atomic:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not missing, "services that lock without a transaction:\n" + "\n".join(missing)
    assert any(True for _ in _service_modules())
