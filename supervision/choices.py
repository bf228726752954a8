"""Supervision types, statuses and their transitions, and the step table of each type.

The step tables are data: each step names the date it counts from (its anchor) and the
configurable period of congress/periods.py that sets its deadline, so a reader can check
every deadline against domain §3 and §8 without reading the services."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionType(models.TextChoices):
    SPECIAL_REPORT = "special_report", _("听取和审议专项工作报告")
    LAW_INSPECTION = "law_inspection", _("执法检查")
    SPECIAL_INQUIRY = "special_inquiry", _("专题询问")
    FACE_INQUIRY = "face_inquiry", _("面对面询问")
    INTERPELLATION = "interpellation", _("质询")
    SPECIAL_INVESTIGATION = "special_investigation", _("特定问题调查")
    INSPECTION_VISIT = "inspection_visit", _("视察")
    RESEARCH = "research", _("调研")
    WORK_APPRAISAL = "work_appraisal", _("工作评议")
    PERFORMANCE_APPRAISAL = "performance_appraisal", _("履职评议")
    BUDGET_REVIEW = "budget_review", _("预算、决算审查")
    AUDIT_RECTIFICATION = "audit_rectification", _("审计查出问题整改")
    FILING_REVIEW = "filing_review", _("规范性文件备案审查")
    LIVELIHOOD = "livelihood", _("民生实事项目票决")
    RESOLUTION_FOLLOW_UP = "resolution_follow_up", _("决议决定执行监督")


# Types whose hearing is followed by the deliberation-opinion loop (domain §3).
OPINION_LOOP_TYPES = frozenset(
    {
        SupervisionType.SPECIAL_REPORT,
        SupervisionType.LAW_INSPECTION,
        SupervisionType.SPECIAL_INQUIRY,
        SupervisionType.FACE_INQUIRY,
        SupervisionType.SPECIAL_INVESTIGATION,
        SupervisionType.WORK_APPRAISAL,
        SupervisionType.PERFORMANCE_APPRAISAL,
        SupervisionType.BUDGET_REVIEW,
        SupervisionType.AUDIT_RECTIFICATION,
        SupervisionType.RESOLUTION_FOLLOW_UP,
    }
)
# Budget and audit opinions are answered sooner: 2 months instead of 3 [local].
BUDGET_TYPES = frozenset({SupervisionType.BUDGET_REVIEW, SupervisionType.AUDIT_RECTIFICATION})
# "三查(察)" in the year-end report counts 视察 + 调研 + 检查 together (domain §3).
THREE_CHECKS_TYPES = frozenset(
    {SupervisionType.INSPECTION_VISIT, SupervisionType.RESEARCH, SupervisionType.LAW_INSPECTION}
)
INQUIRY_TYPES = frozenset({SupervisionType.SPECIAL_INQUIRY, SupervisionType.FACE_INQUIRY})
APPRAISAL_TYPES = frozenset({SupervisionType.WORK_APPRAISAL, SupervisionType.PERFORMANCE_APPRAISAL})
# Reports of the bodies heard at a meeting ("听取和审议‘一府一委两院’工作报告x项").
REPORT_TYPES = frozenset(
    {
        SupervisionType.SPECIAL_REPORT,
        SupervisionType.LAW_INSPECTION,
        SupervisionType.BUDGET_REVIEW,
        SupervisionType.AUDIT_RECTIFICATION,
        SupervisionType.SPECIAL_INQUIRY,
        SupervisionType.FACE_INQUIRY,
    }
)


class FinanceKind(models.TextChoices):
    """What a budget-review item examines; the finance calendar depends on it."""

    BUDGET_ADJUSTMENT = "budget_adjustment", _("预算调整方案")
    FINAL_ACCOUNTS = "final_accounts", _("决算（含审计工作报告）")
    MIDYEAR_EXECUTION = "midyear_execution", _("上半年计划和预算执行情况")
    STATE_ASSETS = "state_assets", _("国有资产管理情况")
    GOVERNMENT_DEBT = "government_debt", _("政府债务管理情况")
    OTHER = "other", _("其他")


# Supervision Law art. 17-18: final accounts and first-half execution are heard at a
# session between June and September.
SUMMER_FINANCE_KINDS = frozenset({FinanceKind.FINAL_ACCOUNTS, FinanceKind.MIDYEAR_EXECUTION})


class InspectionForm(models.TextChoices):
    MEETING = "meeting", _("座谈汇报")
    SITE = "site", _("实地检查")
    THIRD_PARTY = "third_party", _("第三方评估")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    SPOT_CHECK = "spot_check", _("随机抽查")
    JOINT = "joint", _("市县联动")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("实施中")
    HEARD = "heard", _("已审议")
    OPINIONS_ISSUED = "opinions_issued", _("审议意见已交办")
    REPORTED = "reported", _("已报告处理情况")
    FOLLOW_UP = "follow_up", _("跟踪监督")
    CLOSED = "closed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


# Manual transitions of an item. The opinion loop moves HEARD → OPINIONS_ISSUED →
# REPORTED by its own services; staff may still set these by hand (e.g. a report heard
# before the system was used).
ITEM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ItemStatus.PLANNED: (ItemStatus.IN_PROGRESS, ItemStatus.HEARD, ItemStatus.CANCELLED),
    ItemStatus.IN_PROGRESS: (ItemStatus.HEARD, ItemStatus.CLOSED, ItemStatus.CANCELLED, ItemStatus.PLANNED),
    ItemStatus.HEARD: (ItemStatus.OPINIONS_ISSUED, ItemStatus.FOLLOW_UP, ItemStatus.CLOSED),
    ItemStatus.OPINIONS_ISSUED: (ItemStatus.REPORTED, ItemStatus.FOLLOW_UP),
    ItemStatus.REPORTED: (ItemStatus.FOLLOW_UP, ItemStatus.CLOSED, ItemStatus.OPINIONS_ISSUED),
    ItemStatus.FOLLOW_UP: (ItemStatus.CLOSED, ItemStatus.OPINIONS_ISSUED),
    ItemStatus.CLOSED: (ItemStatus.FOLLOW_UP,),
    ItemStatus.CANCELLED: (ItemStatus.PLANNED,),
}
OPEN_STATUSES = frozenset(set(ItemStatus.values) - {ItemStatus.CLOSED, ItemStatus.CANCELLED})


class OpinionStatus(models.TextChoices):
    COMPILING = "compiling", _("汇总中")
    APPROVED = "approved", _("主任会议已通过")
    ISSUED = "issued", _("已交办")
    REPORTED = "reported", _("已报告处理情况")
    CLOSED = "closed", _("跟踪完毕")


OPINION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OpinionStatus.COMPILING: (OpinionStatus.APPROVED,),
    OpinionStatus.APPROVED: (OpinionStatus.ISSUED,),
    OpinionStatus.ISSUED: (OpinionStatus.REPORTED,),
    OpinionStatus.REPORTED: (OpinionStatus.CLOSED,),
    OpinionStatus.CLOSED: (),
}


class VoteResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


VOTE_RULE_TEXT = _(
    "测评规则：满意票超过全体组成人员半数为“满意”；满意票未超过半数，但满意与基本满意票之和超过半数为“基本满意”；"
    "否则为“不满意”，须整改后再次报告。"
)


class RectificationKind(models.TextChoices):
    DEADLINE = "deadline", _("限期整改")
    ONGOING = "ongoing", _("持续整改")


class ProblemStatus(models.TextChoices):
    PENDING = "pending", _("未整改")
    IN_PROGRESS = "in_progress", _("整改中")
    EVIDENCE_SUBMITTED = "evidence_submitted", _("已报送整改材料")
    RECTIFIED = "rectified", _("已整改（对账销号）")


class ProjectStatus(models.TextChoices):
    CANDIDATE = "candidate", _("候选项目")
    ELECTED = "elected", _("票决通过")
    NOT_ELECTED = "not_elected", _("未通过")
    COMPLETED = "completed", _("已完成")


class AnswerForm(models.TextChoices):
    ORAL = "oral", _("口头答复")
    WRITTEN = "written", _("书面答复")


class FilingStatus(models.TextChoices):
    FILED = "filed", _("已报备")
    REVIEWING = "reviewing", _("审查中")
    NO_ISSUE = "no_issue", _("未发现问题")
    OPINION_SENT = "opinion_sent", _("已提出审查意见")
    CORRECTED = "corrected", _("已纠正")


# --- Deadline rules ----------------------------------------------------------------

class Anchor(models.TextChoices):
    """The stored dates steps count from."""

    HEARING = "hearing", _("审议日期")
    FIELDWORK_START = "fieldwork_start", _("开始日期")
    FIELDWORK_END = "fieldwork_end", _("结束日期")
    OPINIONS_ISSUED = "opinions_issued", _("审议意见交办日期")
    AUDIT_REPORT = "audit_report", _("审计工作报告审议日期")
    YEAR_MIDDLE = "year_middle", _("年中（6月30日）")
    YEAR_END = "year_end", _("年末（12月31日）")


@dataclass(frozen=True)
class DeadlineRule:
    """`anchor` ± a period. `period_key` names a congress/periods.py setting; `unit`
    is days, working_days or months; `before` counts backwards (T-20 before a meeting)."""

    anchor: str
    period_key: str | None = None
    unit: str = "days"
    before: bool = False
    fixed: int | None = None  # when the rule has no configurable period (e.g. on the day)

    def describe(self) -> str:
        return f"{self.anchor}{'-' if self.before else '+'}{self.period_key or self.fixed or 0}{self.unit}"


@dataclass(frozen=True)
class StepDef:
    code: str
    label: str
    rule: DeadlineRule | None = None
    optional: bool = False
    source: str = ""  # where the deadline comes from, shown beside it


ON_HEARING = DeadlineRule(Anchor.HEARING, fixed=0)
DRAFT_T20 = DeadlineRule(Anchor.HEARING, "draft_report_days", before=True)
FINAL_T10 = DeadlineRule(Anchor.HEARING, "final_report_days", before=True)
NOTICE_T7 = DeadlineRule(Anchor.HEARING, "member_notice_days", before=True)
ISSUE_OPINIONS = DeadlineRule(Anchor.HEARING, "opinion_issue_working_days", unit="working_days")
HANDLING_REPORT = DeadlineRule(Anchor.OPINIONS_ISSUED, "opinion_report_months", unit="months")
HANDLING_REPORT_BUDGET = DeadlineRule(Anchor.OPINIONS_ISSUED, "opinion_report_budget_months", unit="months")
PLAN_NOTICE = DeadlineRule(Anchor.FIELDWORK_START, "inspection_plan_notice_days", before=True)
AUDIT_REPORT = DeadlineRule(Anchor.AUDIT_REPORT, "audit_rectification_months", unit="months")
ON_START = DeadlineRule(Anchor.FIELDWORK_START, fixed=0)
ON_END = DeadlineRule(Anchor.FIELDWORK_END, fixed=0)
MID_YEAR = DeadlineRule(Anchor.YEAR_MIDDLE, fixed=0)
YEAR_END = DeadlineRule(Anchor.YEAR_END, fixed=0)

S15 = _("监督法第十五条")
LOCAL = _("地方规定")

PREPARATION_STEPS = [
    StepDef("draft_report", _("报告初稿报送常委会"), DRAFT_T20, source=S15),
    StepDef("final_report", _("报告正式稿报送常委会"), FINAL_T10, source=S15),
    StepDef("member_notice", _("报告送达组成人员"), NOTICE_T7, source=S15),
    StepDef("heard", _("常委会会议审议"), ON_HEARING),
]


def opinion_loop(budget: bool = False) -> list[StepDef]:
    """The deliberation-opinion loop after a hearing (domain §3)."""
    return [
        StepDef("compile_opinions", _("汇总审议意见")),
        StepDef("approve_opinions", _("主任会议通过审议意见")),
        StepDef("issue_opinions", _("审议意见交办"), ISSUE_OPINIONS, source=LOCAL),
        StepDef(
            "handling_report",
            _("研究处理情况报告"),
            HANDLING_REPORT_BUDGET if budget else HANDLING_REPORT,
            source=LOCAL,
        ),
        StepDef("satisfaction_vote", _("满意度测评"), optional=True),
        StepDef("follow_up", _("跟踪监督"), optional=True),
    ]


STEP_TABLE: dict[str, list[StepDef]] = {
    SupervisionType.SPECIAL_REPORT: [
        StepDef("topic", _("确定议题和报告机关")),
        StepDef("prior_research", _("会前视察调研"), ON_END, optional=True),
        *PREPARATION_STEPS,
        *opinion_loop(),
    ],
    SupervisionType.LAW_INSPECTION: [
        StepDef("inspection_plan", _("制定执法检查方案")),
        StepDef("plan_sent", _("检查方案送被检查单位"), PLAN_NOTICE, source=_("本系统默认：提前10日")),
        StepDef("fieldwork", _("开展检查"), ON_START),
        StepDef("fieldwork_done", _("检查结束"), ON_END),
        *PREPARATION_STEPS,
        *opinion_loop(),
    ],
    SupervisionType.SPECIAL_INQUIRY: [
        StepDef("question_list", _("拟定询问问题清单"), FINAL_T10),
        StepDef("draft_report", _("相关报告初稿报送常委会"), DRAFT_T20, source=S15),
        StepDef("heard", _("开展专题询问"), ON_HEARING),
        *opinion_loop(),
    ],
    SupervisionType.FACE_INQUIRY: [
        StepDef("question_list", _("拟定询问问题清单"), FINAL_T10),
        StepDef("heard", _("开展面对面询问"), ON_HEARING),
        *opinion_loop(),
    ],
    SupervisionType.INTERPELLATION: [
        StepDef("received", _("收到质询案")),
        StepDef("answer", _("受质询机关答复"), ON_HEARING),
        StepDef("second_answer", _("再次答复（过半数提案人不满意时）"), optional=True),
    ],
    SupervisionType.SPECIAL_INVESTIGATION: [
        StepDef("committee_formed", _("成立调查委员会")),
        StepDef("investigation", _("开展调查"), ON_START),
        StepDef("report", _("调查报告提请审议"), ON_HEARING),
        StepDef("resolution", _("作出决议决定"), optional=True),
        *opinion_loop(),
    ],
    SupervisionType.INSPECTION_VISIT: [
        StepDef("plan", _("制定视察方案")),
        StepDef("fieldwork", _("开展视察"), ON_START),
        StepDef("report", _("形成视察报告"), ON_END),
    ],
    SupervisionType.RESEARCH: [
        StepDef("plan", _("制定调研方案")),
        StepDef("fieldwork", _("开展调研"), ON_START),
        StepDef("report", _("形成调研报告"), ON_END),
    ],
    SupervisionType.WORK_APPRAISAL: [
        StepDef("prepare", _("准备阶段：制定评议方案")),
        StepDef("investigate", _("调查阶段：调查走访、问卷"), ON_START),
        StepDef("draft_report", _("被评议单位报告初稿"), DRAFT_T20, source=S15),
        StepDef("heard", _("评议阶段：会议评议和测评"), ON_HEARING),
        *opinion_loop(),
        StepDef("rectification", _("整改阶段：整改情况报告"), optional=True),
    ],
    SupervisionType.PERFORMANCE_APPRAISAL: [
        StepDef("prepare", _("准备阶段：确定评议对象")),
        StepDef("investigate", _("调查阶段：述职报告、调查"), ON_START),
        StepDef("heard", _("评议阶段：述职和测评"), ON_HEARING),
        *opinion_loop(),
        StepDef("rectification", _("整改阶段：整改情况报告"), optional=True),
    ],
    SupervisionType.BUDGET_REVIEW: [
        # Final accounts and first-half execution are heard between June and September
        # (Supervision Law art. 17-18): the session must be chosen by the end of Q2.
        StepDef("schedule", _("安排审议会议（决算、上半年执行情况须在6至9月审议）"), MID_YEAR, optional=True,
                source=_("监督法第十七条、第十八条")),
        StepDef("preliminary_review", _("初步审查"), DRAFT_T20),
        StepDef("final_report", _("报告正式稿报送常委会"), FINAL_T10, source=S15),
        StepDef("heard", _("常委会会议审查"), ON_HEARING),
        *opinion_loop(budget=True),
    ],
    SupervisionType.AUDIT_RECTIFICATION: [
        StepDef("problem_list", _("审计查出问题清单")),
        StepDef("rectification_report", _("整改情况报告提请审议"), AUDIT_REPORT, source=_("监督法第二十七条")),
        StepDef("heard", _("常委会会议审议整改情况报告"), ON_HEARING),
        *opinion_loop(budget=True),
    ],
    SupervisionType.FILING_REVIEW: [
        StepDef("collect", _("接收报备文件")),
        StepDef("review", _("审查"), ON_END),
        StepDef("annual_report", _("年度备案审查工作报告"), YEAR_END),
    ],
    SupervisionType.LIVELIHOOD: [
        StepDef("candidates", _("征集候选项目")),
        StepDef("vote", _("人代会代表票决"), ON_HEARING),
        StepDef("plan", _("年初问计划")),
        StepDef("midyear", _("年中问进度"), MID_YEAR),
        StepDef("year_end", _("年末问结果"), YEAR_END),
        StepDef("satisfaction_vote", _("满意度测评"), optional=True),
    ],
    SupervisionType.RESOLUTION_FOLLOW_UP: [
        StepDef("resolution", _("决议决定通过")),
        StepDef("implementation", _("执行情况跟踪"), ON_END),
        StepDef("heard", _("听取执行情况报告"), ON_HEARING),
        *opinion_loop(),
    ],
}


def steps_for(kind: str) -> list[StepDef]:
    return STEP_TABLE.get(kind, [])


def step_def(kind: str, code: str) -> StepDef | None:
    for step in steps_for(kind):
        if step.code == code:
            return step
    return None
