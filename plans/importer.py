"""Turn a plan document (pasted text, .txt or .docx) into a tree of plan items.

Pure functions: nothing here touches the database, so the whole importer is tested on
plain strings and in-memory documents. Services store the result as an ImportDraft
for staff to check before anything becomes a plan item.

How users write plans (domain §4): ``一、`` section → ``（一）`` subsection → ``1.``/``1、``
item → ``（1）`` sub-item; inside a paragraph ``一是…二是…`` (or ``一要…二要…``) lists
sub-points; brackets come full- or half-width. Levels go to the numbering styles a
document actually uses, in that customary order, so a text with only ``一、``/``1.``/
``(1)`` has three levels. Documents pasted from web pages bring navigation, footers
and share links; some are in Traditional characters or carry pinyin ruby text left
behind after the characters (``過(guò)去``).

The draft is a flat list of node dicts in document order, each with a ``level``
(1 = top); a node's parent is the nearest earlier node one level up. Editing helpers
(``set_level``, ``merge_with_previous``, ``split_node`` …) work on that list and
keep it well formed.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from congress.uploads import UnsafeArchive, check_zip

from .choices import ItemType

# ---------------------------------------------------------------------------
# Numbering styles

CN_DIGITS = "零一二三四五六七八九"
CN_NUMERAL = "[一二三四五六七八九十]{1,3}"

# The customary nesting order. A document's levels are the styles it uses, in this order.
STYLE_RANK = {
    "part": 0,  # 第一部分
    "cn": 1,  # 一、
    "pcn": 2,  # （一）
    "ar": 3,  # 1.
    "ar_dun": 3,  # 1、 (same level as 1.)
    "par": 4,  # （1）
    "circ": 5,  # ①
    "bullet": 6,  # Word bullets
    "para": 50,  # an unnumbered paragraph whose first sentence reads as a heading
    "yishi": 60,  # 一是…二是… inside a paragraph
    "yiyao": 60,  # 一要…二要…
}
DEFAULT_LEVEL_STYLES = ["cn", "pcn", "ar", "par", "circ", "yishi"]
# Styles that belong to their parent paragraph rather than to a level of the document.
_UNRANKED = {"yishi", "yiyao", "para"}

STYLE_LABELS = {
    "part": "第一部分",
    "cn": "一、",
    "pcn": "（一）",
    "ar": "1.",
    "ar_dun": "1、",
    "par": "（1）",
    "circ": "①",
    "bullet": "•",
    "para": "",
    "yishi": "一是",
    "yiyao": "一要",
}

_NUMBER_PATTERNS = [
    ("part", re.compile(rf"^第({CN_NUMERAL})(?:部分|章)[、.．:：\s]*")),
    ("cn", re.compile(rf"^({CN_NUMERAL})\s*[、.．]\s*")),
    ("pcn", re.compile(rf"^[（(]\s*({CN_NUMERAL})\s*[）)]\s*[、.．]?\s*")),
    ("ar", re.compile(r"^(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*")),
    ("par", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*[、.．]?\s*")),
    ("circ", re.compile(r"^([\u2460-\u2473])\s*")),
]


def cn_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23 (up to 99, as plans number their points)."""
    if not text:
        return 0
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS.index(ch)
        return value
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


def int_to_cn(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def format_label(style: str, n: int) -> str:
    """The number as the document writes it, with full-width brackets."""
    if style == "part":
        return f"第{int_to_cn(n)}部分"
    if style == "cn":
        return f"{int_to_cn(n)}、"
    if style == "pcn":
        return f"（{int_to_cn(n)}）"
    if style == "ar":
        return f"{n}."
    if style == "ar_dun":
        return f"{n}、"
    if style == "par":
        return f"（{n}）"
    if style == "circ":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"（{n}）"
    if style == "yishi":
        return f"{int_to_cn(n)}是"
    if style == "yiyao":
        return f"{int_to_cn(n)}要"
    if style == "bullet":
        return "•"
    return ""


def match_number(text: str) -> tuple[str, int, str] | None:
    """(style, ordinal, rest) when a paragraph starts with a number, else None."""
    for style, pattern in _NUMBER_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end() :]
        if not rest.strip():
            continue
        raw = m.group(1)
        if style == "ar" and "、" in m.group(0):
            style = "ar_dun"
        if style in {"ar", "par"} or style == "ar_dun":
            ordinal = int(raw)
        elif style == "circ":
            ordinal = ord(raw) - 0x2460 + 1
        else:
            ordinal = cn_to_int(raw)
        if ordinal < 1:
            continue
        return style, ordinal, rest.strip()
    return None


# ---------------------------------------------------------------------------
# Cleaning: Traditional characters, pinyin ruby, web-page chrome

_t2s = None


def _converter():
    global _t2s
    if _t2s is None:
        from opencc import OpenCC

        _t2s = OpenCC("t2s")
    return _t2s


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def to_simplified(text: str) -> tuple[str, bool]:
    """Convert Traditional to Simplified when the text is Traditional.

    A Simplified text is left alone: t2s would still rewrite the odd character that
    has a Traditional reading (乾, 於 in names), so it only runs when enough characters
    change to show the text really is Traditional."""
    converted = _converter().convert(text)
    if converted == text:
        return text, False
    cjk = sum(1 for ch in text if _is_cjk(ch)) or 1
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b)
    if len(converted) != len(text):
        changed = max(changed, 2)
    if changed >= 2 and (changed / cjk >= 0.01 or changed >= 20):
        return converted, True
    return text, False


_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|uai|uan|ian|iao|üan|van|ai|ei|ao|ou|an|en|in|un|ün|vn|ua|uo|ue|üe|ve|ui|ia|ie|iu|er|a|o|e|i|u|ü|v|ng|n|m)"
    r"[1-5]?"
)
_PINYIN_RE = re.compile(rf"^(?:{_PINYIN_SYLLABLE})(?:[\s'’-]?(?:{_PINYIN_SYLLABLE}))*$")
_RUBY_RE = re.compile(r"(?<=[\u3400-\u9fff])\s?[（(]\s*([a-zA-Z" + _TONE_MARKS + r"\s'’-]{1,30})\s*[）)]")


def _strip_tones(s: str) -> str:
    out = []
    for ch in s:
        if ch in "üǖǘǚǜ":
            out.append("ü")
            continue
        out.append(unicodedata.normalize("NFD", ch)[0])
    return "".join(out)


def remove_pinyin_ruby(text: str) -> str:
    """Drop pinyin written after characters: ``过(guò)去`` → ``过去``.

    Only bracketed lower-case pinyin right after a Chinese character goes; an English
    abbreviation in brackets (``(APP)``) or a number stays."""

    def repl(m: re.Match) -> str:
        inner = m.group(1).strip()
        if not inner or inner != inner.lower():
            return m.group(0)
        plain = _strip_tones(inner)
        has_tone = any(ch in _TONE_MARKS for ch in inner)
        if _PINYIN_RE.match(plain) and (has_tone or re.search(r"[1-5]", inner) or len(plain) <= 6):
            return ""
        return m.group(0)

    text = _RUBY_RE.sub(repl, text)
    return _LOST_BRACKET_RE.sub(_drop_lost_bracket_ruby, text)


# Ruby whose opening bracket the source lost (``管理?xiàng)l例``): toned pinyin and a closing
# bracket glued to Chinese text. A lone Latin letter left between that bracket and the next
# character is debris of the same damage and goes too. When the character itself was lost
# as well (a ``?`` before the pinyin), it cannot be told from its reading alone: it becomes
# □, the mark Chinese texts use for a missing character, for staff to correct.
MISSING_CHAR = "□"
_PY_RUN = r"[a-z" + _TONE_MARKS + r"]{1,12}"
_LOST_BRACKET_RE = re.compile(
    r"(?<=[\u3400-\u9fff])([?？\ufffd]?)(" + _PY_RUN + r"(?: " + _PY_RUN + r"){0,3})"
    r"[）)]([a-zA-Z](?=[\u3400-\u9fff]))?"
)


def _drop_lost_bracket_ruby(m: re.Match) -> str:
    inner = m.group(2)
    if any(ch in _TONE_MARKS for ch in inner) and _PINYIN_RE.match(_strip_tones(inner)):
        return MISSING_CHAR if m.group(1) else ""
    return m.group(0)


# Lines that are web-page furniture rather than the document. Each only applies to a
# short line without a sentence end, so a paragraph of the plan is never dropped.
_CHROME_PATTERNS = [
    r"^(首页|网站首页|返回首页|当前位置|您现在的位置|你现在的位置|位置[:：])",
    r"(上一篇|下一篇|上一条|下一条)",
    r"(分享到|分享至|转发到|扫一扫|微信扫|扫描二维码|二维码|微信公众号|官方微博)",
    r"(版权所有|Copyright|copyright|©|\(c\)|All Rights Reserved)",
    r"(ICP备|ICP证|公网安备|公安机关备案|备案号|许可证编号|网站标识码)",
    r"(举报电话|举报邮箱|违法和不良信息|联系电话|联系我们|关于我们|关于本站|网站地图|本站声明|业务推广|网站声明|隐私)",
    r"^(责编|责任编辑|编辑|审核|校对|作者|来源|发布时间|发布日期|时间|浏览次数|点击数|阅读数|访问量)[:：]",
    r"^来源[:：].*\d{4}",
    r"(打印本页|打印文章|关闭窗口|【打印】|【关闭】|字体[:：]?\s*[【\[]?\s*大|【大】|收藏本页|加入收藏|设为首页)",
    r"(主管\s*$|主办\s*$|承办\s*$|技术支持)",
    r"^[\s:：|｜>»·•\-—_=*]+$",
    r"(>>|>|»|＞)",
    r"^(相关阅读|相关新闻|相关链接|推荐阅读|热点推荐|猜你喜欢|延伸阅读|附件下载|友情链接)",
    r"^[【\[]?(责编|编辑)[】\]]?",
]
_CHROME_RE = [re.compile(p) for p in _CHROME_PATTERNS]
_SENTENCE_END = "。！？!?；;"
_CLOSING_RE = re.compile(r"^(综上所述|总之|总而言之|总的来说|同志们|新的一年里?[，,]|回顾过去)")


def _is_prose(line: str) -> bool:
    return any(p in line for p in "。，,；;！？") and len(line) >= 12


def _looks_like_chrome(line: str) -> bool:
    if len(line) > 120 or "。" in line:
        return False
    if any(r.search(line) for r in _CHROME_RE):
        return True
    # A menu row: several short words separated by spaces or bars, no sentence punctuation.
    tokens = [t for t in re.split(r"[\s|｜/]+", line) if t]
    if len(tokens) >= 4 and all(len(t) <= 6 for t in tokens) and not any(p in line for p in "，,、；;"):
        return True
    return False


def _opens_list(line: str) -> bool:
    """A short line of a document all the same: a run-in list item (``二是做好监督工作。``)
    or the heading of next year's tasks."""
    return bool(re.match(r"^[一二三四五六七八九十]{1,2}[是要]", line)) or is_tasks_heading(line)


def strip_chrome(lines: list[str], numbered: list[bool] | None = None) -> tuple[list[str], str, list[str]]:
    """(content lines, the page's title if one was found, removed lines).

    The body runs from the first paragraph or numbered heading to the last; what lies
    outside it (site name, menus, breadcrumbs, footers) goes, and so do furniture
    lines inside it (share links, 责编, 上一篇/下一篇)."""
    removed: list[str] = []
    numbered = numbered or [False] * len(lines)
    is_body = [
        forced
        or ((_is_prose(ln) or match_number(ln) is not None or _opens_list(ln)) and not _looks_like_chrome(ln))
        for ln, forced in zip(lines, numbered, strict=True)
    ]
    if not any(is_body):
        return lines, "", removed
    first = is_body.index(True)
    last = len(lines) - 1 - is_body[::-1].index(True)
    title = ""
    for ln in reversed(lines[:first]):
        if not _looks_like_chrome(ln) and len(ln) >= 6:
            title = ln
            break
    removed.extend(ln for ln in lines[:first] if ln != title)
    removed.extend(lines[last + 1 :])
    body = []
    for ln, forced in zip(lines[first : last + 1], numbered[first : last + 1], strict=True):
        if not forced and _looks_like_chrome(ln):
            removed.append(ln)
        else:
            body.append(ln)
    return body, title, removed


# ---------------------------------------------------------------------------
# Sentences, titles, targets, types

_OPEN = "“‘「『《〈（(【["
_CLOSE = "”’」』》〉）)】]"


def sentences(text: str) -> list[str]:
    """Split at 。！？ outside quotes and brackets; each sentence keeps its end mark."""
    out, buf, depth = [], [], 0
    for ch in text:
        buf.append(ch)
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in "。！？!?" and depth == 0:
            out.append("".join(buf).strip())
            buf = []
    rest = "".join(buf).strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def _clean_title(s: str) -> str:
    return s.strip().rstrip("。；;，,：:！!？? ").strip()


def split_title(text: str) -> tuple[str, str]:
    """The first sentence is the title, the rest the description."""
    parts = sentences(text.strip())
    if not parts:
        return "", ""
    title = _clean_title(parts[0])
    description = "".join(parts[1:]).strip()
    if len(title) > 300:
        # A very long first sentence: keep its first clause as the title.
        head, sep, tail = title.partition("，")
        if sep and len(head) >= 6:
            title, description = head, (tail + "。" + description).strip()
        else:
            title, description = title[:300], (title[300:] + "。" + description).strip()
    return title, description


_QTY_NUM = r"(?:[零一二两三四五六七八九十百千万]+|\d+(?:\.\d+)?)"
_QTY_UNIT = r"(?:人次|个|次|项|件|部|场|期|家|名|篇|条|批|所|户|处|份|轮|届|期|万元|亿元|元|%|％)"
_QTY_RE = re.compile(rf"(?<!第)(?<![\d.])({_QTY_NUM})\s*({_QTY_UNIT})(以上|以内|左右|余)?")
_QTY_HINT = re.compile(r"(不少于|至少|不低于|达到|力争|确保|以上|全年|每年|每季度|每月|累计|完成|开展|组织|召开|举办|听取|审议|制定|修订|视察|调研|检查|培训)")


def extract_targets(text: str) -> str:
    """Quantitative targets in a text, e.g. ``全年将开展五次以上专项检查工作``.

    A clause counts when it has a number with a measure word and reads like a target
    (a verb of doing, or 以上/不少于); "一项长期任务" and ordinal words (第一) do not."""
    found = []
    for clause in re.split(r"[。；;，,：:！？!?\n]", text):
        clause = clause.strip()
        if not clause:
            continue
        for m in _QTY_RE.finditer(clause):
            num = m.group(1)
            try:
                value = float(num) if num[0].isdigit() else cn_to_int(num) if set(num) <= set(CN_DIGITS + "十") else 2
            except (ValueError, IndexError):
                value = 2
            if m.group(2) in {"%", "％"} or m.group(3) or value >= 2:
                if _QTY_HINT.search(clause) or m.group(3):
                    found.append(clause)
                    break
    return "；".join(dict.fromkeys(found))[:300]


_TYPE_KEYWORDS = [
    (ItemType.SUPERVISION_INSPECTION, r"执法检查|专项检查"),
    (ItemType.SUPERVISION_INQUIRY, r"专题询问|询问"),
    (ItemType.SUPERVISION_APPRAISAL, r"评议|满意度测评"),
    (ItemType.SUPERVISION_BUDGET, r"预算|决算|国有资产|政府债务"),
    (ItemType.SUPERVISION_AUDIT, r"审计"),
    (ItemType.SUPERVISION_FILING, r"备案审查|规范性文件"),
    (ItemType.SUPERVISION_LIVELIHOOD, r"民生实事"),
    (ItemType.SUPERVISION_REPORT, r"听取.{0,20}报告|专项工作报告"),
    (ItemType.SUPERVISION_RESEARCH, r"视察|调研"),
    (ItemType.LEGISLATION, r"立法|法规案|法规草案|(制定|修订|修改|审议).{0,12}(条例|办法|规定)"),
    (ItemType.DECISIONS, r"任免|重大事项|决议决定|决定权"),
    (ItemType.DEPUTIES, r"代表"),
    (ItemType.SELF_BUILDING, r"自身建设|机关建设|党的建设|队伍建设|作风"),
    (ItemType.SUPERVISION_OTHER, r"监督"),
]


def guess_type(title: str, description: str = "") -> str:
    """A first guess at the item's type from its title (then its text); staff correct it."""
    first = sentences(description)[0] if description else ""
    for text in (title, first[:120]):
        for item_type, pattern in _TYPE_KEYWORDS:
            if re.search(pattern, text):
                return str(item_type)
    return str(ItemType.OTHER)


# ---------------------------------------------------------------------------
# Paragraphs in, nodes out


@dataclass
class Paragraph:
    """One paragraph of the source. A .docx paragraph numbered by Word's automatic list
    numbering carries its style and ordinal here, since the number is not in its text."""

    text: str
    style: str | None = None
    ordinal: int | None = None


@dataclass
class ParseResult:
    title: str = ""
    preamble: str = ""
    closing: str = ""
    nodes: list[dict] = field(default_factory=list)
    traditional: bool = False
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


_YISHI_RE = re.compile(r"(?:(?<=^)|(?<=[。；;，,：:\s]))([一二三四五六七八九十]{1,2})(是|要)")


def split_enumeration(text: str, first: int = 1, min_items: int = 2) -> tuple[str, list[str], str] | None:
    """``…。一是A；二是B。`` → (head, [A, B], style); None when there is no such list.

    The ordinals must run 一, 二, … in order with one suffix (是 or 要), each after a
    punctuation mark or at the start, so 统一是 or 唯一要 never split a paragraph.
    ``first`` continues a list begun in an earlier paragraph (``四是C；五是D。``)."""
    for suffix in ("是", "要"):
        marks = [m for m in _YISHI_RE.finditer(text) if m.group(2) == suffix]
        starts, expect = [], first
        for m in marks:
            if cn_to_int(m.group(1)) == expect:
                starts.append(m)
                expect += 1
        if len(starts) < min_items:
            continue
        head = text[: starts[0].start()].strip().rstrip("，,：:；; ")
        parts = []
        for i, m in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            parts.append(text[m.end() : end].strip())
        return head, [p for p in parts if p], "yishi" if suffix == "是" else "yiyao"
    return None


# The part of a year review that lists next year's work: "2025年主要任务：",
# "二〇二五年工作安排", "明年工作打算", "下一步工作思路和主要任务".
_NEXT_YEAR = r"明年|下一年度?|新的一年|来年|下一步|今后一个时期"
_YEAR_AHEAD = rf"(?:\d{{4}}|[〇零一二三四五六七八九]{{4}})年度?|{_NEXT_YEAR}"
_TASKS_HEADING_RE = re.compile(
    rf"^(?:(?:[市县区州盟旗]?人大)?常委会|关于)?(?:{_YEAR_AHEAD})的?(?:全年)?"
    r"(?:重点工作|(?:主要|重点)?(?:工作)?(?:任务|安排|打算|思路|计划|设想|重点))"
    r"(?:和|及)?(?:(?:主要|重点)?(?:工作)?(?:任务|措施|安排|打算))?$"
)
# A lead-in sentence of the same part: "新的一年，常委会将重点做好以下几个方面工作：". Only
# words for the coming year: a plan says "2025年，…做好以下工作：" of its own year.
_TASKS_LEAD_RE = re.compile(rf"^(?:{_NEXT_YEAR})[，,].{{0,60}}(?:以下|如下|几个方面|几项)[^。！？]{{0,12}}(?:工作|任务)$")


def is_tasks_heading(text: str) -> bool:
    """Whether a paragraph (or the words before a run-in list) heads next year's tasks."""
    head = text.strip().rstrip("：:。 ")
    if not head or len(head) > 80 or re.search(r"[。！？!?]", head):
        return False
    return bool(_TASKS_HEADING_RE.match(head) or _TASKS_LEAD_RE.match(head))


def _is_heading_sentence(first: str) -> bool:
    return first.endswith("。") and 4 <= len(first) <= 26 and not re.search(r"[，,；;：:]", first)


def _is_heading_paragraph(text: str) -> bool:
    """An unnumbered paragraph that opens with a short heading sentence
    (``助力经济发展行稳致远。…``) is an item of its own in many reports and plans."""
    parts = sentences(text)
    return len(parts) >= 2 and _is_heading_sentence(parts[0])


def _make_node(level: int, style: str, ordinal: int, text: str) -> dict:
    title, description = split_title(text)
    return {
        "level": level,
        "style": style,
        "number": format_label(style, ordinal),
        "title": title,
        "description": description,
        "target": extract_targets(text),
        "item_type": guess_type(title, description),
    }


def _append_description(node: dict, text: str) -> None:
    node["description"] = (node["description"] + "\n" + text).strip() if node["description"] else text
    if not node["title"]:
        node["title"], node["description"] = split_title(node["description"])
    extra = extract_targets(text)
    if extra:
        node["target"] = "；".join(dict.fromkeys(filter(None, [*node["target"].split("；"), *extra.split("；")])))[:300]


class ImportLimitExceeded(ValueError):
    """A document too large or too slow to parse (a crafted file): refused with a message."""


class Deadline:
    """Wall-clock budget of one import, checked inside the parsing loops."""

    def __init__(self, seconds: float | None = None):
        self.seconds = seconds if seconds is not None else settings.IMPORT_MAX_SECONDS
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise ImportLimitExceeded(
                _("文件处理超过 %(s)d 秒仍未完成，已停止；请检查文件或分批导入。") % {"s": self.seconds}
            )


def check_paragraph_count(count: int) -> None:
    if count > settings.IMPORT_MAX_PARAGRAPHS:
        raise ImportLimitExceeded(
            _("文件段落过多（%(n)d 段，上限 %(max)d 段），请分批导入。") % {"n": count, "max": settings.IMPORT_MAX_PARAGRAPHS}
        )


def parse_paragraphs(paragraphs: list[Paragraph], deadline: Deadline | None = None) -> ParseResult:
    """Build the item tree from paragraphs (already cleaned)."""
    check_paragraph_count(len(paragraphs))
    deadline = deadline or Deadline()
    result = ParseResult()
    nodes: list[dict] = []
    stack: list[tuple[int, dict]] = []  # (rank, node)
    preamble: list[str] = []
    closing: list[str] = []
    in_closing = False

    def push(rank: int, style: str, ordinal: int, text: str) -> dict:
        while stack and stack[-1][0] >= rank:
            stack.pop()
        node = _make_node(len(stack) + 1, style, ordinal, text)
        nodes.append(node)
        stack.append((rank, node))
        return node

    # The list a run-in enumeration is building: (parent, next ordinal), so that
    # "四是…五是…" in the next paragraph carries on under the same parent.
    open_list: tuple[dict, int] | None = None

    def add_enumeration(parent: dict, parts: list[str], style: str, first: int = 1) -> None:
        nonlocal open_list
        for i, part in enumerate(parts, start=first):
            nodes.append(_make_node(parent["level"] + 1, style, i, part))
        open_list = (parent, first + len(parts))

    tasks_heading: dict | None = None

    def push_tasks_heading(text: str) -> dict:
        # Next year's tasks are a part of their own, beside the review's top-level parts.
        nonlocal in_closing, open_list, tasks_heading
        in_closing = False
        node = push(stack[0][0] if stack else -1, "para", 0, text.strip().rstrip("：: "))
        open_list = (node, 1)
        tasks_heading = node
        return node

    for para in paragraphs:
        deadline.check()
        text = para.text.strip()
        if not text:
            continue
        continuing, open_list = open_list, None
        if continuing and not para.style:
            parent, expect = continuing
            enum = split_enumeration(text, first=expect, min_items=1)
            if enum and not enum[0]:
                add_enumeration(parent, enum[1], enum[2], first=expect)
                continue
        if nodes and not para.style:
            if is_tasks_heading(text):
                push_tasks_heading(text)
                continue
            enum = split_enumeration(text)
            if enum and enum[0] and is_tasks_heading(enum[0]):
                add_enumeration(push_tasks_heading(enum[0]), enum[1], enum[2])
                continue
        numbered = None
        if para.style:
            numbered = (para.style, para.ordinal or 1, text)
        else:
            numbered = match_number(text)
        if numbered:
            in_closing = False
            style, ordinal, rest = numbered
            enum = split_enumeration(rest)
            rank = STYLE_RANK.get(style, 10)
            if nodes and nodes[-1] is tasks_heading and ordinal == 1 and rank <= stack[-1][0]:
                # Tasks numbered afresh from 1 in the review's top-level style go under
                # their heading, not beside it.
                stack[-1] = (rank - 0.5, tasks_heading)
            if enum and enum[0]:
                node = push(rank, style, ordinal, enum[0])
                add_enumeration(node, enum[1], enum[2])
            elif enum:
                # "1. 一是A；二是B" — the list is the item itself: A is its title.
                node = push(rank, style, ordinal, rest)
                node["title"], node["description"] = split_title(enum[1][0])
                node["description"] = rest
            else:
                push(rank, style, ordinal, rest)
            continue
        if not nodes:
            preamble.append(text)
            continue
        if in_closing or _CLOSING_RE.match(text):
            in_closing = True
            closing.append(text)
            continue
        enum = split_enumeration(text)
        if enum:
            head, parts, enum_style = enum
            parent = stack[-1][1] if stack else nodes[-1]
            head_parts = sentences(head)
            if len(head_parts) == 1 and _is_heading_sentence(head_parts[0]):
                parent = push(STYLE_RANK["para"], "para", 0, head)
            elif head:
                _append_description(parent, head)
            add_enumeration(parent, parts, enum_style)
            continue
        if _is_heading_paragraph(text):
            push(STYLE_RANK["para"], "para", 0, text)
            continue
        _append_description(stack[-1][1] if stack else nodes[-1], text)

    renumber(nodes)
    result.nodes = nodes
    result.preamble = "\n".join(preamble)
    result.closing = "\n".join(closing)
    return result


def clean_text(text: str) -> tuple[str, bool]:
    """Normalise line ends and spaces, convert Traditional, remove pinyin ruby."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text, traditional = to_simplified(text)
    text = remove_pinyin_ruby(text)
    return text, traditional


def parse_text(text: str, deadline: Deadline | None = None) -> ParseResult:
    """Pasted text or a .txt file → the item tree."""
    deadline = deadline or Deadline()
    raw_missing = text.count(MISSING_CHAR)
    text, traditional = clean_text(text)
    lines = [ln.strip(" \t\u3000") for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    check_paragraph_count(len(lines))
    body, title, removed = strip_chrome(lines)
    result = parse_paragraphs([Paragraph(ln) for ln in body], deadline)
    result.title = title
    result.removed = removed
    result.traditional = traditional
    _add_warnings(result, text.count(MISSING_CHAR) - raw_missing)
    return result


def _add_warnings(result: ParseResult, missing: int = 0) -> None:
    if missing > 0:
        result.warnings.append(
            _("原文有%(n)d处缺字（拼音注音残留处），已用“□”标出，请对照原件补正。") % {"n": missing}
        )
    if result.traditional:
        result.warnings.append(_("原文为繁体字，已转换为简体字。"))
    if result.removed:
        result.warnings.append(_("已略去网页导航、页脚等%(n)d行。") % {"n": len(result.removed)})
    if not result.nodes:
        result.warnings.append(_("未识别出编号条目，请检查原文是否使用“一、”“（一）”“1.”“（1）”等编号。"))


# ---------------------------------------------------------------------------
# Files


def decode_bytes(data: bytes) -> str:
    """A .txt file in UTF-8 (with or without BOM), UTF-16 or GB18030 (Chinese Windows)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _style_for_format(num_fmt: str, lvl_text: str) -> str:
    bracketed = any(b in lvl_text for b in "（(")
    if num_fmt in {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "ideographDigital",
                   "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"}:
        if lvl_text.startswith("第"):
            return "part"
        return "pcn" if bracketed else "cn"
    if num_fmt in {"decimalEnclosedCircle", "decimalEnclosedCircleChinese"}:
        return "circ"
    if num_fmt in {"decimal", "decimalZero", "decimalFullWidth", "decimalHalfWidth"}:
        return "par" if bracketed else "ar"
    if num_fmt == "bullet":
        return "bullet"
    return ""


class _Numbering:
    """Word's list definitions: numId → abstractNum → format of each level."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], tuple[str, str]] = {}
        self.abstract_of: dict[str, str] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str]]] = {}
        for an in root.findall(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            levels = {}
            for lvl in an.findall(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                fmt = lvl.find(_w("numFmt"))
                text = lvl.find(_w("lvlText"))
                levels[ilvl] = (fmt.get(_w("val")) if fmt is not None else "", text.get(_w("val")) if text is not None else "")
            abstract[aid] = levels
        for num in root.findall(_w("num")):
            nid = num.get(_w("numId"))
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            aid = ref.get(_w("val"))
            self.abstract_of[nid] = aid
            for ilvl, fmt in abstract.get(aid, {}).items():
                self.formats[(nid, ilvl)] = fmt

    def style(self, num_id: str, ilvl: int) -> str:
        fmt = self.formats.get((num_id, ilvl))
        style = _style_for_format(*fmt) if fmt else ""
        # An unknown format still nests by its list level.
        return style or DEFAULT_LEVEL_STYLES[min(ilvl, len(DEFAULT_LEVEL_STYLES) - 2)]


def _style_num_pr(paragraph):
    """The numPr inherited from the paragraph's style chain, or None."""
    style = paragraph.style
    while style is not None:
        s_pr = style.element.find(_w("pPr"))
        if s_pr is not None and s_pr.find(_w("numPr")) is not None:
            return s_pr.find(_w("numPr"))
        style = style.base_style
    return None


def _num_pr(paragraph, document, style_cache: dict | None = None) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph's own properties or its style's.

    Looking a style up walks the whole styles part: `style_cache` keeps the answer per
    style id, so a long document costs one lookup per style, not per paragraph."""
    p_pr = paragraph._p.pPr
    candidates = []
    if p_pr is not None and p_pr.find(_w("numPr")) is not None:
        candidates.append(p_pr.find(_w("numPr")))
    else:
        if style_cache is None:
            style_cache = {}
        style_id = paragraph._p.style
        if style_id not in style_cache:
            style_cache[style_id] = _style_num_pr(paragraph)
        if style_cache[style_id] is not None:
            candidates.append(style_cache[style_id])
    for num_pr in candidates:
        num_id = num_pr.find(_w("numId"))
        ilvl = num_pr.find(_w("ilvl"))
        nid = num_id.get(_w("val")) if num_id is not None else None
        if not nid or nid == "0":
            return None
        return nid, int(ilvl.get(_w("val"))) if ilvl is not None else 0
    return None


def read_docx(data: bytes, deadline: Deadline | None = None) -> list[Paragraph]:
    """Paragraphs of a .docx in order, with Word's automatic numbering resolved.

    Before anything is decompressed the archive's declared sizes are checked (zip bombs);
    then the paragraph count, and the time spent, are capped."""
    import docx

    deadline = deadline or Deadline()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, max_bytes=settings.IMPORT_DOCX_MAX_UNCOMPRESSED_MB * 1024 * 1024)
    except UnsafeArchive as exc:
        raise ImportLimitExceeded(str(exc)) from exc
    document = docx.Document(io.BytesIO(data))
    deadline.check()
    paragraphs = document.paragraphs
    check_paragraph_count(len(paragraphs))
    numbering = _Numbering(document)
    counters: dict[str, list[int]] = {}
    style_cache: dict = {}
    out = []
    for p in paragraphs:
        deadline.check()
        text = p.text.strip()
        if not text:
            continue
        num = _num_pr(p, document, style_cache)
        if num is None:
            out.append(Paragraph(text))
            continue
        nid, ilvl = num
        # Levels of one abstract list share counters; a higher level restarts the lower ones.
        key = numbering.abstract_of.get(nid, nid)
        counts = counters.setdefault(key, [0] * 9)
        ilvl = min(ilvl, 8)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        out.append(Paragraph(text, style=numbering.style(nid, ilvl), ordinal=counts[ilvl]))
    return out


def parse_docx(data: bytes, deadline: Deadline | None = None) -> ParseResult:
    """A .docx file → the item tree (text numbers and Word list numbering both count)."""
    deadline = deadline or Deadline()
    paragraphs = read_docx(data, deadline)
    # Decide Traditional for the whole document: one short paragraph cannot tell.
    _, traditional = to_simplified("\n".join(p.text for p in paragraphs))
    cleaned = []
    for p in paragraphs:
        text = _converter().convert(p.text) if traditional else p.text
        cleaned.append(Paragraph(remove_pinyin_ruby(text).strip(), p.style, p.ordinal))
    cleaned = [p for p in cleaned if p.text]
    missing = sum(p.text.count(MISSING_CHAR) for p in cleaned) - sum(p.text.count(MISSING_CHAR) for p in paragraphs)
    lines = [p.text for p in cleaned]
    body, title, removed = strip_chrome(lines, [p.style is not None for p in cleaned])
    # strip_chrome keeps order; walk both lists to keep each paragraph's numbering.
    kept, j = [], 0
    for p in cleaned:
        if j < len(body) and p.text == body[j]:
            kept.append(p)
            j += 1
    result = parse_paragraphs(kept, deadline)
    result.title = title
    result.removed = removed
    result.traditional = traditional
    _add_warnings(result, missing)
    return result


def parse_upload(name: str, data: bytes) -> ParseResult:
    """Dispatch on the file's type; raises ValueError for what we cannot read."""
    lower = (name or "").lower()
    deadline = Deadline()
    if lower.endswith(".docx") or data[:2] == b"PK":
        try:
            return parse_docx(data, deadline)
        except ImportLimitExceeded:
            raise
        except Exception as exc:  # a corrupt or non-Word zip
            raise ValueError(_("无法读取该 Word 文件，请确认为 .docx 格式。")) from exc
    if lower.endswith(".doc"):
        raise ValueError(_("暂不支持旧版 .doc 文件，请另存为 .docx 后上传。"))
    return parse_text(decode_bytes(data), deadline)


# ---------------------------------------------------------------------------
# Editing the draft (flat node list)


def _subtree_end(nodes: list[dict], i: int) -> int:
    """Index just past node i's descendants."""
    j = i + 1
    while j < len(nodes) and nodes[j]["level"] > nodes[i]["level"]:
        j += 1
    return j


def level_styles(nodes: list[dict]) -> dict[int, str]:
    """The style most used at each level (numbers of a moved node follow its new level)."""
    by_level: dict[int, Counter] = {}
    for n in nodes:
        if n["style"] in _UNRANKED:
            continue
        by_level.setdefault(n["level"], Counter())[n["style"]] += 1
    return {lvl: c.most_common(1)[0][0] for lvl, c in by_level.items()}


def _style_for_level(nodes: list[dict], level: int) -> str:
    styles = level_styles(nodes)
    if level in styles:
        return styles[level]
    used = set(styles.values())
    deeper = [s for s in DEFAULT_LEVEL_STYLES if s not in used and STYLE_RANK[s] > max((STYLE_RANK[s2] for s2 in used), default=0)]
    return deeper[0] if deeper else DEFAULT_LEVEL_STYLES[min(level - 1, len(DEFAULT_LEVEL_STYLES) - 1)]


def renumber(nodes: list[dict]) -> list[dict]:
    """Recompute every node's place among its siblings and its number. Numbers count
    per style within a parent, as documents do (``（1）`` after ``一是…三是`` is still 1)."""
    positions: list[int] = []
    style_counts: list[Counter] = []
    for n in nodes:
        lvl = n["level"]
        positions = positions[:lvl]
        style_counts = style_counts[:lvl]
        while len(positions) < lvl:
            positions.append(0)
            style_counts.append(Counter())
        positions[lvl - 1] += 1
        # "1." and "2、" in one list are one sequence: count by nesting rank, not spelling.
        key = n["style"] if n["style"] in _UNRANKED else STYLE_RANK.get(n["style"], n["style"])
        style_counts[lvl - 1][key] += 1
        n["position"] = positions[lvl - 1]
        n["number"] = format_label(n["style"], style_counts[lvl - 1][key])
    return nodes


def validate_nodes(nodes: list[dict]) -> list[str]:
    """Problems that would make the tree invalid; empty when it can be saved."""
    errors = []
    prev = 0
    for i, n in enumerate(nodes):
        lvl = n.get("level")
        if not isinstance(lvl, int) or lvl < 1:
            errors.append(_("第%(n)d条的层级无效。") % {"n": i + 1})
        elif lvl > prev + 1:
            errors.append(_("第%(n)d条的层级比上一条深了不止一级。") % {"n": i + 1})
        if not str(n.get("title", "")).strip():
            errors.append(_("第%(n)d条缺少标题。") % {"n": i + 1})
        prev = lvl if isinstance(lvl, int) else prev
    return errors


def set_level(nodes: list[dict], i: int, level: int) -> list[dict]:
    """Move node i (with its sub-items) to another level."""
    if not 0 <= i < len(nodes):
        raise ValueError(_("没有这一条。"))
    max_level = 1 if i == 0 else nodes[i - 1]["level"] + 1
    if level < 1 or level > max_level:
        raise ValueError(_("该条只能设为第1至%(max)d级。") % {"max": max_level})
    delta = level - nodes[i]["level"]
    if delta == 0:
        return nodes
    end = _subtree_end(nodes, i)
    for j in range(i, end):
        nodes[j]["level"] += delta
    if nodes[i]["style"] not in _UNRANKED or delta:
        nodes[i]["style"] = _style_for_level(nodes[:i] + nodes[end:], level)
    for j in range(i + 1, end):
        if nodes[j]["style"] not in _UNRANKED:
            nodes[j]["style"] = _style_for_level(nodes[:i] + nodes[end:], nodes[j]["level"])
    # A later sibling that is now deeper than allowed moves up with the change.
    return renumber(nodes)


def merge_with_previous(nodes: list[dict], i: int) -> list[dict]:
    """Join node i into the node before it (its text becomes part of that description)."""
    if not 1 <= i < len(nodes):
        raise ValueError(_("第一条没有可合并的上一条。"))
    prev, node = nodes[i - 1], nodes[i]
    text = node["title"] + ("。" if node["title"] and not node["title"].endswith("。") else "") + node["description"]
    prev["description"] = (prev["description"] + "\n" + text).strip() if prev["description"] else text
    if node.get("target"):
        prev["target"] = "；".join(dict.fromkeys(filter(None, [*prev.get("target", "").split("；"), node["target"]])))[:300]
    end = _subtree_end(nodes, i)
    delta = prev["level"] - node["level"]
    for j in range(i + 1, end):
        nodes[j]["level"] += delta
    del nodes[i]
    return renumber(nodes)


def split_node(nodes: list[dict], i: int, sentence_index: int) -> list[dict]:
    """Split node i before its sentence `sentence_index` (0 = the title) into two siblings."""
    if not 0 <= i < len(nodes):
        raise ValueError(_("没有这一条。"))
    node = nodes[i]
    parts = node_sentences(node)
    if not 1 <= sentence_index < len(parts):
        raise ValueError(_("请选择从第几句开始拆分。"))
    first = "".join(parts[:sentence_index])
    second = "".join(parts[sentence_index:])
    node["title"], node["description"] = split_title(first)
    node["target"] = extract_targets(first)
    new = {
        "level": node["level"],
        "style": node["style"],
        "number": "",
        "title": "",
        "description": "",
        "target": extract_targets(second),
        "item_type": node.get("item_type", str(ItemType.OTHER)),
    }
    new["title"], new["description"] = split_title(second)
    # The new sibling goes after the node's own sub-items.
    nodes.insert(_subtree_end(nodes, i), new)
    return renumber(nodes)


def delete_node(nodes: list[dict], i: int) -> list[dict]:
    """Drop node i; its sub-items move up one level."""
    if not 0 <= i < len(nodes):
        raise ValueError(_("没有这一条。"))
    end = _subtree_end(nodes, i)
    for j in range(i + 1, end):
        nodes[j]["level"] -= 1
    del nodes[i]
    if nodes and nodes[0]["level"] != 1:
        return set_level(nodes, 0, 1)
    return renumber(nodes)


def update_node(nodes: list[dict], i: int, **values) -> list[dict]:
    """Correct a node's title, description, target or type."""
    if not 0 <= i < len(nodes):
        raise ValueError(_("没有这一条。"))
    for key in ("title", "description", "target", "item_type"):
        if key in values and values[key] is not None:
            nodes[i][key] = str(values[key]).strip()
    if not nodes[i]["title"]:
        raise ValueError(_("标题不能为空。"))
    return nodes


def node_sentences(node: dict) -> list[str]:
    title = node["title"]
    head = title + ("" if not title or title[-1] in _SENTENCE_END else "。")
    return [head, *sentences(node["description"])] if title else sentences(node["description"])


def counts_by_level(nodes: list[dict]) -> dict[int, int]:
    return dict(sorted(Counter(n["level"] for n in nodes).items()))


def as_tree(nodes: list[dict]) -> list[dict]:
    """Nested form for display: each node gets `index` (its place in the flat list) and `children`."""
    roots: list[dict] = []
    stack: list[dict] = []
    for idx, n in enumerate(nodes):
        item = {**n, "index": idx, "children": []}
        while stack and stack[-1]["level"] >= n["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(item)
        stack.append(item)
    return roots
