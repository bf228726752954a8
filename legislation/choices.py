"""Kinds, categories, steps and statuses of legislative plans and regulation projects
(domain §9), with the order of the steps and the allowed transitions next to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    FIVE_YEAR = "five_year", _("立法规划")
    ANNUAL = "annual", _("年度立法计划")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    ADOPTED = "adopted", _("已通过")


class Category(models.TextChoices):
    CONTINUED = "continued", _("继续审议项目")
    FIRST = "first", _("初次审议项目")
    PREPARATORY = "preparatory", _("预备项目")
    RESEARCH = "research", _("调研项目")


class ProjectKind(models.TextChoices):
    ENACT = "enact", _("制定")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    PACKAGE = "package", _("打包修改")


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("推进中")
    CARRIED_OVER = "carried_over", _("已结转下年度")
    SHELVED = "shelved", _("已搁置")
    COMPLETED = "completed", _("已完成")


# Statuses that end a project in its plan: no more steps.
CLOSED_STATUSES = {ProjectStatus.CARRIED_OVER, ProjectStatus.SHELVED}


class Step(models.TextChoices):
    INITIATION = "initiation", _("立项")
    DRAFTING = "drafting", _("起草")
    SUBMISSION = "submission", _("提请审议")
    FIRST_READING = "first_reading", _("一审")
    SECOND_READING = "second_reading", _("二审")
    THIRD_READING = "third_reading", _("三审")
    VOTE = "vote", _("表决")
    APPROVAL = "approval", _("报省人大常委会批准")
    PUBLICATION = "publication", _("公布")
    EFFECTIVE = "effective", _("施行")
    EVALUATION = "evaluation", _("立法后评估")


READINGS = [Step.FIRST_READING, Step.SECOND_READING, Step.THIRD_READING]
# Steps heard at a standing-committee meeting: each is an agenda item there.
MEETING_STEPS = {*READINGS, Step.VOTE}


class DocumentKind(models.TextChoices):
    DRAFT = "draft", _("草案")
    EXPLANATION = "explanation", _("说明")
    DELIBERATION_REPORT = "deliberation_report", _("审议结果报告")
    REVISION_REPORT = "revision_report", _("修改情况报告")
    OTHER = "other", _("其他材料")


def readings() -> int:
    """Readings before the vote (setting LEGISLATION_READINGS: 3 by default, 2 allowed)."""
    value = int(getattr(settings, "LEGISLATION_READINGS", 3))
    return 2 if value == 2 else 3


def needs_approval() -> bool:
    """A 设区的市's regulation takes effect only once the province approves it (art. 81)."""
    return bool(getattr(settings, "LEGISLATION_NEEDS_APPROVAL", True))


def step_sequence() -> list[str]:
    """The steps of a regulation in order, for this installation: 立项 → 起草 → 提请审议 →
    一审 → 二审 → (三审) → 表决 → (报省人大常委会批准) → 公布 → 施行 → 立法后评估."""
    steps = [Step.INITIATION, Step.DRAFTING, Step.SUBMISSION, *READINGS[: readings()], Step.VOTE]
    if needs_approval():
        steps.append(Step.APPROVAL)
    steps += [Step.PUBLICATION, Step.EFFECTIVE, Step.EVALUATION]
    return [str(s) for s in steps]


def next_step(current: str | None) -> str | None:
    """The one step that may follow `current` (None: the project has no step yet)."""
    seq = step_sequence()
    if not current:
        return seq[0]
    try:
        i = seq.index(current)
    except ValueError:
        return None
    return seq[i + 1] if i + 1 < len(seq) else None


def can_advance(current: str | None, target: str) -> bool:
    return next_step(current) == target


def step_index(step: str | None) -> int:
    seq = step_sequence()
    return seq.index(step) if step in seq else -1
