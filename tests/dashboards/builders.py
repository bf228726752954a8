"""Small builders of the records the year figures count. They write rows directly (no
services): the figures must count what is stored, whatever path stored it."""

import datetime as dt
import itertools

from congress.models import AgendaItem, Appointment, Decision, LiaisonStation, Meeting
from tests import factories as f

_seq = itertools.count(1)


def n() -> int:
    return next(_seq)


# ------------------------------------------------------------------------------ core
def meeting(*, kind=Meeting.Kind.STANDING, status=Meeting.Status.HELD, on=dt.date(2025, 3, 10), term=None):
    return f.MeetingFactory(kind=kind, status=status, start_date=on, number=n(), **({"term": term} if term else {}))


def agenda(*, meeting_obj=None, kind=AgendaItem.Kind.SPECIAL_REPORT, on=dt.date(2025, 3, 10)):
    return f.AgendaItemFactory(meeting=meeting_obj or meeting(on=on), kind=kind)


def decision(*, on=dt.date(2025, 4, 1), meeting_obj=None):
    m = meeting_obj or meeting(on=on)
    return Decision.objects.create(meeting=m, title=f"关于第{n()}项事项的决定", adopted_on=on)


def appointment(*, on=dt.date(2025, 4, 1), meeting_obj=None, action=Appointment.Action.APPOINT):
    m = meeting_obj or meeting(on=on)
    return Appointment.objects.create(
        meeting=m, person_name=f"任职人{n()}", position="副局长", action=action, effective_on=on
    )


def station(*, established_on=None):
    return LiaisonStation.objects.create(name=f"第{n()}代表联络站", established_on=established_on)


# -------------------------------------------------------------------------- deputies
def session(year=2025):
    return f.CongressSessionFactory(start_date=dt.date(year, 1, 18), end_date=dt.date(year, 1, 22))


def deputy(user=None):
    return f.DeputyFactory(user=user)


def reply_category(code, solved=False, planned=False):
    from deputies.models import ReplyCategory

    obj, _ = ReplyCategory.objects.get_or_create(
        code=code, defaults={"label": f"{code}类", "counts_as_solved": solved, "counts_as_planned": planned}
    )
    return obj


def suggestion(*, sess, status="in_progress", lead=None, assigned=True, replied_on=None, on_time=None, key_level="",
               due_date=None, submitted=True):
    from django.utils import timezone

    from deputies.models import Suggestion

    lead = lead or deputy()
    return Suggestion.objects.create(
        term=sess.term, session=sess, serial=n(), title=f"关于改善第{n()}项民生问题的建议", situation="事由", proposal="建议",
        lead_deputy=lead, status=status, submitted_at=timezone.now() if submitted else None,
        received_on=sess.start_date if submitted else None, assigned_on=sess.end_date if assigned else None,
        due_date=due_date or (sess.end_date + dt.timedelta(days=90) if assigned else None),
        first_replied_on=replied_on, replied_on=replied_on, replied_on_time=on_time, key_level=key_level,
        closed_on=replied_on if status == "closed" else None,
    )


def assignment(*, sug, unit, role="lead", status="signed", category=None, due_date=None, replied_on=None):
    from deputies.models import Assignment

    assigned_on = sug.assigned_on or dt.date(2025, 2, 1)
    due = due_date or assigned_on + dt.timedelta(days=90)
    return Assignment.objects.create(
        suggestion=sug, unit=unit, role=role, status=status, assigned_on=assigned_on, due_date=due,
        original_due_date=due, return_deadline=assigned_on + dt.timedelta(days=9), category=category,
        first_replied_on=replied_on, replied_on=replied_on,
    )


def reply(*, asg, round=1, current=True, category=None, status="sent"):
    from deputies.models import Reply

    return Reply.objects.create(
        suggestion=asg.suggestion, assignment=asg, round=round, status=status, text="答复", is_current=current,
        sent_on=dt.date(2025, 5, 1) if status == "sent" else None, category=category,
    )


def evaluation(*, asg, result="satisfied", no_feedback=False, round=1, current=True):
    from deputies.models import Evaluation

    reply_obj = reply(asg=asg, round=round, current=current)
    return Evaluation.objects.create(
        reply=reply_obj, suggestion=asg.suggestion, assignment=asg, round=round,
        result="" if no_feedback else result, attitude="" if no_feedback else result, no_feedback=no_feedback,
    )


def bill(*, sess, status="submitted", lead=None):
    from deputies.models import Bill

    return Bill.objects.create(
        term=sess.term, session=sess, serial=n(), title=f"关于制定第{n()}项条例的议案", grounds="案据", solution="方案",
        lead_deputy=lead or deputy(), status=status,
    )


def activity(*, kind="reception", on=dt.date(2025, 6, 1), people=0, station_obj=None):
    from deputies.models import Activity

    return Activity.objects.create(kind=kind, title=f"活动{n()}", date=on, people_received=people, station=station_obj)


def opinion(*, on=dt.date(2025, 6, 1), status="registered", office=None):
    from deputies.models import CitizenOpinion

    return CitizenOpinion.objects.create(received_on=on, content=f"群众意见{n()}", status=status, routed_office=office)


# ----------------------------------------------------------------------- supervision
def sv_item(*, kind="special_report", year=2025, status="heard", office, target=None, start=None):
    from supervision.models import SupervisionItem

    return SupervisionItem.objects.create(
        kind=kind, year=year, title=f"监督事项{n()}", status=status, lead_office=office, target_unit=target,
        start_date=start,
    )


def appraisal_target(*, item):
    from supervision.models import AppraisalTarget

    return AppraisalTarget.objects.create(item=item, person_name=f"法官{n()}")


def project(*, item, status="elected"):
    from supervision.models import LivelihoodProject

    return LivelihoodProject.objects.create(item=item, name=f"民生项目{n()}", status=status)


def problem(*, item, status="pending", unit=None, due_date=None):
    from supervision.models import AuditProblem

    return AuditProblem.objects.create(
        item=item, description=f"审计问题{n()}", status=status, responsible_unit=unit, due_date=due_date
    )


def vote(*, item, result="satisfied", on=dt.date(2025, 6, 20)):
    from supervision.models import SatisfactionVote

    return SatisfactionVote.objects.create(
        item=item, voted_on=on, members_total=30, satisfied=20, basically_satisfied=5, dissatisfied=5, result=result
    )


def step(*, item, due_date, done_on=None, code=None):
    from supervision.models import SupervisionStep

    return SupervisionStep.objects.create(item=item, code=code or f"s{n()}", label="步骤", due_date=due_date, done_on=done_on)


# ----------------------------------------------------------------------------- plans
def plan(*, year=2025, kind="work_points"):
    from plans.models import Plan

    return Plan.objects.create(kind=kind, year=year, title=f"{year}年工作要点{n()}")


def plan_item(*, plan_obj, status="in_progress", office=None, due_date=None, parent=None, progress=0,
              last_progress_on=None):
    from plans.models import PlanItem

    i = n()
    item = PlanItem.objects.create(
        plan=plan_obj, parent=parent, path=f"{i:04d}", title=f"计划事项{i}", status=status, lead_office=office,
        progress=progress, last_progress_on=last_progress_on, level=2 if parent else 1,
    )
    # The plans app derives the due date from the planned period on save; store the exact
    # date the test needs, as the figures count whatever is stored.
    PlanItem.objects.filter(pk=item.pk).update(due_date=due_date)
    item.due_date = due_date
    return item
