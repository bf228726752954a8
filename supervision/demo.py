"""A believable year of supervision work for the demo: the reports heard at this year's
standing-committee meetings with their opinion loops and votes, an inspection, research
and visits, the audit rectification list, livelihood projects, an appraisal of judges and
prosecutors and filing review; linked to the supervision plan's items when the plans
demo has made them. Everything goes through the services, as a user would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from congress import workdays
from congress.models import AgendaItem, Meeting

from . import choices as c
from . import services
from .models import SupervisionItem

KIND_BY_AGENDA = {
    AgendaItem.Kind.SPECIAL_REPORT: c.SupervisionType.SPECIAL_REPORT,
    AgendaItem.Kind.INSPECTION_REPORT: c.SupervisionType.LAW_INSPECTION,
    AgendaItem.Kind.INQUIRY: c.SupervisionType.SPECIAL_INQUIRY,
    AgendaItem.Kind.BUDGET: c.SupervisionType.BUDGET_REVIEW,
    AgendaItem.Kind.AUDIT: c.SupervisionType.BUDGET_REVIEW,
}


def _finance_kind(title: str) -> str:
    if "审计工作报告" in title or "决算" in title:
        return c.FinanceKind.FINAL_ACCOUNTS
    if "上半年" in title:
        return c.FinanceKind.MIDYEAR_EXECUTION
    if "国有资产" in title:
        return c.FinanceKind.STATE_ASSETS
    if "债务" in title:
        return c.FinanceKind.GOVERNMENT_DEBT
    return c.FinanceKind.OTHER


def _plan_items(year):
    """Leaves of this year's supervision plan, if the plans demo made one."""
    try:
        from plans.models import PlanItem
    except ImportError:  # pragma: no cover
        return []
    return list(PlanItem.objects.filter(plan__year=year, plan__kind="supervision", children__isnull=True)
                .select_related("lead_office"))


def _match_plan(title: str, plan_items: list, used: set):
    for p in plan_items:
        if p.pk in used:
            continue
        words = {title[i:i + 4] for i in range(max(len(title) - 3, 0))} - {"关于全市", "情况的报", "况的报告", "工作情况"}
        if any(w in p.title for w in words):
            used.add(p.pk)
            return p
    return None


def _chair_after(meetings, day):
    for m in meetings:
        if m.kind == Meeting.Kind.CHAIRPERSONS and m.start_date > day:
            return m
    return None


def _run_loop(item, *, admin, unit_users, chairs, today, vote=None):
    """Carry an item heard at its meeting through as much of the opinion loop as the
    calendar allows: opinions, approval, issue, the body's report, a vote, follow-up."""
    heard = item.hearing_date
    for step in item.steps.filter(code__in=["draft_report", "final_report", "member_notice", "preliminary_review",
                                            "topic", "inspection_plan", "plan_sent", "fieldwork", "fieldwork_done",
                                            "question_list", "schedule"]):
        if step.due_date and step.due_date <= today and not step.done_on and not step.skipped:
            services.step_complete(actor=admin, step=step, version=step.version, done_on=min(step.due_date, today))
    item.refresh_from_db()
    if heard >= today:
        return
    services.item_transition(actor=admin, item=item, to_status=c.ItemStatus.HEARD, version=item.version)
    compiled = workdays.add_working_days(heard, 2)
    if compiled > today:
        return
    op = services.opinion_compile(
        actor=admin, item=item, compiled_on=compiled,
        text="一、进一步提高思想认识，压实工作责任。\n二、加大投入，补齐短板弱项。\n三、健全长效机制，加强督促检查。",
    )
    chair = _chair_after(chairs, compiled - dt.timedelta(days=1))
    if chair is None or chair.start_date > today:
        return
    op = services.opinion_approve(actor=admin, opinion=op, version=op.version, approval_meeting=chair)
    issued = max(chair.start_date, workdays.add_working_days(heard, 4))
    if issued > today:
        return
    op = services.opinion_issue(actor=admin, opinion=op, version=op.version, issued_on=issued, in_person=True)
    report_on = op.report_due - dt.timedelta(days=12)
    if report_on > today:
        return
    reporter = unit_users[0] if unit_users else admin
    op = services.opinion_submit_report(
        actor=reporter, opinion=op, version=op.version, submitted_on=report_on,
        report_text="收到审议意见后，我们召开专题会议逐条研究，制定整改方案，明确责任单位和完成时限。目前已落实八项措施，其余正在推进。",
    )
    if vote is not None:
        members, s, b, d = vote
        services.vote_record(actor=admin, item=item, voted_on=report_on, members_total=members, satisfied=s,
                             basically_satisfied=b, dissatisfied=d, subject=str(item.target_unit or ""))
        op.refresh_from_db()
    if op.status == c.OpinionStatus.REPORTED and report_on + dt.timedelta(days=20) <= today:
        services.opinion_follow_up(actor=admin, opinion=op, version=op.version,
                                   note="组织部分组成人员实地察看整改落实情况。", close=True)


def seed(ctx) -> None:
    year, today = ctx["year"], ctx["today"]
    if SupervisionItem.objects.filter(year=year).exists():
        return
    admin, offices, units, users = ctx["users"]["admin"], ctx["offices"], ctx["units"], ctx["users"]
    meetings = sorted(ctx["meetings"], key=lambda m: m.start_date)
    chairs = [m for m in meetings if m.kind == Meeting.Kind.CHAIRPERSONS]
    plan_items, used = _plan_items(year), set()
    unit_users = {u.unit_id: [u] for u in users.values() if u.unit_id}
    government = units["江州市人民政府"]
    votes = [(45, 33, 9, 2), (45, 20, 15, 5), (45, 12, 10, 18)]  # 满意, 基本满意, 不满意 (re-report)

    agenda = (AgendaItem.objects.filter(meeting__in=[m for m in meetings if m.kind == Meeting.Kind.STANDING],
                                        kind__in=list(KIND_BY_AGENDA))
              .select_related("meeting", "lead_office", "reporting_unit").order_by("meeting__start_date", "order"))
    audit_report_day = None
    for i, a in enumerate(agenda):
        title = a.title
        if "审计查出问题整改" in title:
            kind, extra = c.SupervisionType.AUDIT_RECTIFICATION, {"audit_report_date": audit_report_day}
        else:
            kind, extra = KIND_BY_AGENDA[a.kind], {}
            if kind == c.SupervisionType.BUDGET_REVIEW:
                extra["finance_kind"] = _finance_kind(title)
            if "审计工作报告" in title:
                audit_report_day = a.meeting.start_date
        if kind == c.SupervisionType.LAW_INSPECTION:
            start = a.meeting.start_date - dt.timedelta(days=60)
            extra.update(law_name="中华人民共和国大气污染防治法", inspection_forms=["meeting", "site", "spot_check", "joint"],
                         joint_with_lower=True, start_date=start, end_date=start + dt.timedelta(days=5),
                         members=[users["director"], users["vice"]], invited_deputies=ctx["deputies"][:4])
        plan = _match_plan(title, plan_items, used)
        item = services.item_create(
            actor=admin, kind=kind, year=year, title=title, lead_office=a.lead_office or offices["办公室"],
            target_unit=a.reporting_unit or government, agenda_item=a, plan_item=plan,
            is_published=a.meeting.start_date < today, **extra,
        )
        _run_loop(item, admin=admin, unit_users=unit_users.get(item.target_unit_id, []), chairs=chairs, today=today,
                  vote=votes[i % len(votes)] if kind == c.SupervisionType.SPECIAL_REPORT else None)
        if kind == c.SupervisionType.AUDIT_RECTIFICATION:
            _audit_problems(item, admin=admin, units=units, today=today)
        if "老旧小区" in title:
            # The plan pairs this report with a special inquiry at the same session.
            inquiry = services.item_create(
                actor=admin, kind=c.SupervisionType.SPECIAL_INQUIRY, year=year, title="结合审议老旧小区改造工作情况的报告开展专题询问",
                lead_office=item.lead_office, target_unit=item.target_unit, departments=[government], meeting=a.meeting,
                plan_item=_match_plan("开展专题询问", plan_items, used), is_published=item.is_published,
            )
            _run_loop(inquiry, admin=admin, unit_users=unit_users.get(inquiry.target_unit_id, []), chairs=chairs,
                      today=today)

    if audit_report_day and not SupervisionItem.objects.filter(year=year, kind=c.SupervisionType.AUDIT_RECTIFICATION).exists():
        # The rectification report is heard about six months after the audit report (art. 27).
        later = [m for m in meetings if m.kind == Meeting.Kind.STANDING
                 and m.start_date >= audit_report_day + dt.timedelta(days=150)]
        item = services.item_create(
            actor=admin, kind=c.SupervisionType.AUDIT_RECTIFICATION, year=year, title="关于审计查出问题整改情况的报告",
            lead_office=offices["预工委"], target_unit=units["江州市审计局"], departments=[government],
            audit_report_date=audit_report_day, meeting=later[0] if later else None,
            plan_item=_match_plan("审计查出问题整改", plan_items, used),
        )
        _audit_problems(item, admin=admin, units=units, today=today)
        if item.meeting_id:
            item.refresh_from_db()
            _run_loop(item, admin=admin, unit_users=unit_users.get(item.target_unit_id, []), chairs=chairs, today=today)

    _fieldwork(ctx, admin, offices, units, plan_items, used, today)
    _livelihood(ctx, admin, offices, units, today)
    _appraisal(ctx, admin, offices, units, meetings, today)
    _filing(ctx, admin, offices, units, today)


def _audit_problems(item, *, admin, units, today):
    rows = [
        ("1", "部分专项资金未及时拨付，结存资金1.2亿元", "预算执行", "1200", "江州市财政局", c.RectificationKind.DEADLINE),
        ("2", "3个项目政府采购程序不规范", "政府采购", "", "江州市住房和城乡建设局", c.RectificationKind.DEADLINE),
        ("3", "义务教育学校生均公用经费未足额拨付", "民生资金", "356.8", "江州市教育局", c.RectificationKind.DEADLINE),
        ("4", "国有资产出租收入未及时上缴", "国有资产", "85", "江州市财政局", c.RectificationKind.ONGOING),
        ("5", "环保专项资金绩效目标设定不科学", "绩效管理", "", "江州市生态环境局", c.RectificationKind.ONGOING),
        ("6", "医保基金存在重复报销", "民生资金", "42.6", "江州市卫生健康委员会", c.RectificationKind.DEADLINE),
    ]
    for number, desc, cat, amount, unit, kind in rows:
        p = services.audit_problem_save(actor=admin, item=item, number=number, description=desc, category=cat,
                                        amount=Decimal(amount) if amount else None, responsible_unit=units[unit],
                                        rectification_kind=kind)
        if number in {"1", "3", "6"}:
            p = services.audit_problem_submit_evidence(actor=admin, problem=p, version=p.version,
                                                       measures="已完成整改并建立台账", evidence="拨付凭证、制度文件",
                                                       finished=True)
            services.audit_problem_verify(actor=admin, problem=p, version=p.version, rules_adopted=1)
        elif number == "2":
            services.audit_problem_submit_evidence(actor=admin, problem=p, version=p.version,
                                                   measures="正在修订采购内控制度", evidence="")


def _fieldwork(ctx, admin, offices, units, plan_items, used, today):
    year = ctx["year"]
    specs = [
        (c.SupervisionType.INSPECTION_VISIT, "视察全市农村人居环境整治工作", "农业农村工委", "江州市农业农村局", 4),
        (c.SupervisionType.RESEARCH, "关于优化营商环境工作情况的调研", "财经委", "江州市市场监督管理局", 5),
        (c.SupervisionType.RESEARCH, "关于全市养老服务体系建设的调研", "社会建设工委", "江州市民政局", 7),
        (c.SupervisionType.INSPECTION_VISIT, "视察重点交通项目建设", "城环工委", "江州市交通运输局", 9),
    ]
    for kind, title, office, unit, month in specs:
        start = dt.date(year, month, 12)
        item = services.item_create(
            actor=admin, kind=kind, year=year, title=title, lead_office=offices[office], target_unit=units[unit],
            start_date=start, end_date=start + dt.timedelta(days=2), members=[ctx["users"]["vice"]],
            invited_deputies=ctx["deputies"][4:8], plan_item=_match_plan(title, plan_items, used),
        )
        for step in item.steps.order_by("order"):
            if step.due_date and step.due_date <= today or (step.due_date is None and start <= today):
                services.step_complete(actor=admin, step=step, version=step.version,
                                       done_on=min(step.due_date or start, today))
        item.refresh_from_db()
        if start + dt.timedelta(days=30) <= today:
            services.item_transition(actor=admin, item=item, to_status=c.ItemStatus.CLOSED, version=item.version)


def _livelihood(ctx, admin, offices, units, today):
    year, session = ctx["year"], ctx["session"]
    item = services.item_create(
        actor=admin, kind=c.SupervisionType.LIVELIHOOD, year=year, title=f"{year}年市级民生实事项目代表票决",
        lead_office=offices["代表工委"], target_unit=units["江州市人民政府"], hearing_date=session.start_date + dt.timedelta(days=3),
        is_published=True,
    )
    candidates = [
        ("新建、改扩建中小学和幼儿园10所", "江州市教育局", "48000", 402),
        ("改造老旧小区30个", "江州市住房和城乡建设局", "21500", 389),
        ("新增公共停车泊位3000个", "江州市交通运输局", "9600", 351),
        ("建设社区嵌入式养老服务中心12个", "江州市民政局", "6800", 377),
        ("实施农村供水保障提升工程", "江州市农业农村局", "15200", 336),
        ("建设城市口袋公园20个", "江州市住房和城乡建设局", "4300", 198),
    ]
    for code, day in (("candidates", session.start_date - dt.timedelta(days=40)), ("plan", dt.date(year, 2, 28)),
                      ("midyear", dt.date(year, 6, 30))):
        step = item.steps.get(code=code)
        if day <= today:
            services.step_complete(actor=admin, step=step, version=step.version, done_on=max(day, dt.date(year - 1, 12, 1)))
    projects = {}
    for name, unit, budget, votes_for in candidates:
        p = services.project_save(actor=admin, item=item, name=name, department=units[unit], budget=Decimal(budget))
        projects[p.pk] = (p, votes_for)
    if item.hearing_date > today:
        return
    services.project_votes_record(
        actor=admin, item=item, voters_total=420, seats=5, voted_on=item.hearing_date,
        votes={pk: (vf, 420 - vf - 6, 6) for pk, (_p, vf) in projects.items()},
    )
    for p, _votes in projects.values():
        p.refresh_from_db()
        if p.status != c.ProjectStatus.ELECTED:
            continue
        for title, month, done in (("完成项目立项和设计", 3, True), ("全面开工建设", 6, p.department.name != "江州市交通运输局"),
                                   ("主体工程完工", 10, False), ("竣工验收、投入使用", 12, False)):
            due = dt.date(year, month, 28)
            services.milestone_save(actor=admin, project=p, title=title, due_date=due,
                                    done_on=due if done and due <= today else None)
        p.refresh_from_db()
        pct = min(95, max(5, (today.timetuple().tm_yday * 100) // 365 - (25 if "停车" in p.name else 0)))
        services.project_progress(actor=admin, project=p, version=p.version, percent=pct,
                                  note=f"项目按计划推进，已完成年度投资的{pct}%。")


def _appraisal(ctx, admin, offices, units, meetings, today):
    year = ctx["year"]
    standing = [m for m in meetings if m.kind == Meeting.Kind.STANDING and m.start_date.month >= 8]
    meeting = standing[0] if standing else None
    item = services.item_create(
        actor=admin, kind=c.SupervisionType.PERFORMANCE_APPRAISAL, year=year,
        title="对市中级人民法院、市人民检察院部分法官检察官履职评议", lead_office=offices["监察司法委"],
        target_unit=units["江州市中级人民法院"], departments=[units["江州市人民检察院"]],
        start_date=dt.date(year, 5, 10), end_date=dt.date(year, 7, 31), meeting=meeting,
    )
    people = [("许文静", "审判员", "江州市中级人民法院"), ("陈志明", "审判员", "江州市中级人民法院"),
              ("刘慧", "审判员", "江州市中级人民法院"), ("王建军", "审判员", "江州市中级人民法院"),
              ("赵敏", "审判员", "江州市中级人民法院"), ("孙立", "检察员", "江州市人民检察院"),
              ("周晓燕", "检察员", "江州市人民检察院"), ("吴强", "检察员", "江州市人民检察院"),
              ("郑丽", "检察员", "江州市人民检察院")]
    heard = meeting is not None and meeting.start_date < today
    if heard:
        services.item_transition(actor=admin, item=item, to_status=c.ItemStatus.HEARD, version=item.version)
    for i, (name, position, unit) in enumerate(people):
        t = services.appraisal_target_save(
            actor=admin, item=item, person_name=name, position=position, unit=units[unit],
            rectification_due=(meeting.start_date + dt.timedelta(days=90)) if meeting else None,
            opinion="履职尽责，办案质效较好；建议进一步加强释法说理。" if heard else "",
        )
        if heard:
            services.appraisal_vote(actor=admin, target=t, version=t.version, members_total=45,
                                    satisfied=30 - i, basically_satisfied=10, dissatisfied=2)


def _filing(ctx, admin, offices, units, today):
    year = ctx["year"]
    item = services.item_create(actor=admin, kind=c.SupervisionType.FILING_REVIEW, year=year,
                                title=f"{year}年规范性文件备案审查", lead_office=offices["法工委"],
                                start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))
    docs = [
        ("江州市城市绿化管理办法", "江政规〔{y}〕1号", "江州市人民政府", 2, 20, False),
        ("江州市住宅专项维修资金管理办法", "江政规〔{y}〕3号", "江州市人民政府", 4, 12, True),
        ("江州市中小学校园安全管理规定", "江教规〔{y}〕2号", "江州市教育局", 6, 8, False),
        ("江州市生态环境损害赔偿实施办法", "江环规〔{y}〕1号", "江州市生态环境局", 8, 30, False),
    ]
    for title, number, unit, month, day, problem in docs:
        published = dt.date(year, month, day)
        if published > today:
            continue
        filed = min(published + dt.timedelta(days=18), today)
        doc = services.filed_document_create(actor=admin, item=item, title=title, doc_number=number.format(y=year),
                                             maker=units[unit], published_on=published, filed_on=filed)
        reviewed = filed + dt.timedelta(days=40)
        if reviewed <= today:
            doc = services.filed_document_review(
                actor=admin, doc=doc, version=doc.version, problem=problem, reviewed_on=reviewed,
                finding="第十二条关于收取押金的规定与上位法不一致，建议修改。" if problem else "",
            )
