"""Every page is assembled from the page kit: it extends one of the layouts in
templates/layouts/ (list, detail with side panel, form, wizard, public) instead of
building its page on base.html. Partials (htmx targets, includes) extend nothing."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EXTENDS = re.compile(r"{%\s*extends\s+[\"']([^\"']+)[\"']\s*%}")

# Not pages of the application: error pages, shown for any URL without the page's context.
NOT_APP_PAGES = {"403.html", "404.html", "500.html"}


def _templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        match = EXTENDS.search(path.read_text(encoding="utf-8"))
        yield name, match.group(1) if match else None


def test_every_page_extends_a_layout():
    scratch = [name for name, parent in _templates()
               if parent == "base.html" and not name.startswith("layouts/") and name not in NOT_APP_PAGES]
    assert not scratch, "pages built on base.html instead of a layout:\n" + "\n".join(scratch)


def test_layouts_are_used():
    parents = {parent for _name, parent in _templates() if parent}
    for layout in ("layouts/list.html", "layouts/detail.html", "layouts/form.html", "layouts/wizard.html",
                   "layouts/public.html"):
        assert layout in parents, f"{layout} is used by no page"
