"""One world for the security walks: the demo committee, plus records owned by someone
else whose titles carry unique markers. Built once per module inside a transaction
that is rolled back afterwards, so other test modules never see it."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from congress.models import ExportJob, HandlingUnit, Meeting, Office, Term, User
from congress.workdays import today

# Roles walked: one account per kind of user, and nobody signed in.
WALKERS = ["staff", "assign", "director", "deputy1", "unit1_clerk", "unit1_head", "admin", None]
INTERNAL = {"staff", "assign", "director", "admin"}


@dataclass
class Secret:
    """A record and the accounts (by username) that may see it; everybody else must never
    read its marker, whatever page, choice list, API form or export they open."""

    marker: str
    obj: object
    allowed: set = field(default_factory=set)


@dataclass
class World:
    users: dict
    secrets: list


def _build() -> World:
    from deputies.choices import AssignmentRole, AssignmentStatus, SuggestionStatus
    from deputies.models import Activity, Assignment, Bill, CitizenOpinion, Suggestion
    from plans.models import Plan, PlanItem
    from supervision.models import SupervisionItem

    call_command("seed_demo", "--quiet")
    users = {u.username: u for u in User.objects.all()}
    deputy2 = users["deputy2"].deputy
    unit2 = users["unit2_clerk"].unit
    term = Term.objects.order_by("-id").first()
    session = term.sessions.order_by("-id").first()
    office = Office.objects.filter(members__username="staff").first()
    on = today()
    now = timezone.now()
    unit2_users = {"unit2_clerk", "unit2_head"}

    def suggestion(marker, **kw):
        return Suggestion.objects.create(
            term=term, session=session, title=f"{marker}关于社区养老的建议", situation="情况", proposal="建议",
            lead_deputy=deputy2, created_by=users["deputy2"], **kw,
        )

    draft = suggestion("SCOPEMARK-DRAFT", status=SuggestionStatus.DRAFT)
    confidential = suggestion(
        "SCOPEMARK-CONFIDENTIAL", status=SuggestionStatus.ASSIGNED, is_confidential=True, is_public=False,
        submitted_at=now, received_on=on, registered_on=on, serial=9901, assigned_on=on,
    )
    assignment = Assignment.objects.create(
        suggestion=confidential, unit=unit2, role=AssignmentRole.LEAD, status=AssignmentStatus.ASSIGNED,
        assigned_on=on, due_date=on + dt.timedelta(days=90), original_due_date=on + dt.timedelta(days=90),
        return_deadline=on + dt.timedelta(days=10), opinion="SCOPEMARK-ASSIGNMENT",
    )
    plan = Plan.objects.create(kind="work_points", year=on.year, title="SCOPEMARK-PLAN工作要点（未公开）",
                               is_published=False, created_by=users["staff"])
    plan_item = PlanItem.objects.create(plan=plan, path="0001", level=1, position=1, number="1.",
                                        title="SCOPEMARK-PLANITEM未公开事项", lead_office=office)
    sup = SupervisionItem.objects.create(kind="special_report", year=on.year, title="SCOPEMARK-SUPERVISION专项报告",
                                         lead_office=office, target_unit=unit2, is_published=False)
    meeting = Meeting.objects.create(kind=Meeting.Kind.CHAIRPERSONS, term=term, number=98,
                                     name="SCOPEMARK-MEETING主任会议", start_date=on)
    bill = Bill.objects.create(term=term, session=session, title="SCOPEMARK-BILL议案", grounds="理由", solution="方案",
                               lead_deputy=deputy2, created_by=users["deputy2"], status="submitted",
                               submitted_at=now)
    opinion = CitizenOpinion.objects.create(received_on=on, content="SCOPEMARK-OPINION群众意见", deputy=deputy2,
                                            routed_unit=unit2, citizen_name="SCOPEMARK-CITIZEN")
    activity = Activity.objects.create(kind=Activity._meta.get_field("kind").choices[0][0], date=on,
                                       title="SCOPEMARK-ACTIVITY代表活动")
    activity.deputies.add(deputy2)
    assert not HandlingUnit.objects.filter(pk=unit2.pk, users__username="unit1_clerk").exists()
    from legislation.models import LegislativePlan, RegulationProject

    leg_plan = LegislativePlan.objects.create(kind="annual", year=on.year + 1, title="SCOPEMARK-LEGPLAN立法计划（草案）")
    leg_project = RegulationProject.objects.create(plan=leg_plan, title="SCOPEMARK-LEGPROJECT条例", lead_office=office)
    consultation_secrets = _consultation_secrets(users, office, on)
    export_job = ExportJob.objects.create(owner=users["deputy2"], kind=ExportJob.Kind.SUGGESTIONS,
                                          query="q=SCOPEMARK-EXPORT", status=ExportJob.Status.FAILED,
                                          error="SCOPEMARK-EXPORT")

    secrets = [
        Secret("SCOPEMARK-DRAFT", draft, {"deputy2"}),
        Secret("SCOPEMARK-CONFIDENTIAL", confidential, INTERNAL | {"deputy2"} | unit2_users),
        Secret("SCOPEMARK-PLAN", plan, INTERNAL),
        Secret("SCOPEMARK-PLANITEM", plan_item, INTERNAL),
        Secret("SCOPEMARK-SUPERVISION", sup, INTERNAL | unit2_users),
        Secret("SCOPEMARK-MEETING", meeting, INTERNAL),
        Secret("SCOPEMARK-BILL", bill, INTERNAL | {"deputy2"}),
        Secret("SCOPEMARK-OPINION", opinion, INTERNAL | {"deputy2"} | unit2_users),
        Secret("SCOPEMARK-ACTIVITY", activity, INTERNAL | {"deputy2"}),
        Secret("SCOPEMARK-ASSIGNMENT", assignment, INTERNAL | {"deputy2"} | unit2_users),
        Secret("SCOPEMARK-LEGPLAN", leg_plan, INTERNAL),
        Secret("SCOPEMARK-LEGPROJECT", leg_project, INTERNAL),
        *consultation_secrets,
        Secret("SCOPEMARK-EXPORT", export_job, {"deputy2"}),
    ]
    return World(users=users, secrets=secrets)


def _consultation_secrets(users, office, on) -> list[Secret]:
    """Public comment: an unpublished draft, and on an open one the comments the public
    page must not show (pending, hidden) and the sender's name and phone."""
    from legislation import services_consultation as cs

    text = "第一条　SCOPEMARK-CONSULTATION条文。\n第二条　施行日期。"
    unpublished = cs.consultation_create(actor=users["staff"], title="SCOPEMARK-CONSULTATION草案", draft_text=text,
                                         office=office, start_date=on)
    draft = cs.consultation_create(actor=users["staff"], title="公开征求意见草案", draft_text="第一条　条文。",
                                   office=office, start_date=on)
    draft = cs.consultation_open(actor=users["staff"], consultation=draft, version=draft.version)
    pending = cs.comment_submit(consultation=draft, text="SCOPEMARK-PENDINGCOMMENT")
    hidden = cs.comment_submit(consultation=draft, text="SCOPEMARK-HIDDENCOMMENT")
    cs.comment_review(actor=users["staff"], comment=hidden, status="hidden", version=hidden.version)
    shown = cs.comment_submit(consultation=draft, text="已公开的意见", name="SCOPEMARK-SENDER", phone="SCOPEMARK-PHONE")
    cs.comment_review(actor=users["staff"], comment=shown, status="published", version=shown.version)
    return [
        Secret("SCOPEMARK-CONSULTATION", unpublished, INTERNAL),
        Secret("SCOPEMARK-PENDINGCOMMENT", pending, INTERNAL),
        Secret("SCOPEMARK-HIDDENCOMMENT", hidden, INTERNAL),
        Secret("SCOPEMARK-SENDER", shown, INTERNAL),
        Secret("SCOPEMARK-PHONE", shown, INTERNAL),
    ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = _build()
            yield built
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
