"""Supervision reminder rules run by the engine on frozen dates: who gets which inbox
message, on which working day around holidays, and only once."""

import datetime as dt

import pytest
import time_machine

from congress import reminder_engine
from congress.models import Meeting, Notification, ReminderDispatch
from congress.roles import Role
from supervision import choices as c
from supervision import services
from tests import factories as f

BJ = dt.timezone(dt.timedelta(hours=8))


def run_on(day: dt.date) -> int:
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=BJ), tick=False):
        return reminder_engine.run(today=day)


def sent(user, rule) -> dict[str, list[dt.date]]:
    out: dict[str, list[dt.date]] = {}
    for step, day in ReminderDispatch.objects.filter(recipient=user, rule=rule).values_list("step", "sent_on"):
        out.setdefault(step, []).append(day)
    return out


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=BJ), tick=False)


def test_rules_are_registered():
    codes = {r.code for r in reminder_engine.rules()}
    assert {
        "supervision.opinions_not_issued", "supervision.handling_report", "supervision.audit_rectification",
        "supervision.inspection_plan", "supervision.finance_calendar", "supervision.filing_review",
        "supervision.filing_answer", "supervision.follow_up", "supervision.appraisal_rectification",
        "supervision.livelihood_milestone",
    } <= codes


@pytest.fixture
def autumn_item(db, term, staff_user, unit, unit_clerk, vice_director):
    """A special report heard on Friday 26 September 2025, just before the National Day holiday."""
    meeting = f.MeetingFactory(term=term, number=31, start_date=dt.date(2025, 9, 26), status=Meeting.Status.HELD)
    with at(dt.date(2025, 9, 26)):
        return services.item_create(actor=staff_user, kind=c.SupervisionType.SPECIAL_REPORT, title="关于养老服务体系建设情况的报告",
                                    year=2025, target_unit=unit, meeting=meeting)


def test_opinions_not_issued_across_national_day(autumn_item, staff_user, vice_director, unit_clerk):
    # given opinions due 5 working days after Fri 26 Sep: Sun 28 Sep works, 1-8 Oct rest → Fri 10 Oct
    day = dt.date(2025, 9, 26)
    while day <= dt.date(2025, 10, 14):
        run_on(day)
        day += dt.timedelta(days=1)
    # then the lead office is told on the deadline, once; the vice chair on the next working
    # day, which is the make-up working Saturday 11 October
    assert sent(staff_user, "supervision.opinions_not_issued") == {
        "due": [dt.date(2025, 10, 10)], "overdue": [dt.date(2025, 10, 11)]
    }
    assert sent(vice_director, "supervision.opinions_not_issued") == {"overdue": [dt.date(2025, 10, 11)]}
    assert sent(unit_clerk, "supervision.opinions_not_issued") == {}
    note = Notification.objects.filter(recipient=staff_user).order_by("id").first()
    assert note.title == "【审议意见交办】关于养老服务体系建设情况的报告"
    assert note.url == autumn_item.get_absolute_url()


def test_opinions_issued_in_time_are_not_reminded(autumn_item, staff_user, term):
    chair = f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS, number=140, start_date=dt.date(2025, 9, 29))
    with at(dt.date(2025, 9, 30)):
        op = services.opinion_compile(actor=staff_user, item=autumn_item, text="意见", compiled_on=dt.date(2025, 9, 28))
        op = services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=chair)
        services.opinion_issue(actor=staff_user, opinion=op, version=op.version)
    run_on(dt.date(2025, 10, 10))
    run_on(dt.date(2025, 10, 11))
    assert sent(staff_user, "supervision.opinions_not_issued") == {}


@pytest.fixture
def issued(db, term, staff_user, unit, unit_clerk, unit_head, director, vice_director):
    """Opinions issued on 1 July 2025: the handling report is due 1 October, a holiday → Thu 9 October."""
    meeting = f.MeetingFactory(term=term, number=30, start_date=dt.date(2025, 6, 26), status=Meeting.Status.HELD)
    chair = f.MeetingFactory(term=term, kind=Meeting.Kind.CHAIRPERSONS, number=120, start_date=dt.date(2025, 6, 30))
    with at(dt.date(2025, 7, 1)):
        item = services.item_create(actor=staff_user, kind=c.SupervisionType.SPECIAL_REPORT, title="关于食品安全工作情况的报告",
                                    year=2025, target_unit=unit, meeting=meeting)
        op = services.opinion_compile(actor=staff_user, item=item, text="意见", compiled_on=dt.date(2025, 6, 30))
        op = services.opinion_approve(actor=staff_user, opinion=op, version=op.version, approval_meeting=chair)
        op = services.opinion_issue(actor=staff_user, opinion=op, version=op.version)
    assert op.report_due == dt.date(2025, 10, 9)
    return item, op


def test_handling_report_reminders_and_escalation(issued, staff_user, unit_clerk, unit_head, director, vice_director):
    rule = "supervision.handling_report"
    for day in [dt.date(2025, 9, 8), dt.date(2025, 9, 9), dt.date(2025, 9, 30), dt.date(2025, 10, 9),
                dt.date(2025, 10, 10), dt.date(2025, 10, 10), dt.date(2025, 10, 24), dt.date(2025, 10, 27)]:
        run_on(day)
    # the body at -30 days (Tue 9 Sep) and -7 days (2 Oct is a holiday → Tue 30 Sep)
    for user in (unit_clerk, unit_head):
        assert sent(user, rule) == {"month": [dt.date(2025, 9, 9)], "week": [dt.date(2025, 9, 30)],
                                    "overdue": [dt.date(2025, 10, 10)]}
    # overdue: the lead office (once, though the scan ran twice that day)
    assert sent(staff_user, rule) == {"overdue": [dt.date(2025, 10, 10)], "listing": [dt.date(2025, 10, 24)]}
    # after 15 days overdue: the 主任会议 list
    assert sent(director, rule) == {"listing": [dt.date(2025, 10, 24)]}
    assert sent(vice_director, rule) == {"listing": [dt.date(2025, 10, 24)]}


def test_report_submitted_stops_the_reminders(issued, unit_clerk, staff_user):
    item, op = issued
    run_on(dt.date(2025, 9, 9))
    with at(dt.date(2025, 9, 20)):
        services.opinion_submit_report(actor=unit_clerk, opinion=op, version=op.version, report_text="已落实")
    run_on(dt.date(2025, 9, 30))
    run_on(dt.date(2025, 10, 10))
    assert sent(unit_clerk, "supervision.handling_report") == {"month": [dt.date(2025, 9, 9)]}
    # and a month after the report, the lead office is asked to follow up
    run_on(dt.date(2025, 10, 20))
    assert sent(staff_user, "supervision.follow_up") == {"month": [dt.date(2025, 10, 20)]}


def test_audit_rectification_report_at_minus_60_and_30(db, staff_user, term, vice_director):
    budget = f.OfficeFactory(name="预算工作委员会", short_name="预工委", is_budget_office=True)
    budget_staff = f.UserFactory(role=Role.STAFF, office=budget)
    bureau = f.HandlingUnitFactory(name="江州市审计局")
    bureau_clerk = f.UserFactory(role=Role.UNIT_CLERK, unit=bureau)
    with at(dt.date(2025, 6, 25)):
        services.item_create(actor=staff_user, kind=c.SupervisionType.AUDIT_RECTIFICATION, title="审计查出问题整改",
                             year=2025, target_unit=bureau, audit_report_date=dt.date(2025, 6, 20))
    # due 20 Dec (Saturday) → Mon 22 Dec; -60 = Thu 23 Oct; -30 = Sat 22 Nov → Fri 21 Nov
    for day in [dt.date(2025, 10, 22), dt.date(2025, 10, 23), dt.date(2025, 11, 21), dt.date(2025, 11, 24)]:
        run_on(day)
    expected = {"sixty": [dt.date(2025, 10, 23)], "thirty": [dt.date(2025, 11, 21)]}
    for user in (budget_staff, bureau_clerk, staff_user):
        assert sent(user, "supervision.audit_rectification") == expected


def test_inspection_plan_reminder_before_a_holiday(db, staff_user, unit):
    # fieldwork starts Mon 13 Oct 2025: the plan is due 3 Oct (holiday) → sent on Tue 30 Sep;
    # three working days earlier is the make-up working Sunday 28 Sep
    with at(dt.date(2025, 9, 1)):
        services.item_create(actor=staff_user, kind=c.SupervisionType.LAW_INSPECTION, title="大气污染防治法执法检查",
                             year=2025, target_unit=unit, start_date=dt.date(2025, 10, 13),
                             end_date=dt.date(2025, 10, 17))
    day = dt.date(2025, 9, 25)
    while day <= dt.date(2025, 10, 9):
        run_on(day)
        day += dt.timedelta(days=1)
    assert sent(staff_user, "supervision.inspection_plan") == {
        "ahead": [dt.date(2025, 9, 28)], "due": [dt.date(2025, 9, 30)]
    }


def test_finance_calendar_warns_in_q2_until_a_session_is_set(db, staff_user, vice_director, term, unit):
    with at(dt.date(2025, 3, 1)):
        item = services.item_create(actor=staff_user, kind=c.SupervisionType.BUDGET_REVIEW, title="2024年市级决算",
                                    year=2025, finance_kind=c.FinanceKind.FINAL_ACCOUNTS, target_unit=unit)
        services.item_create(actor=staff_user, kind=c.SupervisionType.BUDGET_REVIEW, title="预算调整方案",
                             year=2025, finance_kind=c.FinanceKind.BUDGET_ADJUSTMENT, target_unit=unit)
    # due 30 June; -60 days = 1 May (Labour Day) → Wed 30 Apr; -30 = Sat 31 May (Dragon Boat) → Fri 30 May
    for day in [dt.date(2025, 4, 30), dt.date(2025, 5, 30)]:
        run_on(day)
    assert sent(staff_user, "supervision.finance_calendar") == {
        "q2_start": [dt.date(2025, 4, 30)], "q2_mid": [dt.date(2025, 5, 30)]
    }
    # once a June session is set, no more warnings
    meeting = f.MeetingFactory(term=term, number=30, start_date=dt.date(2025, 6, 26))
    with at(dt.date(2025, 6, 2)):
        services.item_update(actor=staff_user, item=item, version=item.version, meeting=meeting)
    run_on(dt.date(2025, 6, 30))
    assert sent(vice_director, "supervision.finance_calendar") == {}


def test_filing_answer_and_milestone_reminders(db, staff_user, unit, unit_clerk):
    with at(dt.date(2025, 6, 2)):
        item = services.item_create(actor=staff_user, kind=c.SupervisionType.FILING_REVIEW, title="备案审查", year=2025)
        doc = services.filed_document_create(actor=staff_user, item=item, title="江州市某管理办法",
                                             published_on=dt.date(2025, 5, 6), filed_on=dt.date(2025, 5, 20), maker=unit)
        services.filed_document_review(actor=staff_user, doc=doc, version=doc.version, finding="与上位法不一致",
                                       problem=True)
        live = services.item_create(actor=staff_user, kind=c.SupervisionType.LIVELIHOOD, title="民生实事", year=2025)
        project = services.project_save(actor=staff_user, item=live, name="新建中小学", department=unit)
        services.project_votes_record(actor=staff_user, item=live, voters_total=10, seats=1, votes={project.pk: (9, 1, 0)})
        project.refresh_from_db()
        services.milestone_save(actor=staff_user, project=project, title="主体开工", due_date=dt.date(2025, 6, 30))
    # the answer is due 2 July (30 days after 2 June): -7 → Wed 25 June; overdue → Thu 3 July
    for day in [dt.date(2025, 6, 23), dt.date(2025, 6, 25), dt.date(2025, 7, 1), dt.date(2025, 7, 3)]:
        run_on(day)
    assert sent(unit_clerk, "supervision.filing_answer") == {"ahead": [dt.date(2025, 6, 25)],
                                                             "overdue": [dt.date(2025, 7, 3)]}
    assert sent(staff_user, "supervision.filing_answer") == {"overdue": [dt.date(2025, 7, 3)]}
    # milestone due Mon 30 June: the department a week ahead, then slipping the next working day
    assert sent(unit_clerk, "supervision.livelihood_milestone") == {"week": [dt.date(2025, 6, 23)],
                                                                    "slipped": [dt.date(2025, 7, 1)]}
    assert sent(staff_user, "supervision.livelihood_milestone") == {"slipped": [dt.date(2025, 7, 1)]}
