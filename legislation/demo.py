"""Demo data of legislation: this year's legislative plan with five regulations at
different steps (one passed and published, one after its first reading, one being
drafted, one preparatory, one shelved), each reading an agenda item of a standing-
committee meeting already held; and a 法工委 account that keeps them.
Runs where the module is on (a 设区的市); idempotent."""

import datetime as dt

from congress.demo import _user
from congress.models import AgendaItem, Meeting
from congress.roles import Role

from . import services_projects as services
from .choices import Category, PlanKind, PlanStatus, ProjectKind, Step, step_sequence
from .gate import enabled
from .models import LegislativePlan, RegulationProject

PROJECTS = [
    # title, category, kind, lead office, drafting body, how far (step), shelved reason
    ("《江州市养犬管理条例》", Category.CONTINUED, ProjectKind.ENACT, "法工委", "市公安局", Step.PUBLICATION, ""),
    ("《江州市物业管理条例》（修订）", Category.FIRST, ProjectKind.AMEND, "城环工委", "市住房和城乡建设局",
     Step.FIRST_READING, ""),
    ("《江州市历史文化名城保护条例》", Category.FIRST, ProjectKind.ENACT, "教科文卫工委", "市自然资源和规划局",
     Step.DRAFTING, ""),
    ("《江州市养老服务条例》", Category.PREPARATORY, ProjectKind.ENACT, "社会建设工委", "市民政局", Step.INITIATION, ""),
    ("《江州市河道管理条例》", Category.FIRST, ProjectKind.ENACT, "城环工委", "市水利局", Step.INITIATION,
     "上位法正在修订，经主任会议研究暂缓审议"),
]


def _held_standing(ctx) -> list[Meeting]:
    return sorted(
        (m for m in ctx.get("meetings", []) if m.kind == Meeting.Kind.STANDING and m.status == Meeting.Status.HELD),
        key=lambda m: m.start_date,
    )


def seed(ctx) -> None:
    if not enabled():
        return
    year = ctx["year"]
    offices, users = ctx["offices"], ctx["users"]
    legal = _user("legal", "钟立法", Role.STAFF, office=offices["法工委"], title="委室工作人员（法制工作委员会）")
    users["legal"] = legal
    ctx["accounts"].append(("legal", "委室工作人员（法制工作委员会，立法项目）"))
    if LegislativePlan.objects.filter(kind=PlanKind.ANNUAL, year=year).exists():
        return
    plan = services.plan_create(
        actor=legal, kind=PlanKind.ANNUAL, year=year, status=PlanStatus.ADOPTED, adopted_on=dt.date(year, 1, 8),
        description="经市人大常委会主任会议讨论通过。",
    )
    meetings = _held_standing(ctx)
    for title, category, kind, office, drafter, until, reason in PROJECTS:
        project = services.project_add(
            actor=legal, plan=plan, title=title, category=category, kind=kind, lead_office=offices[office],
            drafting_body=drafter, vice_chair=offices[office].vice_chair,
        )
        _walk(project, until, legal, meetings, ctx["today"])
        if reason:
            project.refresh_from_db()
            services.project_shelve(actor=legal, project=project, reason=reason, version=project.version)


def _walk(project: RegulationProject, until: str, actor, meetings: list[Meeting], today: dt.date) -> None:
    """Take the project through its steps up to `until`, readings at the held meetings
    in turn (a step that would need a meeting not yet held stops the walk)."""
    seq = step_sequence()
    if until not in seq:
        return
    year = today.year
    day = dt.date(year, 1, 10)
    meeting_iter = iter(meetings)
    for step in seq[: seq.index(until) + 1]:
        agenda_item = None
        if step in (Step.FIRST_READING, Step.SECOND_READING, Step.THIRD_READING):
            meeting = next(meeting_iter, None)
            if meeting is None:
                return
            agenda_item = AgendaItem.objects.create(
                meeting=meeting, order=5, title=f"关于{project.title}草案的议案（{Step(step).label}）",
                kind=AgendaItem.Kind.REGULATION, lead_office=project.lead_office,
            )
            day = meeting.start_date
        elif step == Step.VOTE:
            day = day + dt.timedelta(days=1)
        else:
            day = day + dt.timedelta(days=12)
        if day > today:
            return
        project.refresh_from_db()
        services.project_advance(actor=actor, project=project, step=step, version=project.version, date=day,
                                 agenda_item=agenda_item)
        if step == Step.APPROVAL:
            approved = day + dt.timedelta(days=60)
            if approved > today:
                return
            project.refresh_from_db()
            services.project_record_approval(actor=actor, project=project, approved_on=approved, version=project.version)
            day = approved
