"""Demo data: the current session's suggestions in every state, two bills, deputies'
activities and receptions, citizens' opinions. deputy1 (赵丽萍) and deputy2 (孙志强) lead
items; unit1_* (市教育局) and unit2_* (市住建局) handle them; some are overdue.

Built directly (most demo deputies have no account to act through the services), with
history entries and inbox messages so every page and home widget has something to show."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from congress.history import record_change, snapshot
from congress.models import AuditEntry
from congress.notifications import Level, notify
from congress.periods import period
from congress.workdays import add_working_days, deadline_after_months

from . import services as svc
from .choices import (
    ActivityKind,
    AssignmentRole,
    AssignmentStatus,
    BillStatus,
    ClosingKind,
    CoSignStatus,
    FollowUpStatus,
    KeyLevel,
    OpinionStatus,
    Period,
    Rating,
    ReplyStatus,
    RequestStatus,
)
from .choices import SuggestionStatus as S
from .models import (
    Activity,
    Assignment,
    Bill,
    CitizenOpinion,
    CoSignature,
    Evaluation,
    ExtensionRequest,
    FollowUp,
    Reply,
    ReplyCategory,
    ReturnRequest,
    SerialCounter,
    Suggestion,
    SuggestionCategory,
)

EDU, HOUSING = "江州市教育局", "江州市住房和城乡建设局"

# title, category, lead, co-signers, unit, co-unit, state, extra
ITEMS = [
    ("关于化解城区义务教育学校大班额问题的建议", "教科文卫", "赵丽萍", ["黄美玲", "曹玉兰"], EDU, None, S.CLOSED, {"code": "A", "rating": Rating.SATISFIED}),
    ("关于加强中小学心理健康教育的建议", "教科文卫", "赵丽萍", ["马晓燕"], EDU, "江州市卫生健康委员会", S.REPLIED, {"code": "B"}),
    ("关于推进老旧小区加装电梯的建议", "城建环资", "孙志强", ["梁静"], HOUSING, None, S.CLOSED, {"code": "B", "rating": Rating.BASIC, "followup": True}),
    ("关于规范住宅小区物业服务收费的建议", "城建环资", "孙志强", [], HOUSING, "江州市市场监督管理局", S.IN_PROGRESS, {"overdue": 40}),
    ("关于增加城区公办幼儿园学位供给的建议", "教科文卫", "黄美玲", ["赵丽萍"], EDU, None, S.IN_PROGRESS, {"overdue": 170, "key": KeyLevel.DIRECTOR}),
    ("关于加快保障性租赁住房建设的建议", "城建环资", "何建国", ["孙志强"], HOUSING, None, S.IN_PROGRESS, {"overdue": 8}),
    ("关于完善课后延时服务保障机制的建议", "教科文卫", "赵丽萍", [], EDU, None, S.ASSIGNED, {"recess": 2}),
    ("关于整治城中村违法建设的建议", "城建环资", "宋立新", [], HOUSING, None, S.ASSIGNED, {"recess": 1}),
    ("关于加强农村留守儿童关爱服务的建议", "社会建设", "高秀英", [], "江州市民政局", EDU, S.IN_PROGRESS, {"recess": 25, "co_pending": True}),
    ("关于提升城市排水防涝能力的建议", "城建环资", "孙志强", ["何建国"], HOUSING, None, S.IN_PROGRESS, {"recess": 80, "extension": True}),
    ("关于优化中小学校车接送服务的建议", "教科文卫", "林志远", [], EDU, "江州市交通运输局", S.RETURN_REQUESTED, {"recess": 3, "return": True}),
    ("关于加快职业教育产教融合的建议", "教科文卫", "宋立新", ["赵丽萍", "何建国"], EDU, None, S.CLOSED, {"code": "C", "rating": Rating.BASIC, "followup": True}),
    ("关于推进城市生活垃圾分类的建议", "城建环资", "梁静", [], "江州市生态环境局", HOUSING, S.CLOSED, {"code": "A", "rating": Rating.SATISFIED}),
    ("关于加强校园食品安全监管的建议", "教科文卫", "马晓燕", [], "江州市市场监督管理局", EDU, S.CLOSED, {"code": "A", "no_feedback": True}),
    ("关于改善城区停车难问题的建议", "城建环资", "孙志强", [], "江州市交通运输局", None, S.REPLIED, {"code": "B"}),
    ("关于加强乡村教师队伍建设的建议", "教科文卫", "高秀英", ["林志远"], EDU, None, S.REHANDLING, {"code": "C"}),
    ("关于加快城市燃气管网改造的建议", "城建环资", "何建国", [], HOUSING, None, S.REPLIED, {"code": "A"}),
    ("关于提高基层医疗机构服务能力的建议", "教科文卫", "钱文斌", [], "江州市卫生健康委员会", None, S.CLOSED, {"code": "B", "rating": Rating.SATISFIED}),
    ("关于发展社区嵌入式养老服务的建议", "社会建设", "曹玉兰", ["赵丽萍"], "江州市民政局", None, S.IN_PROGRESS, {"recess": 40, "key": KeyLevel.VICE_DIRECTOR}),
    ("关于推动茶产业高质量发展的建议", "农业农村", "高秀英", [], "江州市农业农村局", None, S.CLOSED, {"code": "A", "rating": Rating.SATISFIED}),
    ("关于加强中小学体育场地开放共享的建议", "教科文卫", "赵丽萍", [], None, None, S.ACCEPTED, {"recess": 4, "suggested": EDU}),
    ("关于规范建筑工地扬尘治理的建议", "城建环资", "孙志强", [], None, None, S.ACCEPTED, {"recess": 5, "suggested": HOUSING}),
    ("关于缓解城区学校大班额问题的建议", "教科文卫", "黄美玲", [], None, None, S.UNDER_REVIEW, {"recess": 3}),
    ("关于完善新就业形态劳动者权益保障的建议", "社会建设", "罗振华", [], None, None, S.UNDER_REVIEW, {"recess": 2}),
    ("关于建设城市口袋公园的建议", "城建环资", "孙志强", ["赵丽萍"], None, None, S.SUBMITTED, {"recess": 1}),
    ("关于加强青少年近视防控工作的建议", "教科文卫", "赵丽萍", ["孙志强"], None, None, S.DRAFT, {"invite_pending": True}),
    ("关于为本人子女解决入学问题的建议", "其他", "罗振华", [], None, None, S.REJECTED, {"reason": "属于个人事务，不作为建议处理。"}),
    ("关于解决城区学校班额过大的建议", "教科文卫", "唐雪梅", [], None, None, S.MERGED, {}),
    ("关于增设城区公共自行车站点的建议", "城建环资", "梁静", [], None, None, S.WITHDRAWN, {}),
    ("关于加快推进中小学智慧校园建设的建议", "教科文卫", "赵丽萍", [], EDU, None, S.IN_PROGRESS, {"recess": 60, "due_soon": True}),
]

REPLY_TEXT = (
    "{deputy}代表：\n您提出的《{title}》收悉。我们高度重视，经认真研究，现答复如下：\n"
    "一、关于现状。……\n二、关于下一步工作。……\n感谢您对我们工作的关心和支持。"
)


def _note(obj, actor, summary, reason=""):
    record_change(obj=obj, actor=actor, action=AuditEntry.Action.TRANSITION, summary=summary, reason=reason)


def seed(ctx) -> None:
    session = svc.current_session(ctx["today"]) or ctx["session"]
    if Suggestion.objects.filter(session=session).exists():
        return
    today = ctx["today"]
    users, units, offices = ctx["users"], ctx["units"], ctx["offices"]
    deputies = {d.name: d for d in ctx["deputies"]}
    cats = {c.name: c for c in SuggestionCategory.objects.all()}
    codes = {c.code: c for c in ReplyCategory.objects.all()}
    office_user, clerk1, head1 = users["assign"], users["unit1_clerk"], users["unit1_head"]
    heads = {EDU: head1, HOUSING: users["unit2_head"]}
    clerks = {EDU: clerk1, HOUSING: users["unit2_clerk"]}
    # The assignment meeting (交办会) about a month after the session.
    meeting_day = min(session.end_date + dt.timedelta(days=25), today - dt.timedelta(days=1))
    serial = 0
    created = {}
    for title, cat, lead, cos, unit_name, co_name, state, extra in ITEMS:
        recess = extra.get("recess")
        received = today - dt.timedelta(days=recess) if recess else session.start_date + dt.timedelta(days=1)
        assigned_on = received + dt.timedelta(days=1) if recess else meeting_day
        if extra.get("overdue"):
            assigned_on = today - dt.timedelta(days=extra["overdue"] + 92)
        if extra.get("due_soon"):
            assigned_on = deadline_after_months(today + dt.timedelta(days=5), -period("reply_months"))
        lead_dep = deputies[lead]
        s = Suggestion(
            term=session.term, session=session, period=Period.RECESS if recess else Period.SESSION, title=title,
            situation=f"{title.removeprefix('关于').removesuffix('的建议')}方面，群众反映较多，现状与需求仍有差距。",
            proposal="一是加大投入；二是完善机制；三是加强督促检查。", lead_deputy=lead_dep, category=cats.get(cat),
            created_by=lead_dep.user, status=state,
        )
        if state != S.DRAFT:
            s.submitted_at = timezone.make_aware(dt.datetime.combine(received, dt.time(10)))
            s.received_on = received
        if state not in (S.DRAFT, S.SUBMITTED, S.WITHDRAWN):
            serial += 1
            s.serial = serial
            s.registered_on = received
            s.accepted_on = received
        if extra.get("suggested"):
            s.suggested_unit = units[extra["suggested"]]
        if state == S.REJECTED:
            s.review_reason = extra["reason"]
        s.save()
        created[title] = s
        record_change(obj=s, actor=lead_dep.user, action=AuditEntry.Action.CREATE, after=snapshot(s), summary="提交建议")
        for name in cos:
            CoSignature.objects.create(suggestion=s, deputy=deputies[name],
                                       status=CoSignStatus.INVITED if extra.get("invite_pending") else CoSignStatus.CONFIRMED)
        if s.serial:
            _note(s, office_user, f"登记编号 {s.number}")
        if unit_name:
            _handle(s, units, codes, unit_name, co_name, state, extra, assigned_on, today, users, clerks, heads)
    # The merged duplicate points at the first big-class item.
    dup = created["关于解决城区学校班额过大的建议"]
    dup.merged_into = created["关于化解城区义务教育学校大班额问题的建议"]
    dup.save()
    _note(dup, office_user, f"并入{dup.merged_into.number}办理")
    SerialCounter.objects.update_or_create(session=session, kind="suggestion", defaults={"last": serial})
    _key(created, users, offices)
    _bills(session, deputies, users, offices, today)
    _activities(ctx, deputies, units, users, today)
    _code_opinions(users)
    _inboxes(created, users, units)


def _handle(s, units, codes, unit_name, co_name, state, extra, assigned_on, today, users, clerks, heads):
    unit = units[unit_name]
    due = svc.reply_due_for(assigned_on, False)
    plan = [(unit, AssignmentRole.LEAD)] + ([(units[co_name], AssignmentRole.CO)] if co_name else [])
    lead_a = None
    for u, role in plan:
        a_due = due if role == AssignmentRole.LEAD else deadline_after_months(assigned_on, period("cohandler_opinion_months"))
        signed = state != S.ASSIGNED
        a = Assignment.objects.create(
            suggestion=s, unit=u, role=role, assigned_on=assigned_on, due_date=a_due, original_due_date=a_due,
            return_deadline=add_working_days(assigned_on, period("return_window_working_days")),
            status=AssignmentStatus.SIGNED if signed else AssignmentStatus.ASSIGNED,
            signed_at=timezone.make_aware(dt.datetime.combine(assigned_on + dt.timedelta(days=2), dt.time(9))) if signed else None,
        )
        if role == AssignmentRole.CO and signed and not extra.get("co_pending"):
            a.status = AssignmentStatus.OPINION_SUBMITTED
            a.opinion = "同意主办单位的办理意见，我单位将积极配合。"
            a.opinion_submitted_at = a.signed_at
            a.save()
        if role == AssignmentRole.LEAD:
            lead_a = a
    s.assigned_on, s.due_date = assigned_on, due
    office = users["assign"]
    _note(s, office, f"交办：{unit_name}（主办）" + (f"；{co_name}（协办）" if co_name else "") + f"，答复期限{due}")
    if state != S.ASSIGNED:
        _note(s, clerks.get(unit_name), f"{unit_name}签收")
    if extra.get("return"):
        lead_a.status = AssignmentStatus.RETURN_REQUESTED
        lead_a.save()
        ReturnRequest.objects.create(assignment=lead_a, suggestion=s, reason="校车接送涉及交通运输部门职责，建议改由市交通运输局主办。",
                                     suggested_unit=units["江州市交通运输局"], previous_status=AssignmentStatus.SIGNED,
                                     requested_by=users["unit1_clerk"])
    if extra.get("extension"):
        ExtensionRequest.objects.create(assignment=lead_a, suggestion=s, reason="排水管网改造需结合明年财政预算统筹安排。",
                                        requested_due=min(due + dt.timedelta(days=45), svc.extension_cap(lead_a)),
                                        requested_by=users["unit2_clerk"], status=RequestStatus.PENDING)
    if state in (S.REPLIED, S.CLOSED, S.REHANDLING):
        replied = today - dt.timedelta(days=6) if state == S.REPLIED else min(due - dt.timedelta(days=10), today - dt.timedelta(days=40))
        reply = Reply.objects.create(
            suggestion=s, assignment=lead_a, round=1, status=ReplyStatus.SENT, category=codes[extra["code"]],
            text=REPLY_TEXT.format(deputy=s.lead_deputy.name, title=s.title), signer=heads.get(unit_name, "单位负责人").__str__(),
            sent_on=replied, drafted_by=clerks.get(unit_name), approved_by=heads.get(unit_name),
        )
        svc._attach(obj=reply, actor=clerks.get(unit_name), file=ContentFile(b"%PDF-1.4\n% demo reply letter\n", name="答复函.pdf"),
                    kind=svc.LETTER_KIND)
        lead_a.status = AssignmentStatus.REPLIED
        lead_a.replied_on = lead_a.first_replied_on = replied
        lead_a.category = reply.category
        lead_a.save()
        s.first_replied_on = s.replied_on = replied
        s.replied_on_time = replied <= due
        s.evaluation_due = add_working_days(replied, period("evaluation_working_days"))
        _note(s, heads.get(unit_name), f"{unit_name}答复（{reply.category.code}类）")
        if state == S.CLOSED:
            if extra.get("no_feedback"):
                Evaluation.objects.create(reply=reply, suggestion=s, assignment=lead_a, round=1, no_feedback=True)
                s.closing = ClosingKind.NO_FEEDBACK
            else:
                Evaluation.objects.create(reply=reply, suggestion=s, assignment=lead_a, round=1, deputy=s.lead_deputy,
                                          attitude=Rating.SATISFIED, result=extra["rating"], comment="办理认真，沟通充分。")
                s.closing = ClosingKind.EVALUATED
                _note(s, s.lead_deputy.user, f"代表评价：结果{Rating(extra['rating']).label}")
            s.closed_on = s.evaluation_due
            if extra.get("followup"):
                for i, days in enumerate((40, -20)):
                    FollowUp.objects.create(suggestion=s, assignment=lead_a, text=["年内完成项目立项", "完成首批试点"][i],
                                            due_date=today + dt.timedelta(days=days), year=today.year,
                                            status=FollowUpStatus.OPEN, created_by=users["assign"])
        if state == S.REHANDLING:
            Evaluation.objects.create(reply=reply, suggestion=s, assignment=lead_a, round=1, deputy=s.lead_deputy,
                                      attitude=Rating.BASIC, result=Rating.UNSATISFIED, comment="乡村教师待遇问题未作实质答复。")
            lead_a.status = AssignmentStatus.SIGNED
            lead_a.due_date = deadline_after_months(today - dt.timedelta(days=10), period("rehandling_months"))
            lead_a.replied_on = None
            lead_a.save()
            s.round, s.replied_on, s.evaluation_due, s.due_date = 2, None, None, lead_a.due_date
            _note(s, users["assign"], "代表不满意，要求重新办理")
    s.save()


def _key(created, users, offices):
    for title, level, leader, office in [
        ("关于增加城区公办幼儿园学位供给的建议", KeyLevel.DIRECTOR, users["director"], None),
        ("关于发展社区嵌入式养老服务的建议", KeyLevel.VICE_DIRECTOR, users["vice"], offices["社会建设工委"]),
    ]:
        s = created[title]
        s.key_level, s.key_leader, s.key_office = level, leader, office
        s.key_marked_on = s.assigned_on
        s.save()
        _note(s, users["assign"], f"主任会议确定为重点督办：{KeyLevel(level).label}")


def _bills(session, deputies, users, offices, today):
    others = [d for name, d in deputies.items() if name not in ("赵丽萍", "孙志强")]
    specs = [
        ("关于制定《江州市电动自行车管理条例》的议案", "赵丽萍", BillStatus.REFERRED, offices["监察司法委"]),
        ("关于加快推进城市更新立法的议案", "孙志强", BillStatus.CONVERTED, None),
    ]
    for i, (title, lead, status, committee) in enumerate(specs, start=1):
        b = Bill.objects.create(
            term=session.term, session=session, serial=i, title=title, lead_deputy=deputies[lead], created_by=deputies[lead].user,
            grounds="相关领域问题突出，现行规定不能适应管理需要。", solution="建议由市人大常委会制定地方性法规，明确管理职责和措施。",
            status=status, submitted_at=timezone.make_aware(dt.datetime.combine(session.start_date + dt.timedelta(days=1), dt.time(11))),
            registered_on=session.start_date + dt.timedelta(days=2), decided_on=session.start_date + dt.timedelta(days=3),
            committee=committee,
            report_due=deadline_after_months(session.start_date + dt.timedelta(days=3), period("committee_bill_report_months"))
            if committee else None,
        )
        for d in others[:10]:
            CoSignature.objects.create(bill=b, deputy=d, status=CoSignStatus.CONFIRMED)
        record_change(obj=b, actor=deputies[lead].user, action=AuditEntry.Action.CREATE, after=snapshot(b), summary="提交议案")
    SerialCounter.objects.update_or_create(session=session, kind="bill", defaults={"last": len(specs)})


def _activities(ctx, deputies, units, users, today):
    stations = ctx["stations"]
    rows = [
        (ActivityKind.RECEPTION, "东湖街道代表联络站选民接待日", 12, stations[0], ["赵丽萍", "钱文斌", "曹玉兰"], 23),
        (ActivityKind.RECEPTION, "文昌街道代表之家选民接待日", 40, stations[1], ["孙志强", "黄美玲"], 17),
        (ActivityKind.RECEPTION, "高新园区代表联络站企业家接待日", 70, stations[2], ["何建国", "宋立新"], 9),
        (ActivityKind.VISIT, "走访东城区民办幼儿园", 30, None, ["赵丽萍"], 0),
        (ActivityKind.INSPECTION, "视察城区老旧小区改造项目", 55, None, ["孙志强", "梁静", "何建国"], 0),
        (ActivityKind.RESEARCH, "调研农村留守儿童关爱服务", 95, None, ["高秀英", "林志远"], 0),
        (ActivityKind.TRAINING, "市人大代表履职能力培训班", 120, None, ["赵丽萍", "孙志强", "黄美玲", "何建国"], 0),
        (ActivityKind.REPORT, "向原选区选民述职", 150, stations[0], ["赵丽萍"], 35),
        (ActivityKind.RECEPTION, "城关镇代表之家选民接待日", 20, stations[3], ["林志远", "高秀英", "唐雪梅"], 14),
    ]
    acts = []
    for kind, title, ago, station, names, people in rows:
        a = Activity.objects.create(kind=kind, title=title, date=today - dt.timedelta(days=ago), station=station,
                                    people_received=people, description=f"{title}。", recorded_by=users["staff"],
                                    location=station.name if station else "")
        a.deputies.set([deputies[n] for n in names])
        acts.append(a)
    opinions = [
        (acts[0], "赵丽萍", "东湖小学门口上下学时段交通拥堵，希望增设护学岗。", units["江州市教育局"], OpinionStatus.ANSWERED),
        (acts[0], "钱文斌", "社区卫生服务中心夜间门诊人手不足。", units["江州市卫生健康委员会"], OpinionStatus.ROUTED),
        (acts[1], "孙志强", "老旧小区加装电梯审批手续繁琐。", units["江州市住房和城乡建设局"], OpinionStatus.ROUTED),
        (acts[1], "黄美玲", "希望学校体育场地节假日向居民开放。", None, OpinionStatus.REGISTERED),
        (acts[2], "何建国", "园区企业反映用工招聘难。", None, OpinionStatus.REGISTERED),
        (acts[8], "林志远", "城关镇农贸市场排水不畅。", units["江州市住房和城乡建设局"], OpinionStatus.ANSWERED),
    ]
    for act, name, content, unit, status in opinions:
        o = CitizenOpinion.objects.create(
            station=act.station, activity=act, deputy=deputies[name], received_on=act.date, citizen_name="群众",
            content=content, status=status, routed_unit=unit if status != OpinionStatus.REGISTERED else None,
            routed_on=act.date + dt.timedelta(days=3) if status != OpinionStatus.REGISTERED else None,
            answer="已安排专人处理，并向反映人反馈。" if status == OpinionStatus.ANSWERED else "",
            answered_on=act.date + dt.timedelta(days=12) if status == OpinionStatus.ANSWERED else None,
            recorded_by=users["staff"],
        )
        record_change(obj=o, actor=users["staff"], action=AuditEntry.Action.CREATE, after=snapshot(o), summary="登记群众意见")


CODE_OPINIONS = [
    ("小区南门外的人行道被电动车占满，老人推婴儿车只能走机动车道，希望整治。", "王女士", "13800000001",
     "已联系街道和交警中队，本月起在南门增设电动车停放区并安排巡查。感谢您的反映。"),
    ("东湖公园公共厕所晚上九点就锁门，夜跑的居民很不方便，建议延长开放时间。", "", "", ""),
]


def _code_opinions(users):
    """Two opinions citizens left through deputy1's QR code (代表码): one answered by the deputy."""
    deputy = svc.deputy_of(users["deputy1"])
    if deputy is None or CitizenOpinion.objects.filter(deputy=deputy, source="code").exists():
        return
    for content, name, phone, answer in CODE_OPINIONS:
        o = svc.opinion_submit_by_code(deputy=deputy, content=content, citizen_name=name, citizen_contact=phone)
        if answer:
            svc.opinion_reply(actor=users["deputy1"], opinion=o, answer=answer)


def links() -> list[tuple[str, str]]:
    """Addresses worth opening in the demo, printed by seed_demo: deputy1's code page."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    user = get_user_model().objects.filter(username="deputy1").first()
    deputy = svc.deputy_of(user) if user else None
    if deputy is None:
        return []
    return [(f"{deputy.name}代表的代表码页面（无需登录）", reverse("deputy-code:page", args=[deputy.qr_token])),
            (f"{deputy.name}代表码海报（deputy1 登录后）", reverse("deputies:deputy-poster", args=[deputy.pk]))]


def _inboxes(created, users, units):
    """A few messages of what happened, so each demo account's inbox starts with its work."""
    draft = created["关于加强青少年近视防控工作的建议"]
    notify(recipients=[users["deputy2"]], title=f"赵丽萍代表邀请您附议建议《{draft.title}》",
           body="请在“待确认附议”中确认或谢绝。", url=svc.suggestion_url(draft), level=Level.ACTION, target=draft)
    replied = created["关于加强中小学心理健康教育的建议"]
    notify(recipients=[users["deputy1"]], title=f"您的建议已答复：{replied}", body=f"请在{replied.evaluation_due}前评价。",
           url=svc.suggestion_url(replied), level=Level.ACTION, target=replied)
    for title, user in [("关于完善课后延时服务保障机制的建议", "unit1_clerk"), ("关于整治城中村违法建设的建议", "unit2_clerk")]:
        s = created[title]
        notify(recipients=[users[user]], title=f"新交办代表建议（主办）：{s}", url=svc.suggestion_url(s),
               level=Level.ACTION, target=s)
    ret = created["关于优化中小学校车接送服务的建议"]
    notify(recipients=[users["assign"]], title=f"江州市教育局申请退回建议：{ret}", url=svc.suggestion_url(ret),
           level=Level.ACTION, target=ret)
