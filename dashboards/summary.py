"""The year-end summary draft: default wording and placeholder filling.

The stored text says "全年共举行常委会会议{standing_meetings}次…"; showing or downloading
it puts in the figures of the records, so editing the prose never freezes a number that
the records later change. Domain §7 gives the usual sentences."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .figures import Figure

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")

# Sections of the default draft: a heading and its sentences, each sentence a list of
# clauses (text, figure keys it needs). A clause whose figures are not available (the app
# that counts them is not installed, or legislation is switched off) is left out, so a
# district never gets "制定地方性法规x部" by mistake.
DEFAULT_SECTIONS = [
    (
        "一、依法履职，会议和决定任免工作扎实有序",
        [
            [
                ("全年共举行常委会会议{standing_meetings}次", ["standing_meetings"]),
                ("召开主任会议{chairpersons_meetings}次", ["chairpersons_meetings"]),
                ("听取和审议“一府一委两院”工作报告{reports_heard}项", ["reports_heard"]),
                ("组织开展“三查(察)”活动{three_checks}次", ["three_checks"]),
                ("开展专题询问{special_inquiries}次", ["special_inquiries"]),
                ("面对面询问{face_inquiries}次", ["face_inquiries"]),
                ("开展工作评议{work_appraisals}次", ["work_appraisals"]),
                ("履职评议{performance_appraisals}次", ["performance_appraisals"]),
                ("作出决议决定{decisions}项", ["decisions"]),
            ],
            [("全年任免国家机关工作人员{appointments}人次", ["appointments"])],
        ],
    ),
    (
        "二、立法工作",
        [[("全年审议法规案{regulations}件", ["regulations"])]],
    ),
    (
        "三、监督工作",
        [
            [
                ("全年监督民生实事项目{livelihood_projects}个", ["livelihood_projects"]),
                ("跟踪审计查出问题{audit_problems}个", ["audit_problems"]),
                ("整改率{audit_rectification_rate}", ["audit_rectification_rate"]),
            ],
        ],
    ),
    (
        "四、代表工作",
        [
            [
                ("设立代表联络站{liaison_stations}个", ["liaison_stations"]),
                ("全年共接待选民{people_received}人次", ["people_received"]),
                ("收集意见和建议{opinions_collected}条", ["opinions_collected"]),
            ],
            [
                ("全年收到议案{bills}件", ["bills"]),
                ("收到代表建议{suggestions}件", ["suggestions"]),
                ("重点督办建议{key_supervised}件", ["key_supervised"]),
                ("答复率{suggestion_reply_rate}", ["suggestion_reply_rate"]),
                ("办结率{suggestion_closed_rate}", ["suggestion_closed_rate"]),
                ("满意率{suggestion_satisfaction_rate}", ["suggestion_satisfaction_rate"]),
            ],
            [
                ("组织代表参加各类培训{trainings}次", ["trainings"]),
            ],
        ],
    ),
]


def default_title(year: int) -> str:
    return _("%(name)s%(year)s年工作总结（草稿）") % {"name": settings.INSTALLATION_NAME, "year": year}


def default_body(available_keys: set[str]) -> str:
    """The usual wording with the figures this installation can give."""
    cn_numbers = "一二三四五六七八九十"
    lines: list[str] = []
    n = 0
    for heading, sentences in DEFAULT_SECTIONS:
        paragraph = []
        for clauses in sentences:
            parts = [text for text, keys in clauses if all(k in available_keys for k in keys)]
            if parts:
                paragraph.append("，".join(parts) + "。")
        if not paragraph:
            continue
        # Renumber: a section left out (no legislation) must not leave a gap.
        title = SECTION_HEADING.sub("", heading)
        lines.append(f"{cn_numbers[n]}、{title}")
        n += 1
        lines.append("".join(paragraph))
    return "\n".join(lines)


def placeholders(text: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(text or "")))


def readable_history(entries, figures: list[Figure]) -> list:
    """History entries of the summary with each {code} named as people know the figure
    (〔常委会会议次数〕), since the timeline shows the wording as it was typed."""
    labels = {f.key: str(f.label) for f in figures}
    labels["year"] = _("年度")

    def name(match):
        return f"〔{labels.get(match.group(1), match.group(1))}〕"

    entries = list(entries)
    for e in entries:
        for change in (e.changes or {}).values():
            for side in ("before", "after"):
                if isinstance(change.get(side), str):
                    change[side] = PLACEHOLDER.sub(name, change[side])
    return entries


@dataclass
class RenderedSummary:
    title: str
    paragraphs: list[tuple[str, str]]  # (kind "heading" | "text", text with figures filled in)
    html_paragraphs: list[tuple[str, str]]
    missing: list[str] = field(default_factory=list)
    used: list[Figure] = field(default_factory=list)


def render(title: str, body: str, figures: list[Figure], year: int) -> RenderedSummary:
    """Fill the placeholders. An unknown code stays visible as 【code：无数据】 so nobody
    prints a draft with a silent hole in it."""
    by_key = {f.key: f for f in figures}
    missing: list[str] = []
    used: dict[str, Figure] = {}

    def plain(match):
        key = match.group(1)
        if key == "year":
            return str(year)
        fig = by_key.get(key)
        if fig is None:
            if key not in missing:
                missing.append(key)
            return f"【{key}：{_('无数据')}】"
        used[key] = fig
        return fig.display

    def html(match):
        key = match.group(1)
        if key == "year":
            return str(year)
        fig = by_key.get(key)
        if fig is None:
            return f'<mark class="text-danger" data-missing="{escape(key)}">【{escape(key)}：{escape(_("无数据"))}】</mark>'
        css = "figure-value manual" if fig.manual else "figure-value"
        note = _("手工填报") if fig.manual else fig.definition
        return (
            f'<span class="{css}" data-figure="{escape(key)}" title="{escape(fig.label)}：{escape(note)}">'
            f"{escape(fig.display)}{'*' if fig.manual else ''}</span>"
        )

    paragraphs = []
    html_paragraphs = []
    for raw in (body or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        kind = "heading" if SECTION_HEADING.match(line) and len(line) <= 40 else "text"
        paragraphs.append((kind, PLACEHOLDER.sub(plain, line)))
        # Escape the prose first, then put in the figure markup.
        escaped = str(escape(line))
        html_paragraphs.append((kind, mark_safe(PLACEHOLDER.sub(html, escaped))))
    return RenderedSummary(
        title=PLACEHOLDER.sub(plain, title or ""),
        paragraphs=paragraphs,
        html_paragraphs=html_paragraphs,
        missing=missing,
        used=list(used.values()),
    )
