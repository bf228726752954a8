"""Demo data of a believable city committee: a term, this year's meetings, offices,
handling units, delegations, deputies and one account per role.

Each app may add `demo.py` with `seed(ctx)`; `manage.py seed_demo` calls the core
first and then every app, passing the objects created here in `ctx`."""

import datetime as dt

from django.utils import timezone

from congress.models import (
    AgendaItem,
    Appointment,
    Attendance,
    CongressSession,
    Decision,
    Delegation,
    Deputy,
    DeputyGroup,
    HandlingUnit,
    LiaisonStation,
    Meeting,
    Office,
    Term,
    User,
)
from congress.roles import Role

DEMO_PASSWORD = "Demo@2026"

# username, name, role, office short name or unit name, description
DEMO_ACCOUNTS = [
    ("staff", "王晓东", Role.STAFF, "财经委", "委室工作人员（财政经济委员会）"),
    ("staff2", "陈雅琴", Role.STAFF, "教科文卫工委", "委室工作人员（教育科学文化卫生工作委员会）"),
    ("assign", "刘建华", Role.ASSIGNING_CLERK, "代表工委", "交办机构工作人员（代表工作委员会）"),
    ("director", "张国强", Role.DIRECTOR, None, "主任"),
    ("vice", "李明远", Role.VICE_DIRECTOR, None, "分管副主任（分管财经委、代表工委）"),
    ("deputy1", "赵丽萍", Role.DEPUTY, None, "人大代表（东城区代表团）"),
    ("deputy2", "孙志强", Role.DEPUTY, None, "人大代表（西湖区代表团）"),
    ("unit1_clerk", "周敏", Role.UNIT_CLERK, "江州市教育局", "承办单位经办人（市教育局）"),
    ("unit1_head", "吴海涛", Role.UNIT_HEAD, "江州市教育局", "承办单位负责人（市教育局）"),
    ("unit2_clerk", "郑小燕", Role.UNIT_CLERK, "江州市住房和城乡建设局", "承办单位经办人（市住建局）"),
    ("unit2_head", "冯志刚", Role.UNIT_HEAD, "江州市住房和城乡建设局", "承办单位负责人（市住建局）"),
    ("admin", "系统管理员", Role.ADMIN, "办公室", "系统管理员"),
]

OFFICES = [
    ("办公室", "办公室", Office.Kind.WORKING_BODY),
    ("法制工作委员会", "法工委", Office.Kind.WORKING_BODY),
    ("财政经济委员会", "财经委", Office.Kind.SPECIAL_COMMITTEE),
    ("预算工作委员会", "预工委", Office.Kind.WORKING_BODY),
    ("教育科学文化卫生工作委员会", "教科文卫工委", Office.Kind.WORKING_BODY),
    ("城乡建设环境保护工作委员会", "城环工委", Office.Kind.WORKING_BODY),
    ("农业农村工作委员会", "农业农村工委", Office.Kind.WORKING_BODY),
    ("社会建设工作委员会", "社会建设工委", Office.Kind.WORKING_BODY),
    ("监察和司法委员会", "监察司法委", Office.Kind.SPECIAL_COMMITTEE),
    ("代表工作委员会", "代表工委", Office.Kind.WORKING_BODY),
    ("人事选举任免工作委员会", "选任联工委", Office.Kind.WORKING_BODY),
]

UNITS = [
    ("江州市人民政府", HandlingUnit.Group.GOVERNMENT, None),
    ("江州市监察委员会", HandlingUnit.Group.SUPERVISORY, None),
    ("江州市中级人民法院", HandlingUnit.Group.COURT, None),
    ("江州市人民检察院", HandlingUnit.Group.PROCURATORATE, None),
    ("江州市教育局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市住房和城乡建设局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市财政局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市审计局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市生态环境局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市卫生健康委员会", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市交通运输局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市农业农村局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市民政局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
    ("江州市市场监督管理局", HandlingUnit.Group.GOVERNMENT, "江州市人民政府"),
]

DELEGATIONS = ["东城区代表团", "西湖区代表团", "江北区代表团", "青山县代表团", "解放军代表团"]
STATIONS = [
    ("东城区东湖街道人大代表联络站", LiaisonStation.Kind.STATION),
    ("西湖区文昌街道人大代表之家", LiaisonStation.Kind.HOME),
    ("江北区高新园区人大代表联络站", LiaisonStation.Kind.STATION),
    ("青山县城关镇人大代表之家", LiaisonStation.Kind.HOME),
]
DEPUTIES = [
    ("赵丽萍", 0, "江州市第一中学校长"),
    ("孙志强", 1, "江州建工集团有限公司总工程师"),
    ("钱文斌", 0, "东湖街道社区卫生服务中心主任"),
    ("黄美玲", 1, "西湖区文昌小学教师"),
    ("何建国", 2, "江北高新区管委会副主任"),
    ("马晓燕", 2, "江州市妇幼保健院副院长"),
    ("林志远", 3, "青山县城关镇党委书记"),
    ("高秀英", 3, "青山县茶叶专业合作社理事长"),
    ("罗振华", 0, "江州律师事务所主任"),
    ("梁静", 1, "江州日报社记者"),
    ("宋立新", 2, "江州电子科技有限公司董事长"),
    ("唐雪梅", 3, "青山县人民医院护士长"),
    ("韩光明", 4, "驻江州某部政治委员"),
    ("曹玉兰", 0, "东城区养老服务中心主任"),
]

STANDING_AGENDA = [
    ("关于2025年度市级预算执行和其他财政收支的审计工作报告", AgendaItem.Kind.AUDIT, "预工委", "江州市审计局"),
    ("关于全市义务教育优质均衡发展情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "教科文卫工委", "江州市人民政府"),
    ("关于检查《中华人民共和国大气污染防治法》实施情况的报告", AgendaItem.Kind.INSPECTION_REPORT, "城环工委", None),
    ("关于2025年市级决算的报告", AgendaItem.Kind.BUDGET, "财经委", "江州市财政局"),
    ("关于老旧小区改造工作情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "城环工委", "江州市住房和城乡建设局"),
    ("关于2026年上半年国民经济和社会发展计划执行情况的报告", AgendaItem.Kind.BUDGET, "财经委", "江州市人民政府"),
    ("关于市中级人民法院行政审判工作情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "监察司法委", "江州市中级人民法院"),
    ("关于市十七届人大五次会议代表建议办理情况的报告", AgendaItem.Kind.SUGGESTION_REPORT, "代表工委", "江州市人民政府"),
    ("关于2025年度环境状况和环境保护目标完成情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "城环工委", "江州市生态环境局"),
    ("关于国有资产管理情况的综合报告", AgendaItem.Kind.BUDGET, "预工委", "江州市财政局"),
    ("关于审计查出问题整改情况的报告", AgendaItem.Kind.AUDIT, "预工委", "江州市审计局"),
    ("关于公益诉讼检察工作情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "监察司法委", "江州市人民检察院"),
]


def _user(username, name, role, office=None, unit=None, title=""):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"name": name, "role": role, "office": office, "unit": unit, "title": title,
                  "email": f"{username}@rdcwh.local"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        if role == Role.ADMIN:
            user.is_staff = True
            user.is_superuser = True
        user.save()
    return user


def seed_core(today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    year = today.year
    ctx: dict = {"today": today, "year": year}
    term, _ = Term.objects.get_or_create(
        number=17, defaults={"name": "第十七届", "start_date": dt.date(year - 4, 1, 10), "is_current": True}
    )
    ctx["term"] = term
    sessions = []
    for i in range(1, 6):
        start = dt.date(year - 5 + i, 1, 18)
        s, _ = CongressSession.objects.get_or_create(
            term=term, number=i,
            defaults={"name": f"江州市第十七届人民代表大会第{'一二三四五'[i - 1]}次会议", "start_date": start,
                      "end_date": start + dt.timedelta(days=4),
                      "bill_deadline": timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=2), dt.time(12)))},
        )
        sessions.append(s)
    ctx["sessions"] = sessions
    ctx["session"] = sessions[-1]

    offices = {}
    for i, (name, short, kind) in enumerate(OFFICES):
        o, _ = Office.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "sort_order": i + 1,
                                 "is_assigning_office": short == "代表工委", "is_budget_office": short == "预工委"}
        )
        offices[short] = o
    ctx["offices"] = offices

    units = {}
    for i, (name, group, parent) in enumerate(UNITS):
        u, _ = HandlingUnit.objects.get_or_create(
            name=name, defaults={"group": group, "parent": units.get(parent), "sort_order": i + 1,
                                 "short_name": name.replace("江州市", "市")}
        )
        units[name] = u
    ctx["units"] = units

    users = {}
    for username, name, role, where, desc in DEMO_ACCOUNTS:
        office = offices.get(where) if where else None
        unit = units.get(where) if where else None
        users[username] = _user(username, name, role, office=office, unit=unit, title=desc)
    ctx["users"] = users
    ctx["accounts"] = [(u, d) for u, _n, _r, _w, d in DEMO_ACCOUNTS]
    for short in ("财经委", "代表工委", "预工委"):
        Office.objects.filter(pk=offices[short].pk, vice_chair__isnull=True).update(vice_chair=users["vice"])
    for short in ("教科文卫工委", "城环工委", "监察司法委", "办公室", "法工委", "农业农村工委", "社会建设工委", "选任联工委"):
        Office.objects.filter(pk=offices[short].pk, vice_chair__isnull=True).update(vice_chair=users["director"])

    delegations = [Delegation.objects.get_or_create(term=term, name=n)[0] for n in DELEGATIONS]
    groups = [DeputyGroup.objects.get_or_create(name=d.name.replace("代表团", "第一代表小组"), delegation=d)[0]
              for d in delegations]
    stations = [
        LiaisonStation.objects.get_or_create(name=n, defaults={"kind": k, "established_on": dt.date(year - 3, 6, 1)})[0]
        for n, k in STATIONS
    ]
    ctx.update(delegations=delegations, stations=stations)
    deputies = []
    for i, (name, d_index, occupation) in enumerate(DEPUTIES):
        dep, _ = Deputy.objects.get_or_create(
            name=name, term=term,
            defaults={"delegation": delegations[d_index], "group": groups[d_index],
                      "station": stations[d_index % len(stations)], "occupation": occupation,
                      "card_number": f"JZ17{i + 1:03d}", "phone": f"1380571{i:04d}"},
        )
        deputies.append(dep)
    Deputy.objects.filter(name="赵丽萍", user__isnull=True).update(user=users["deputy1"])
    Deputy.objects.filter(name="孙志强", user__isnull=True).update(user=users["deputy2"])
    ctx["deputies"] = deputies

    ctx["meetings"] = _seed_meetings(term, offices, units, users, today)
    return ctx


# The next session's agenda concerns the demo accounts, so the meeting-preparation reminders
# (congress/reminders.py) land in their inboxes: (title, kind, lead office, reporting body,
# agenda proposal already received?).
UPCOMING_AGENDA = [
    ("关于全市义务教育优质均衡发展情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "教科文卫工委", "江州市教育局", True),
    ("关于保障性住房建设资金管理使用情况的报告", AgendaItem.Kind.SPECIAL_REPORT, "财经委", "江州市住房和城乡建设局", False),
]


def _seed_upcoming_agenda(meeting, offices, units, today):
    for order, (title, kind, office, unit, proposed) in enumerate(UPCOMING_AGENDA, start=1):
        AgendaItem.objects.create(
            meeting=meeting, order=order, title=title, kind=kind, lead_office=offices[office],
            reporting_unit=units[unit],
            proposal_received_on=today - dt.timedelta(days=8) if proposed else None,
        )


def _seed_meetings(term, offices, units, users, today):
    year = today.year
    meetings = []
    if Meeting.objects.filter(term=term, kind=Meeting.Kind.STANDING).exists():
        return list(Meeting.objects.filter(term=term, start_date__year=year).order_by("start_date"))
    # Standing-committee sessions about every two months: those already held this year,
    # one a few weeks ahead (its preparation deadlines drive the demo reminders), and the
    # rest of the year's calendar after it. Numbers follow dates, as they do per term.
    calendar_dates = [dt.date(year, 2, 26), dt.date(year, 4, 24), dt.date(year, 6, 25), dt.date(year, 8, 27),
                      dt.date(year, 10, 29), dt.date(year, 12, 24)]
    upcoming = today + dt.timedelta(days=26)
    standing_dates = [d for d in calendar_dates if d < today - dt.timedelta(days=14)]
    standing_dates.append(upcoming)
    standing_dates += [d for d in calendar_dates if d > upcoming + dt.timedelta(days=40)]
    agenda_iter = iter(STANDING_AGENDA)
    for n, day in enumerate(standing_dates, start=29):
        held = day < today
        m = Meeting.objects.create(kind=Meeting.Kind.STANDING, term=term, number=n, start_date=day,
                                   end_date=day + dt.timedelta(days=1), location="市人大常委会第一会议室",
                                   status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
                                   lead_office=offices["办公室"])
        meetings.append(m)
        if day == upcoming:
            _seed_upcoming_agenda(m, offices, units, today)
            continue
        for order in range(1, 3):
            title, kind, office, unit = next(agenda_iter, (None, None, None, None))
            if title is None:
                break
            AgendaItem.objects.create(
                meeting=m, order=order, title=title, kind=kind, lead_office=offices[office],
                reporting_unit=units.get(unit) if unit else None,
                draft_report_received_on=day - dt.timedelta(days=21) if held else None,
                final_report_received_on=day - dt.timedelta(days=11) if held else None,
            )
        if held:
            appoint = AgendaItem.objects.create(meeting=m, order=9, title="人事任免事项", kind=AgendaItem.Kind.APPOINTMENT,
                                                lead_office=offices["选任联工委"])
            for pname, pos in [("陈立军", "江州市教育局局长"), ("许文静", "江州市中级人民法院审判员")]:
                Appointment.objects.create(meeting=m, agenda_item=appoint, person_name=pname,
                                           position=pos, organisation=pos[:6], action=Appointment.Action.APPOINT,
                                           oath_taken=True, effective_on=day + dt.timedelta(days=1))
            resolution = AgendaItem.objects.create(meeting=m, order=10, title="决议决定事项", kind=AgendaItem.Kind.RESOLUTION,
                                                   lead_office=offices["法工委"])
            Decision.objects.create(meeting=m, agenda_item=resolution, kind=Decision.Kind.DECISION,
                                    title=f"关于批准{year}年市级预算调整方案的决定" if n == 32 else f"江州市人大常委会第{n}次会议决定事项",
                                    adopted_on=day + dt.timedelta(days=1))
            for name in ("张国强", "李明远", "王志华", "刘敏"):
                Attendance.objects.create(meeting=m, person_name=name,
                                          status=Attendance.Status.LEAVE if name == "刘敏" and n % 2 else Attendance.Status.PRESENT)
    # Councils of chairpersons: about three a month so far this year.
    number = 1
    day = dt.date(year, 1, 8)
    while day < today + dt.timedelta(days=14):
        meetings.append(Meeting.objects.create(
            kind=Meeting.Kind.CHAIRPERSONS, term=term, number=100 + number, start_date=day,
            status=Meeting.Status.HELD if day < today else Meeting.Status.PLANNED, location="常委会小会议室",
            lead_office=offices["办公室"],
        ))
        number += 1
        day += dt.timedelta(days=11)
    return meetings
