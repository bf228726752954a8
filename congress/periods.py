"""The configurable periods of domain §8, with their defaults and sources.

Each is a row of congress.PeriodSetting that administrators edit in the admin; code
asks `period("reply_months")` and never hard-codes a number."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.utils import OperationalError, ProgrammingError


@dataclass(frozen=True)
class PeriodDefault:
    key: str
    label: str
    value: int
    unit: str  # working_days | days | months | count
    source: str = ""


DEFAULTS: list[PeriodDefault] = [
    # Deputies' bills and suggestions (domain §2)
    PeriodDefault("recess_assign_working_days", "闭会期间建议交办期限", 7, "working_days", "地方规定：5至10个工作日"),
    PeriodDefault("recess_assign_warn_working_days", "闭会期间建议未交办提醒", 5, "working_days", "地方规定"),
    PeriodDefault("session_assign_months", "会议期间建议交办期限（会后）", 1, "months", "通常在闭会后一个月内召开交办会"),
    PeriodDefault("sign_for_working_days", "承办单位签收期限", 3, "working_days", "地方规定"),
    PeriodDefault("return_window_working_days", "申请退回期限", 7, "working_days", "地方规定：5至10个工作日"),
    PeriodDefault("reply_months", "答复期限", 3, "months", "代表法第五十一条：自交办之日起三个月内答复"),
    PeriodDefault("complex_reply_months", "复杂建议答复期限", 6, "months", "代表法第五十一条：最长不超过六个月"),
    PeriodDefault("extension_cap_months", "延期办理上限（自交办起）", 6, "months", "代表法第五十一条"),
    PeriodDefault("cohandler_opinion_months", "协办单位意见期限", 1, "months", "地方规定：1至2个月"),
    PeriodDefault("deputy_contact_working_days", "与代表沟通期限", 20, "working_days", "部分地方规定"),
    PeriodDefault("evaluation_working_days", "代表评价期限", 15, "working_days", "地方规定：10至20个工作日"),
    PeriodDefault("evaluation_first_reminder_working_days", "代表评价首次提醒", 10, "working_days", "地方规定"),
    PeriodDefault("rehandling_months", "重新办理答复期限", 1, "months", "地方规定：1至2个月"),
    PeriodDefault("bill_min_cosigners", "议案最少联名代表人数", 10, "count", "县级以上人大代表十人以上联名"),
    PeriodDefault("committee_bill_report_months", "专门委员会审议议案报告期限", 3, "months", "地方规定"),
    PeriodDefault("overdue_listing_days", "逾期提交主任会议的天数", 15, "days", "本系统默认"),
    # Supervision (domain §3)
    PeriodDefault("opinion_issue_working_days", "审议意见交办期限（会后）", 5, "working_days", "地方规定：5至10个工作日"),
    PeriodDefault("opinion_report_months", "审议意见研究处理情况报告期限", 3, "months", "地方规定"),
    PeriodDefault("opinion_report_budget_months", "预算、审计类审议意见报告期限", 2, "months", "地方规定"),
    PeriodDefault("audit_rectification_months", "审计查出问题整改情况报告期限", 6, "months", "监督法第二十七条"),
    PeriodDefault("inspection_plan_notice_days", "执法检查方案提前送达天数", 10, "days", "本系统默认"),
    PeriodDefault("interpellation_min_members", "质询案最少联名人数", 5, "count", "监督法第三十五条：设区的市五人以上，县级三人以上"),
    PeriodDefault("filing_days", "规范性文件报备期限", 30, "days", "发布之日起三十日内报送备案"),
    PeriodDefault("filing_review_months", "主动审查期限", 3, "months", "地方规定"),
    PeriodDefault("filing_answer_days", "制定机关书面答复期限", 30, "days", "地方规定"),
    # Meetings (domain §5, Supervision Law art. 15)
    PeriodDefault("agenda_proposal_days", "会前提交议题建议", 30, "days", "本系统默认"),
    PeriodDefault("draft_report_days", "会前报送报告初稿", 20, "days", "监督法第十五条"),
    PeriodDefault("final_report_days", "会前报送报告正式稿", 10, "days", "监督法第十五条"),
    PeriodDefault("member_notice_days", "会前送达组成人员", 7, "days", "监督法第十五条"),
    # Reminder engine (domain §8)
    PeriodDefault("reminder_lookback_days", "提醒补发回溯天数", 7, "days", "本系统默认：停机后补发的最短回溯天数"),
    PeriodDefault("overdue_blue_days", "即将到期提示天数（蓝色）", 7, "days", "本系统默认"),
    # Plans (domain §4)
    PeriodDefault("plan_progress_day", "每月进度报送日", 5, "days", "本系统默认：每月5日前"),
]
DEFAULTS_BY_KEY = {d.key: d for d in DEFAULTS}
CACHE_KEY = "congress:periods"


def ensure_period_rows() -> None:
    """Create a row for every default that has none (after migrate, and in the admin)."""
    from congress.models import PeriodSetting

    existing = set(PeriodSetting.objects.values_list("key", flat=True))
    PeriodSetting.objects.bulk_create(
        [
            PeriodSetting(key=d.key, label=d.label, value=d.value, unit=d.unit, default_value=d.value, source=d.source)
            for d in DEFAULTS
            if d.key not in existing
        ]
    )
    cache.delete(CACHE_KEY)


def _load() -> dict[str, int]:
    from congress.models import PeriodSetting

    values = cache.get(CACHE_KEY)
    if values is None:
        try:
            values = dict(PeriodSetting.objects.values_list("key", "value"))
        except (OperationalError, ProgrammingError):  # before migrate
            values = {}
        cache.set(CACHE_KEY, values, 60)
    return values


def period(key: str) -> int:
    """The current value of a period, falling back to its default."""
    if key not in DEFAULTS_BY_KEY:
        raise KeyError(f"unknown period {key!r}")
    return _load().get(key, DEFAULTS_BY_KEY[key].value)


def clear_cache() -> None:
    cache.delete(CACHE_KEY)
