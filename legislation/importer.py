"""Read a year's legislative plan document (立法计划) into projects.

The numbering, web-page clean-up, Traditional-to-Simplified conversion and .docx reading
are the annual-plan importer's (plans/importer.py); this module only says what the tree
of such a document means: the headings are the categories (继续审议项目, 初次审议项目,
预备项目, 调研项目), the items under them the regulations, each with its drafting body in
brackets ("《江州市养犬管理条例》（市公安局起草）") and its form in the title or a bracket
(修订, 修改, 废止, 打包修改). Pure functions: nothing here touches the database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from plans import importer as plan_importer

from .choices import Category, ProjectKind

CATEGORY_KEYWORDS = [
    (Category.CONTINUED, ("继续审议",)),
    (Category.PREPARATORY, ("预备",)),
    (Category.RESEARCH, ("调研",)),
    (Category.FIRST, ("初次审议", "正式项目", "审议项目", "提请审议")),
]

# Brackets that say what is done to the regulation, not who drafts it.
_KIND_MARKS = {
    "修订": ProjectKind.AMEND, "修改": ProjectKind.AMEND, "修正": ProjectKind.AMEND,
    "废止": ProjectKind.REPEAL, "打包修改": ProjectKind.PACKAGE, "制定": ProjectKind.ENACT,
}
_BRACKET_RE = re.compile(r"[（(]([^（）()]{1,80})[）)]")
_DRAFTER_SUFFIX_RE = re.compile(r"(牵头)?(负责)?起草$|(牵头)?提请$")


def category_of(heading: str) -> str | None:
    for category, words in CATEGORY_KEYWORDS:
        if any(w in heading for w in words):
            return category
    return None


def kind_of(title: str, marks: list[str]) -> str:
    for mark in marks:
        if mark in _KIND_MARKS:
            return _KIND_MARKS[mark]
    if "打包" in title or re.search(r"等\s*\d+\s*件|部分地方性法规", title):
        return ProjectKind.PACKAGE
    if title.startswith("废止") or "废止" in title:
        return ProjectKind.REPEAL
    if title.startswith(("修改", "修订")):
        return ProjectKind.AMEND
    return ProjectKind.ENACT


def split_item(text: str) -> dict:
    """"《江州市物业管理条例》（修订）（市住房和城乡建设局起草）。" → title, kind, drafting body."""
    text = text.strip().rstrip("。；;，,")
    marks, drafter = [], ""
    for m in _BRACKET_RE.finditer(text):
        inner = m.group(1).strip()
        if inner in _KIND_MARKS:
            marks.append(inner)
        elif not drafter and not inner.startswith("草案"):
            drafter = inner
    title = _BRACKET_RE.sub(
        lambda m: "" if (m.group(1).strip() in _KIND_MARKS or m.group(1).strip() == drafter) else m.group(0), text
    ).strip().rstrip("。；;，,")
    drafter = _DRAFTER_SUFFIX_RE.sub("", drafter).strip()
    return {"title": title[:200], "kind": kind_of(title, marks), "drafting_body": drafter[:200]}


@dataclass
class ParsedPlan:
    title: str = ""
    projects: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def from_nodes(nodes: list[dict], title: str = "") -> ParsedPlan:
    """Headings (with a category word) → categories; their direct items → projects."""
    result = ParsedPlan(title=title)
    category, heading_level, skipped = None, None, 0
    for node in nodes:
        # The item's own line: a paragraph after it (a closing remark) is not part of it.
        text = (node.get("title", "") or node.get("description", "").split("\n")[0]).strip()
        found = category_of(node.get("title", "")) if len(node.get("title", "")) <= 30 else None
        if found is not None:
            category, heading_level = found, node["level"]
            continue
        if category is None:
            skipped += 1
            continue
        if node["level"] != heading_level + 1:
            continue  # a note under a project, not a project
        item = split_item(text)
        if item["title"]:
            result.projects.append({**item, "category": str(category)})
    if skipped:
        result.warnings.append(_("有%(n)d个条目不在任何项目类别标题下，已略去。") % {"n": skipped})
    if not result.projects:
        result.warnings.append(_("未识别出立法项目。请确认原文按“继续审议项目”“初次审议项目”“预备项目”“调研项目”分类列出。"))
    return result


def parse(*, text: str = "", file_name: str = "", file_data: bytes | None = None) -> tuple[ParsedPlan, str]:
    """A pasted text or an uploaded .txt/.docx → (the parsed plan, the source as text).
    Raises ValueError with a message for a file that cannot be read."""
    if file_data:
        result = plan_importer.parse_upload(file_name, file_data)
        if file_data[:2] == b"PK":
            source = "\n".join(p.text for p in plan_importer.read_docx(file_data))
        else:
            source = plan_importer.decode_bytes(file_data)
    else:
        result = plan_importer.parse_text(text)
        source = text
    parsed = from_nodes(result.nodes, result.title if "立法" in (result.title or "") else "")
    parsed.warnings = [*[w for w in result.warnings if "编号条目" not in w], *parsed.warnings]
    return parsed, source
