"""Every transition of the suggestion state machine (domain §2): allowed for the right
role, refused with a clear message for every other role, and refused from every wrong
state. The table in deputies/choices.py is the specification these tests read."""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from congress.exceptions import NotAllowed, ServiceError
from congress.models import AuditEntry
from congress.workdays import today
from deputies import services as svc
from deputies.choices import SUGGESTION_TRANSITIONS, AssignmentRole, AssignmentStatus, KeyLevel, Rating, ReplyStatus
from deputies.choices import SuggestionStatus as S
from deputies.models import Evaluation, ReplyCategory, Suggestion

ALL_ROLES = ["lead", "other_deputy", "office", "staff", "director", "vice_director", "unit_clerk", "unit_head",
             "other_unit_clerk", "admin", "system"]
OFFICE = {"office", "admin"}  # the superuser may act for the assigning office
UNIT = {"unit_clerk", "unit_head"}


@dataclass
class Scenario:
    service: str
    state: str
    allowed: set
    kwargs: object = None  # (world, suggestion) -> dict
    setup: object = None  # (world, suggestion) -> None: preconditions beyond the state
    build: dict = field(default_factory=dict)


def _co_handler(w, s):
    # The lead is the other unit; our unit (unit_clerk / unit_head) is a signed co-handler.
    w.assign(s, w.unit, role=AssignmentRole.CO, status=AssignmentStatus.SIGNED)


def _unsatisfied(w, s):
    r = s.replies.get()
    Evaluation.objects.create(reply=r, suggestion=s, assignment=r.assignment, round=1, deputy=s.lead_deputy,
                              attitude=Rating.BASIC, result=Rating.UNSATISFIED, comment="问题没有解决")


def _b_reply(w, s):
    b = ReplyCategory.objects.get(code="B")
    s.replies.update(category=b)
    s.assignments.update(category=b)


def _window_passed(w, s):
    s.evaluation_due = today() - dt.timedelta(days=1)
    s.save()


SCENARIOS = {
    "invite": Scenario("suggestion_invite", S.DRAFT, {"lead"}, lambda w, s: {"deputies": [w.deputy("other_deputy")]}),
    "uninvite": Scenario("suggestion_uninvite", S.DRAFT, {"lead"}, lambda w, s: {"deputy": w.deputy("other_deputy")},
                         setup=lambda w, s: w.invite(s)),
    "confirm_cosign": Scenario("suggestion_confirm_cosign", S.DRAFT, {"other_deputy"}, setup=lambda w, s: w.invite(s)),
    "decline_cosign": Scenario("suggestion_decline_cosign", S.DRAFT, {"other_deputy"}, lambda w, s: {"reason": "不熟悉该领域"},
                               setup=lambda w, s: w.invite(s)),
    "update": Scenario("suggestion_update", S.DRAFT, {"lead"}, lambda w, s: {"version": s.version, "title": "修改后的标题"}),
    "submit": Scenario("suggestion_submit", S.DRAFT, {"lead"}),
    "withdraw": Scenario("suggestion_withdraw", S.SUBMITTED, {"lead"}, lambda w, s: {"reason": "与他人重复"}),
    "register": Scenario("suggestion_register", S.SUBMITTED, OFFICE),
    "accept": Scenario("suggestion_accept", S.UNDER_REVIEW, OFFICE),
    "return_for_revision": Scenario("suggestion_return_for_revision", S.UNDER_REVIEW, OFFICE,
                                    lambda w, s: {"reason": "请补充具体建议"}),
    "reject": Scenario("suggestion_reject", S.UNDER_REVIEW, OFFICE, lambda w, s: {"reason": "属于个人事务"}),
    "merge": Scenario("suggestion_merge", S.UNDER_REVIEW, OFFICE,
                      lambda w, s: {"into": w.suggestion(S.UNDER_REVIEW, title="关于城区学校扩容的建议", lead="other_deputy")}),
    "assign": Scenario("suggestion_assign", S.ACCEPTED, OFFICE, lambda w, s: {"lead_unit": w.unit}),
    "mark_key": Scenario("suggestion_mark_key", S.ASSIGNED, OFFICE | {"director", "vice_director"},
                         lambda w, s: {"level": KeyLevel.DIRECTOR, "leader": w.users["director"]}),
    "sign": Scenario("suggestion_sign", S.ASSIGNED, UNIT),
    "request_return": Scenario("suggestion_request_return", S.ASSIGNED, UNIT, lambda w, s: {"reason": "不属于本单位职责"}),
    "approve_return": Scenario("suggestion_approve_return", S.RETURN_REQUESTED, OFFICE),
    "refuse_return": Scenario("suggestion_refuse_return", S.RETURN_REQUESTED, OFFICE, lambda w, s: {"reason": "属于本单位职责"}),
    "request_extension": Scenario("suggestion_request_extension", S.IN_PROGRESS, UNIT,
                                  lambda w, s: {"reason": "需要跨部门协调",
                                                "requested_due": (s.due_date or today()) + dt.timedelta(days=30)}),
    "approve_extension": Scenario("suggestion_approve_extension", S.IN_PROGRESS, OFFICE, setup=lambda w, s: w.extension(s)),
    "refuse_extension": Scenario("suggestion_refuse_extension", S.IN_PROGRESS, OFFICE, lambda w, s: {"reason": "理由不充分"},
                                 setup=lambda w, s: w.extension(s)),
    "submit_opinion": Scenario("suggestion_submit_opinion", S.IN_PROGRESS, UNIT, lambda w, s: {"text": "同意主办单位意见。"},
                               setup=_co_handler, build={"unit": "other_unit"}),
    "record_contact": Scenario("suggestion_record_contact", S.IN_PROGRESS, UNIT,
                               lambda w, s: {"contacted_on": today(), "method": "face", "note": "当面听取代表意见"}),
    "report_progress": Scenario("suggestion_report_progress", S.IN_PROGRESS, UNIT, lambda w, s: {"text": "已完成选址。"}),
    "draft_reply": Scenario("suggestion_draft_reply", S.IN_PROGRESS, {"unit_clerk"}, lambda w, s: {"text": "答复如下：……"}),
    "submit_reply": Scenario("suggestion_submit_reply", S.IN_PROGRESS, {"unit_clerk"},
                             setup=lambda w, s: w.reply(s, status=ReplyStatus.DRAFT)),
    "send_back_reply": Scenario("suggestion_send_back_reply", S.IN_PROGRESS, {"unit_head"}, lambda w, s: {"reason": "请逐条答复"},
                                setup=lambda w, s: w.reply(s)),
    "approve_reply": Scenario("suggestion_approve_reply", S.IN_PROGRESS, {"unit_head"}, setup=lambda w, s: w.reply(s)),
    "evaluate": Scenario("suggestion_evaluate", S.REPLIED, {"lead"},
                         lambda w, s: {"attitude": Rating.SATISFIED, "result": Rating.SATISFIED, "comment": "满意"}),
    "order_rehandling": Scenario("suggestion_order_rehandling", S.REPLIED, OFFICE, lambda w, s: {"reason": "请重新研究"},
                                 setup=_unsatisfied),
    "close": Scenario("suggestion_close", S.REPLIED, OFFICE, setup=_unsatisfied),
    "expire_evaluation": Scenario("suggestion_expire_evaluation", S.REPLIED, OFFICE | {"system"}, setup=_window_passed),
    "add_followup": Scenario("suggestion_add_followup", S.REPLIED, OFFICE,
                             lambda w, s: {"text": "2027年底前完成新校建设", "due_date": today() + dt.timedelta(days=200)},
                             setup=_b_reply),
}


def test_every_transition_has_a_scenario():
    assert set(SCENARIOS) == set(SUGGESTION_TRANSITIONS)
    for name, sc in SCENARIOS.items():
        assert sc.state in SUGGESTION_TRANSITIONS[name].sources, name


def _build(world, sc):
    opts = {k: getattr(world, v) for k, v in sc.build.items()}
    s = world.suggestion(sc.state, **opts)
    if sc.setup:
        sc.setup(world, s)
    return Suggestion.objects.get(pk=s.pk)


def _call(world, sc, role, s):
    actor = None if role == "system" else world.users[role]
    kwargs = sc.kwargs(world, s) if sc.kwargs else {}
    return getattr(svc, sc.service)(actor=actor, suggestion=s, **kwargs)


ALLOWED = [(name, role) for name, sc in SCENARIOS.items() for role in sorted(sc.allowed)]
REFUSED = [(name, role) for name, sc in SCENARIOS.items() for role in ALL_ROLES if role not in sc.allowed]
WRONG_STATES = [
    (name, state) for name, sc in SCENARIOS.items() for state in S.values if state not in SUGGESTION_TRANSITIONS[name].sources
]


@pytest.mark.parametrize(("name", "role"), ALLOWED)
def test_transition_allowed_for_the_right_role(world, name, role):
    # Given an item in the transition's source state and the role the table names
    sc = SCENARIOS[name]
    s = _build(world, sc)
    before = AuditEntry.objects.count()
    # When that role makes the transition
    _call(world, sc, role, s)
    # Then the item is in the target state and the step is in its history
    s.refresh_from_db()
    target = SUGGESTION_TRANSITIONS[name].target
    if target is not None and name not in ("refuse_return", "evaluate"):
        assert s.status == target, (name, s.status)
    # who, when and why is recorded in the same transaction
    assert AuditEntry.objects.count() > before


@pytest.mark.parametrize(("name", "role"), REFUSED)
def test_transition_refused_for_every_other_role(world, name, role):
    # Given the same item, when any other role tries, then it is refused with the table's message
    sc = SCENARIOS[name]
    s = _build(world, sc)
    with pytest.raises(NotAllowed) as exc:
        _call(world, sc, role, s)
    assert str(exc.value) == str(SUGGESTION_TRANSITIONS[name].refusal)
    assert Suggestion.objects.get(pk=s.pk).status == sc.state


@pytest.mark.parametrize(("name", "state"), WRONG_STATES)
def test_transition_refused_from_every_wrong_state(world, name, state):
    # Given an item in a state the transition does not start from
    sc = SCENARIOS[name]
    s = world.suggestion(state, **{k: getattr(world, v) for k, v in sc.build.items()})
    role = sorted(sc.allowed - {"system", "admin"})[0]
    # When even the right role tries, then it is refused with the current state named
    with pytest.raises(ServiceError) as exc:
        _call(world, sc, role, s)
    assert "当前状态为" in " ".join(exc.value.messages)
    assert str(S(state).label) in " ".join(exc.value.messages)
    assert Suggestion.objects.get(pk=s.pk).status == state
