"""A small world for deputies' suggestions: a session, the role fixtures, and a builder
that puts an item directly in any state with consistent related rows."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from congress.workdays import add_working_days, today
from deputies import services as svc
from deputies.choices import (
    AssignmentRole,
    AssignmentStatus,
    ClosingKind,
    CoSignStatus,
    Rating,
    ReplyStatus,
    RequestStatus,
    SuggestionStatus,
)
from deputies.models import (
    Assignment,
    CoSignature,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReplyCategory,
    ReturnRequest,
    Suggestion,
    SuggestionCategory,
)
from tests import factories as f

S = SuggestionStatus


class World:
    """Builds suggestions in a given state without going through the services, so a test
    of one transition does not depend on all the others."""

    def __init__(self, *, term, session, users, unit, other_unit):
        self.term = term
        self.session = session
        self.users = users
        self.unit = unit
        self.other_unit = other_unit
        self._serial = 0

    def deputy(self, key="lead"):
        return self.users[key].deputy

    def category(self, code="A"):
        return ReplyCategory.objects.get(code=code)

    def suggestion(self, status=S.DRAFT, *, title="关于加快城区学校建设缓解大班额问题的建议", lead="lead",
                   situation="城区学校学位紧张，部分学校班额超过五十五人。",
                   proposal="一是加快新建学校；二是优化学区划分。", unit=None, role=AssignmentRole.LEAD,
                   session=None, is_public=True, is_confidential=False, assigned_on=None) -> Suggestion:
        now = timezone.now()
        on = today()
        s = Suggestion.objects.create(
            term=self.term, session=session or self.session, title=title, situation=situation, proposal=proposal,
            lead_deputy=self.deputy(lead), created_by=self.users[lead], status=status, is_public=is_public,
            is_confidential=is_confidential, category=SuggestionCategory.objects.first(),
        )
        if status != S.DRAFT:
            s.submitted_at = now
            s.received_on = on
        if status not in (S.DRAFT, S.SUBMITTED, S.WITHDRAWN):
            self._serial += 1
            s.serial = 9000 + self._serial
            s.registered_on = on
        if status == S.MERGED:
            s.merged_into = self.suggestion(S.UNDER_REVIEW, title="关于城区学校扩容的建议")
        s.save()
        handled = (S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REQUESTED, S.REPLIED, S.REHANDLING, S.CLOSED)
        if status in handled:
            a_status = {
                S.ASSIGNED: AssignmentStatus.ASSIGNED,
                S.IN_PROGRESS: AssignmentStatus.SIGNED,
                S.RETURN_REQUESTED: AssignmentStatus.RETURN_REQUESTED,
                S.REPLIED: AssignmentStatus.REPLIED,
                S.REHANDLING: AssignmentStatus.SIGNED,
                S.CLOSED: AssignmentStatus.REPLIED,
            }[status]
            a = self.assign(s, unit or self.unit, role=role, status=a_status, assigned_on=assigned_on)
            if status == S.RETURN_REQUESTED:
                ReturnRequest.objects.create(assignment=a, suggestion=s, reason="不属于本单位职责",
                                             previous_status=AssignmentStatus.ASSIGNED, requested_by=self.users["unit_clerk"])
            if status in (S.REPLIED, S.CLOSED):
                r = self.sent_reply(s, a)
                if status == S.CLOSED:
                    Evaluation.objects.create(reply=r, suggestion=s, assignment=a, round=1, deputy=s.lead_deputy,
                                              attitude=Rating.SATISFIED, result=Rating.SATISFIED)
                    s.closed_on = on
                    s.closing = ClosingKind.EVALUATED
            if status == S.REHANDLING:
                r = self.sent_reply(s, a)
                r.is_current = True
                r.save()
                Evaluation.objects.create(reply=r, suggestion=s, assignment=a, round=1, deputy=s.lead_deputy,
                                          attitude=Rating.BASIC, result=Rating.UNSATISFIED, comment="未解决")
                a.status = AssignmentStatus.SIGNED
                a.save()
                s.round = 2
                s.replied_on = None
                s.evaluation_due = None
            s.save()
        return s

    def assign(self, s, unit, *, role=AssignmentRole.LEAD, status=AssignmentStatus.ASSIGNED, assigned_on=None):
        on = assigned_on or today()
        due = svc.reply_due_for(on, s.is_complex) if role != AssignmentRole.CO else on + dt.timedelta(days=30)
        a = Assignment.objects.create(
            suggestion=s, unit=unit, role=role, status=status, assigned_on=on, due_date=due, original_due_date=due,
            return_deadline=add_working_days(on, 7),
            signed_at=timezone.now() if status != AssignmentStatus.ASSIGNED else None,
        )
        s.assigned_on = on
        if role != AssignmentRole.CO:
            s.due_date = due
        s.save()
        return a

    def sent_reply(self, s, a, *, code="A"):
        on = today()
        r = Reply.objects.create(
            suggestion=s, assignment=a, round=s.round, status=ReplyStatus.SENT, text="经研究，答复如下：……",
            category=self.category(code), signer="吴海涛", sent_on=on, drafted_by=self.users["unit_clerk"],
            approved_by=self.users["unit_head"],
        )
        a.status = AssignmentStatus.REPLIED
        a.replied_on = a.first_replied_on = on
        a.category = r.category
        a.save()
        s.status = S.REPLIED if s.status not in (S.CLOSED, S.REHANDLING) else s.status
        s.replied_on = s.first_replied_on = on
        s.replied_on_time = True
        s.evaluation_due = add_working_days(on, 15)
        s.save()
        return r

    def reply(self, s, a=None, *, status=ReplyStatus.PENDING, letter=True, code="A"):
        a = a or s.assignments.get(role__in=[AssignmentRole.LEAD, AssignmentRole.SEPARATE], unit=self.unit)
        r = Reply.objects.create(suggestion=s, assignment=a, round=s.round, status=status, text="答复稿：……",
                                 category=self.category(code), drafted_by=self.users["unit_clerk"])
        if letter:
            svc._attach(obj=r, actor=self.users["unit_clerk"], file=ContentFile(b"%PDF-1.4 letter", name="答复函.pdf"),
                        kind=svc.LETTER_KIND)
        return r

    def invite(self, s, key="other_deputy", status=CoSignStatus.INVITED):
        return CoSignature.objects.create(suggestion=s, deputy=self.deputy(key), status=status)

    def extension(self, s):
        a = s.assignments.get(unit=self.unit)
        return ExtensionRequest.objects.create(assignment=a, suggestion=s, reason="需要调研",
                                               requested_due=a.due_date + dt.timedelta(days=20),
                                               requested_by=self.users["unit_clerk"], status=RequestStatus.PENDING)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Ten accounts per test: a cheap hasher keeps the transition matrix quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def session(term):
    on = today()
    return f.CongressSessionFactory(term=term, number=5, name="江州市第十七届人民代表大会第五次会议",
                                    start_date=on - dt.timedelta(days=60), end_date=on - dt.timedelta(days=56))


@pytest.fixture
def users(deputy_user, other_deputy_user, assigning_clerk, staff_user, director, vice_director, unit_clerk,
          unit_head, other_unit_clerk, admin_user):
    return {
        "lead": deputy_user,
        "other_deputy": other_deputy_user,
        "office": assigning_clerk,
        "staff": staff_user,
        "director": director,
        "vice_director": vice_director,
        "unit_clerk": unit_clerk,
        "unit_head": unit_head,
        "other_unit_clerk": other_unit_clerk,
        "admin": admin_user,
    }


@pytest.fixture
def world(term, session, users, unit, other_unit):
    return World(term=term, session=session, users=users, unit=unit, other_unit=other_unit)
