"""The deadlines of the legislative process (domain §9), with their sources. Each is an
installation setting (congress/settings.py, LEGISLATION_*), since a local 立法条例 may
set its own; the reminder rules (legislation/reminders.py) read them at scan time."""

from dataclasses import dataclass

from django.conf import settings

from congress.reminder_engine import DAYS, MONTHS, Offset


@dataclass(frozen=True)
class LegislationPeriod:
    setting: str
    label: str
    value: int  # the default, when the setting is absent
    unit: str  # days | months
    source: str = ""


PERIODS: list[LegislationPeriod] = [
    LegislationPeriod("LEGISLATION_APPROVAL_MONTHS", "省人大常委会审查批准期限", 4, MONTHS,
                      "立法法第八十一条：报请批准的地方性法规，省级人大常委会应在四个月内予以批准"),
    LegislationPeriod("LEGISLATION_FILING_DAYS", "地方性法规报送备案期限", 30, DAYS,
                      "立法法第一百零九条：公布后的三十日内报有关机关备案"),
    LegislationPeriod("LEGISLATION_READING_INTERVAL_MONTHS", "两次审议之间的间隔", 4, MONTHS,
                      "各地制定地方性法规条例规定；本系统默认四个月"),
    LegislationPeriod("LEGISLATION_PUBLICATION_DAYS", "批准后公布期限", 15, DAYS,
                      "各地制定地方性法规条例规定；本系统默认十五日"),
]
PERIODS_BY_SETTING = {p.setting: p for p in PERIODS}


def value(setting: str) -> int:
    return int(getattr(settings, setting, PERIODS_BY_SETTING[setting].value))


@dataclass(frozen=True)
class SettingOffset(Offset):
    """An offset whose amount is one of the settings above, read at scan time."""

    def value(self) -> int:
        return self.sign * value(str(self.amount))


def after_setting(setting: str) -> SettingOffset:
    return SettingOffset(setting, PERIODS_BY_SETTING[setting].unit, 1)
