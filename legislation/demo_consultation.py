"""Demo data of public comment on drafts: one draft open for comment now, with a few
comments (some published, one waiting for review), and one closed draft whose comments
have been handled. The open draft belongs to the regulation of the same name in this
year's demo plan (legislation/demo.py), which is added to the plan at the drafting step
when the plan does not list it. Idempotent: a draft of the same title is left as it is."""

import datetime as dt
import re

from django.utils import timezone

from congress.workdays import today

from . import services_consultation as services
from . import services_projects as project_services
from .choices import Category, PlanKind, ProjectKind, ProjectStatus, Step
from .choices_consultation import CommentStatus, Handling
from .models import Consultation, LegislativePlan, PublicComment, RegulationProject

OPEN_TITLE = "江州市优化营商环境条例（草案）"
OPEN_TEXT = """江州市优化营商环境条例（草案）
第一章　总则
第一条　为了持续优化营商环境，激发市场主体活力，推动经济高质量发展，根据国务院《优化营商环境条例》等法律、法规，结合本市实际，制定本条例。
第二条　本条例适用于本市行政区域内的优化营商环境工作。
第三条　市、县（市、区）人民政府应当加强对优化营商环境工作的组织领导，建立健全统筹推进、督促落实的工作机制。
第二章　市场环境
第四条　本市实行全国统一的市场准入负面清单制度。市场准入负面清单以外的领域，各类市场主体均可以依法平等进入。
第五条　政府部门应当公开涉企收费目录清单，清单之外一律不得收费。
第三章　政务服务
第六条　本市推行“一网通办”，除法律、法规另有规定或者涉及国家秘密等情形外，政务服务事项应当全部纳入一体化政务服务平台办理。
第七条　政务服务机构应当设置“办不成事”反映窗口，受理企业和群众反映的办事难题。
第四章　附则
第八条　本条例自　年　月　日起施行。"""

CLOSED_TITLE = "江州市文明行为促进条例（草案）"
CLOSED_TEXT = """第一章　总则
第一条　为了培育和践行社会主义核心价值观，引导和促进文明行为，提升公民文明素养和社会文明程度，根据有关法律、法规，结合本市实际，制定本条例。
第二条　本条例适用于本市行政区域内文明行为的促进及其保障工作。
第二章　文明行为规范
第三条　公民应当遵守公共场所文明规范：排队有序，不大声喧哗，爱护公共设施。
第四条　公民应当遵守交通文明规范：机动车礼让行人，不乱停乱放，文明驾驶。
第五条　饲养犬只应当依法登记，出户时束犬链，及时清理犬只粪便。
第三章　附则
第六条　本条例自　年　月　日起施行。"""


OPEN_PROJECT = ("《江州市优化营商环境条例》", "财经委", "市发展和改革委员会")


def regulation_name(title: str) -> str:
    """A regulation's name without the marks around it: 《江州市X条例》（修订） and
    江州市X条例（草案） both read 江州市X条例."""
    name = re.sub(r"[（(](草案|修订|修正|修订草案|修正草案|征求意见稿)[）)]", "", title or "")
    return re.sub(r"[《》\s]", "", name)


def matching_project(title: str, year: int) -> RegulationProject | None:
    """The in-progress project of the year's annual plan whose name is the draft's."""
    name = regulation_name(title)
    for project in RegulationProject.objects.filter(plan__kind=PlanKind.ANNUAL, plan__year=year,
                                                    status=ProjectStatus.IN_PROGRESS).order_by("id"):
        if regulation_name(project.title) == name:
            return project
    return None


def _project_for_open_draft(ctx) -> RegulationProject | None:
    """The project the open draft belongs to, added to this year's demo plan if it is not there
    (only where the projects' demo made a plan: the module is on)."""
    year = ctx.get("year") or today().year
    project = matching_project(OPEN_TITLE, year)
    if project is not None:
        return project
    plan = LegislativePlan.objects.filter(kind=PlanKind.ANNUAL, year=year).first()
    legal = ctx.get("users", {}).get("legal")
    office = ctx.get("offices", {}).get(OPEN_PROJECT[1])
    if plan is None or legal is None or office is None:
        return None
    from .demo import _walk

    project = project_services.project_add(
        actor=legal, plan=plan, title=OPEN_PROJECT[0], category=Category.FIRST, kind=ProjectKind.ENACT,
        lead_office=office, drafting_body=OPEN_PROJECT[2], vice_chair=office.vice_chair,
    )
    _walk(project, Step.DRAFTING, legal, [], today())
    project.refresh_from_db()
    return project


def _link_open_draft(ctx) -> None:
    draft = Consultation.objects.filter(title=OPEN_TITLE, project__isnull=True).first()
    if draft is None:
        return
    project = _project_for_open_draft(ctx)
    if project is not None:
        services.consultation_update(actor=ctx["users"]["admin"], consultation=draft, version=draft.version,
                                     project=project, reason="关联立法项目")


def _comment(consultation, article, text, *, days_ago, status, name="", phone="", show_name=False, **extra):
    return PublicComment.objects.create(
        consultation=consultation, article=article, reference=services.new_reference(), text=text, name=name,
        phone=phone, show_name=show_name, received_at=timezone.now() - dt.timedelta(days=days_ago, hours=2),
        status=status, ip_hash=services.hash_address(f"192.0.2.{days_ago}"), **extra,
    )


def seed(ctx) -> None:
    offices, users = ctx["offices"], ctx["users"]
    on = today()
    if not Consultation.objects.filter(title=OPEN_TITLE).exists():
        draft = services.consultation_create(
            actor=users["admin"], title=OPEN_TITLE, office=offices["财经委"], draft_text=OPEN_TEXT,
            explanation="为贯彻落实国家优化营商环境的部署，巩固我市改革成果，市人民政府提请制定本条例。现将草案全文公布，征求社会各界意见。",
            start_date=on - dt.timedelta(days=10), end_date=on + dt.timedelta(days=25), review_before_publish=True,
        )
        draft = services.consultation_open(actor=users["admin"], consultation=draft, version=draft.version)
        articles = {a.number: a for a in draft.articles.all()}
        _comment(draft, articles["第五条"], "建议明确涉企收费目录清单的公开渠道和更新时限，便于企业查询。", days_ago=8,
                 status=CommentStatus.PUBLISHED, name="陈建国", phone="13800000001", show_name=True)
        _comment(draft, articles["第六条"], "建议对“一网通办”事项的办理时限作出规定，超时应当说明理由。", days_ago=6,
                 status=CommentStatus.PUBLISHED, phone="13800000002")
        _comment(draft, None, "草案总体很好，建议增加对中小微企业融资支持的内容。", days_ago=4, status=CommentStatus.PUBLISHED)
        _comment(draft, articles["第七条"], "“办不成事”窗口应当公布受理电话，并在三个工作日内答复。", days_ago=1,
                 status=CommentStatus.PENDING, name="刘芳", phone="13800000003")

    if not Consultation.objects.filter(title=CLOSED_TITLE).exists():
        start = on - dt.timedelta(days=75)
        closed = services.consultation_create(
            actor=users["admin"], title=CLOSED_TITLE, office=offices["法工委"], draft_text=CLOSED_TEXT,
            explanation="为促进文明行为，提升城市文明程度，制定本条例。", start_date=start,
            end_date=start + dt.timedelta(days=29), require_contact=True, review_before_publish=True,
        )
        Consultation.objects.filter(pk=closed.pk).update(published_at=timezone.now() - dt.timedelta(days=75))
        articles = {a.number: a for a in closed.articles.all()}
        admin = users["admin"]
        handled = [
            (articles["第三条"], "建议增加“公共场所不得随地吐痰”的内容。", Handling.ADOPTED, ""),
            (articles["第五条"], "建议对犬只粪便不清理的行为规定罚款数额。", Handling.PARTLY,
             "罚款数额已由《江州市养犬管理条例》规定，本条增加衔接性规定。"),
            (articles["第四条"], "建议禁止电动自行车在人行道上行驶。", Handling.NOT_ADOPTED,
             "道路交通安全法已有规定，本条例不再重复。"),
            (None, "希望条例多一些激励措施，少一些处罚。", Handling.ADOPTED, ""),
        ]
        for i, (article, text, handling, reason) in enumerate(handled):
            c = _comment(closed, article, text, days_ago=70 - i * 5, status=CommentStatus.PUBLISHED,
                         name=f"市民{i + 1}", phone=f"1390000000{i}")
            services.comment_handle(actor=admin, comment=c, handling=handling, reason=reason, version=c.version)

    _link_open_draft(ctx)
