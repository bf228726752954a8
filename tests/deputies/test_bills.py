"""Bills (议案): co-signers, the deadline, numbering and the presidium's decisions; and the
citizens' opinions collected at liaison stations. Every transition is tested for the
right role, every other role and every wrong state."""

import datetime as dt

import pytest
from django.utils import timezone

from congress.exceptions import NotAllowed, ServiceError
from congress.models import Notification
from congress.workdays import today
from deputies import services as svc
from deputies.choices import BILL_TRANSITIONS, OPINION_TRANSITIONS, BillStatus, CoSignStatus, OpinionStatus
from deputies.choices import SuggestionStatus as S
from deputies.models import Bill, CitizenOpinion, CoSignature
from tests import factories as f

ROLES = ["lead", "other_deputy", "office", "staff", "director", "vice_director", "unit_clerk", "unit_head",
         "other_unit_clerk", "admin"]
OFFICE = {"office", "admin"}


def make_bill(world, status=BillStatus.DRAFT, *, confirmed=0, committee=None):
    b = Bill.objects.create(term=world.term, session=world.session, title="关于制定《江州市养犬管理条例》的议案",
                            grounds="养犬纠纷逐年增多。", solution="制定地方性法规。", lead_deputy=world.deputy("lead"),
                            status=status, committee=committee)
    if status != BillStatus.DRAFT:
        b.submitted_at = timezone.now()
        b.save()
    for _i in range(confirmed):
        CoSignature.objects.create(bill=b, deputy=f.DeputyFactory(term=world.term), status=CoSignStatus.CONFIRMED)
    return b


def _staff_committee(world):
    return world.users["staff"].office


BILL_SCENARIOS = {
    "invite": (BillStatus.DRAFT, {"lead"}, lambda w, b: {"deputies": [w.deputy("other_deputy")]}, None),
    "uninvite": (BillStatus.DRAFT, {"lead"}, lambda w, b: {"deputy": w.deputy("other_deputy")},
                 lambda w, b: CoSignature.objects.create(bill=b, deputy=w.deputy("other_deputy"))),
    "confirm_cosign": (BillStatus.DRAFT, {"other_deputy"}, None,
                       lambda w, b: CoSignature.objects.create(bill=b, deputy=w.deputy("other_deputy"))),
    "decline_cosign": (BillStatus.DRAFT, {"other_deputy"}, None,
                       lambda w, b: CoSignature.objects.create(bill=b, deputy=w.deputy("other_deputy"))),
    "update": (BillStatus.DRAFT, {"lead"}, lambda w, b: {"version": b.version, "title": "新案由"}, None),
    "submit": (BillStatus.DRAFT, {"lead"}, None, "ten"),
    "withdraw": (BillStatus.SUBMITTED, {"lead"}, None, None),
    "register": (BillStatus.SUBMITTED, OFFICE, None, None),
    "put_on_agenda": (BillStatus.UNDER_REVIEW, OFFICE, None, None),
    "adopt": (BillStatus.ON_AGENDA, OFFICE, None, None),
    "not_adopt": (BillStatus.ON_AGENDA, OFFICE, None, None),
    "refer": (BillStatus.UNDER_REVIEW, OFFICE, lambda w, b: {"committee": _staff_committee(w)}, None),
    "committee_report": (BillStatus.REFERRED, OFFICE | {"staff"}, lambda w, b: {"text": "建议列入立法计划。"}, "committee"),
    "conclude": (BillStatus.REPORTED, OFFICE, None, None),
    "convert": (BillStatus.UNDER_REVIEW, OFFICE, None, None),
    "not_a_bill": (BillStatus.UNDER_REVIEW, OFFICE, lambda w, b: {"reason": "不属于本级人大职权"}, None),
}


def _prepare(world, name):
    state, _allowed, _kw, setup = BILL_SCENARIOS[name]
    b = make_bill(world, state, confirmed=10 if setup == "ten" else 0,
                  committee=_staff_committee(world) if setup == "committee" else None)
    if callable(setup):
        setup(world, b)
    return Bill.objects.get(pk=b.pk)


def _call(world, name, role, b):
    kw = BILL_SCENARIOS[name][2]
    return getattr(svc, f"bill_{name}")(actor=world.users[role], bill=b, **(kw(world, b) if kw else {}))


def test_every_bill_transition_has_a_scenario():
    assert set(BILL_SCENARIOS) == set(BILL_TRANSITIONS)


@pytest.mark.parametrize(("name", "role"), [(n, r) for n, sc in BILL_SCENARIOS.items() for r in sorted(sc[1])])
def test_bill_transition_allowed(world, name, role):
    b = _prepare(world, name)
    _call(world, name, role, b)
    target = BILL_TRANSITIONS[name].target
    if target:
        assert Bill.objects.get(pk=b.pk).status == target


@pytest.mark.parametrize(("name", "role"), [(n, r) for n, sc in BILL_SCENARIOS.items() for r in ROLES if r not in sc[1]])
def test_bill_transition_refused_for_other_roles(world, name, role):
    b = _prepare(world, name)
    with pytest.raises(NotAllowed) as exc:
        _call(world, name, role, b)
    assert str(exc.value) == str(BILL_TRANSITIONS[name].refusal)


@pytest.mark.parametrize(("name", "state"), [
    (n, st) for n in BILL_SCENARIOS for st in BillStatus.values if st not in BILL_TRANSITIONS[n].sources
])
def test_bill_transition_refused_from_wrong_states(world, name, state):
    b = make_bill(world, state)
    role = sorted(BILL_SCENARIOS[name][1] - {"admin", "staff"})[0]
    with pytest.raises(ServiceError, match="当前状态为"):
        _call(world, name, role, b)


def test_bill_needs_ten_confirmed_cosigners_and_the_deadline(world, users, settings):
    b = make_bill(world, confirmed=9)
    with pytest.raises(ServiceError, match="10名以上代表联名，目前已确认9名"):
        svc.bill_submit(actor=users["lead"], bill=b)
    CoSignature.objects.create(bill=b, deputy=f.DeputyFactory(term=world.term), status=CoSignStatus.CONFIRMED)
    world.session.bill_deadline = timezone.now() - dt.timedelta(hours=1)
    world.session.save()
    with pytest.raises(ServiceError, match="截止时间"):
        svc.bill_submit(actor=users["lead"], bill=Bill.objects.get(pk=b.pk))
    world.session.bill_deadline = timezone.now() + dt.timedelta(hours=1)
    world.session.save()
    svc.bill_submit(actor=users["lead"], bill=Bill.objects.get(pk=b.pk))
    assert Bill.objects.get(pk=b.pk).status == BillStatus.SUBMITTED


def test_bill_numbering_and_conversion_to_a_suggestion(world, users):
    b = make_bill(world, BillStatus.SUBMITTED, confirmed=10)
    svc.bill_register(actor=users["office"], bill=b)
    b.refresh_from_db()
    assert b.number == "第001号"
    s = svc.bill_convert(actor=users["office"], bill=b, reason="主席团决定作为建议处理")
    b.refresh_from_db()
    assert b.status == BillStatus.CONVERTED
    assert s.status == S.ACCEPTED and s.source_bill == b and s.serial
    assert s.cosignatures.filter(status=CoSignStatus.CONFIRMED).count() == 10
    assert Notification.objects.filter(recipient=users["lead"], title__contains="作为建议处理").exists()
    # the converted suggestion is then handled as one
    svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit)


def test_referred_bill_has_a_report_due_and_the_committee_is_told(world, users):
    b = make_bill(world, BillStatus.UNDER_REVIEW)
    svc.bill_refer(actor=users["office"], bill=b, committee=users["staff"].office)
    b.refresh_from_db()
    assert b.report_due and b.report_due > today()
    assert Notification.objects.filter(recipient=users["staff"], title__contains="交付审议").exists()
    # a member of another office may not report for the committee
    with pytest.raises(NotAllowed):
        svc.bill_committee_report(actor=f.UserFactory(role="staff", office=f.OfficeFactory()), bill=b, text="x")


# ------------------------------------------------------------------ citizens' opinions
def test_citizen_opinion_is_registered_routed_and_answered(world, users):
    o = svc.opinion_register(actor=users["lead"], content="小区门口路灯损坏，夜间出行不便。", received_on=today())
    assert o.deputy == world.deputy("lead")
    with pytest.raises(ServiceError):
        svc.opinion_register(actor=users["lead"], content="x", received_on=today() + dt.timedelta(days=1))
    with pytest.raises(NotAllowed):
        svc.opinion_register(actor=users["unit_clerk"], content="x", received_on=today())
    for role in ("lead", "unit_clerk", "other_unit_clerk"):
        with pytest.raises(NotAllowed):
            svc.opinion_route(actor=users[role], opinion=o, unit=world.unit)
    with pytest.raises(ServiceError, match="当前状态为"):
        svc.opinion_answer(actor=users["unit_clerk"], opinion=o, answer="x")
    svc.opinion_route(actor=users["office"], opinion=o, unit=world.unit)
    assert CitizenOpinion.objects.visible_to(users["unit_clerk"]).filter(pk=o.pk).exists()
    assert not CitizenOpinion.objects.visible_to(users["other_unit_clerk"]).filter(pk=o.pk).exists()
    for role in ("lead", "other_unit_clerk", "other_deputy"):
        with pytest.raises(NotAllowed):
            svc.opinion_answer(actor=users[role], opinion=o, answer="x")
    with pytest.raises(ServiceError, match="当前状态为"):
        svc.opinion_route(actor=users["office"], opinion=CitizenOpinion.objects.get(pk=o.pk), unit=world.unit)
    svc.opinion_answer(actor=users["unit_clerk"], opinion=o, answer="已于次日修复。")
    o.refresh_from_db()
    assert o.status == OpinionStatus.ANSWERED
    assert Notification.objects.filter(recipient=users["lead"], title__contains="群众意见已答复").exists()
    assert {"route", "answer"} <= set(OPINION_TRANSITIONS)


def test_activity_records_the_deputy_and_refuses_the_future(world, users):
    a = svc.activity_create(actor=users["lead"], kind="reception", title="东湖街道联络站接待日", date=today(),
                            people_received=12)
    assert list(a.deputies.all()) == [world.deputy("lead")]
    with pytest.raises(ServiceError):
        svc.activity_create(actor=users["lead"], kind="visit", title="走访", date=today() + dt.timedelta(days=3))
    with pytest.raises(NotAllowed):
        svc.activity_create(actor=users["unit_clerk"], kind="visit", title="走访", date=today())
    with pytest.raises(NotAllowed):
        svc.activity_update(actor=users["other_deputy"], activity=a, version=a.version, title="改")


@pytest.mark.parametrize(("name", "state"), [("route", OpinionStatus.ROUTED), ("route", OpinionStatus.ANSWERED),
                                             ("answer", OpinionStatus.REGISTERED), ("answer", OpinionStatus.ANSWERED)])
def test_opinion_transitions_refused_from_wrong_states(world, users, name, state):
    o = CitizenOpinion.objects.create(content="路灯不亮", received_on=today(), status=state, routed_unit=world.unit)
    kwargs = {"unit": world.unit} if name == "route" else {"answer": "已修复"}
    actor = users["office"]
    with pytest.raises(ServiceError, match="当前状态为"):
        getattr(svc, f"opinion_{name}")(actor=actor, opinion=o, **kwargs)
