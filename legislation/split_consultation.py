"""Split a pasted draft regulation into its articles (条).

Staff paste the draft as published (from Word or a web page): an article starts a line
with "第X条" (Chinese or Arabic numerals), followed by a full-width space, an ordinary
space or nothing; chapters (第X章) and sections (第X节) head the articles under them.
A reference inside an article ("依照本条例第十条规定") does not start a line, so it
does not split. What precedes the first article (the title, a table of contents) is
left out: the consultation has its own title."""

import re
from dataclasses import dataclass

NUMERAL = r"[零〇一二三四五六七八九十百千两\d０-９]+"
# Optional spaces of any width (full-width 　, non-breaking, tabs) before the label.
_LEAD = r"^[\s\u3000\u00a0]*"
ARTICLE_RE = re.compile(_LEAD + rf"(第{NUMERAL}条(?:之{NUMERAL})?)[\s\u3000\u00a0:：]*(.*)$")
CHAPTER_RE = re.compile(_LEAD + rf"(第{NUMERAL}章)[\s\u3000\u00a0]*(.*)$")
SECTION_RE = re.compile(_LEAD + rf"(第{NUMERAL}节)[\s\u3000\u00a0]*(.*)$")
# A line of a table of contents: a chapter heading followed by dots or a page number.
_TOC_TAIL = re.compile(r"(\.{2,}|…{1,}|·{2,})\s*\d*\s*$")


@dataclass
class SplitArticle:
    number: str
    chapter: str
    text: str


def _clean(line: str) -> str:
    return line.replace("\u00a0", " ").strip(" \t\u3000")


def split_articles(text: str) -> list[SplitArticle]:
    """The articles of `text`, in order, each with the chapter (and section) it sits in."""
    articles: list[SplitArticle] = []
    chapter = section = ""
    current: SplitArticle | None = None
    lines: list[str] = []

    def flush():
        if current is not None:
            current.text = "\n".join(line for line in lines if line).strip()
            articles.append(current)

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = CHAPTER_RE.match(raw)
        if m and not _TOC_TAIL.search(raw):
            flush()
            current, lines = None, []
            chapter = f"{m.group(1)}　{_clean(m.group(2))}".strip("　 ")
            section = ""
            continue
        m = SECTION_RE.match(raw)
        if m and not _TOC_TAIL.search(raw):
            flush()
            current, lines = None, []
            section = f"{m.group(1)}　{_clean(m.group(2))}".strip("　 ")
            continue
        m = ARTICLE_RE.match(raw)
        if m:
            flush()
            heading = "　".join(p for p in (chapter, section) if p)
            current, lines = SplitArticle(number=m.group(1), chapter=heading, text=""), [_clean(m.group(2))]
            continue
        if current is not None:
            lines.append(_clean(raw))
    flush()
    return articles
