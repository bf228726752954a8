"""The rules behind the transitions: numbering, co-signing, deadlines around holidays,
returns and extensions, replies, evaluation, re-handling, closing and follow-ups."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile

from congress.exceptions import EditConflict, NotAllowed, ServiceError
from congress.models import Notification, PeriodSetting
from congress.periods import clear_cache
from congress.workdays import today
from deputies import services as svc
from deputies.choices import (
    AssignmentRole,
    AssignmentStatus,
    ClosingKind,
    FollowUpStatus,
    Rating,
    ReplyStatus,
    RequestStatus,
)
from deputies.choices import SuggestionStatus as S
from deputies.models import Assignment, Evaluation, FollowUp, Reply, ReplyCategory, Suggestion
from tests import factories as f

BJ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return time_machine.travel(dt.datetime(y, m, d, h, 0, tzinfo=BJ), tick=False)


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# ------------------------------------------------------------------ drafting and review
def test_deputy_drafts_invites_and_submits_after_confirmation(world, users):
    # Given a deputy's draft with an invited co-signer
    s = svc.suggestion_create(actor=users["lead"], title="关于增设公交线路的建议", situation="新区没有公交。",
                              proposal="开通两条公交线路。")
    svc.suggestion_invite(actor=users["lead"], suggestion=s, deputies=[world.deputy("other_deputy")])
    assert any("邀请您附议" in t for t in inbox(users["other_deputy"]))
    # When the lead submits before the co-signer answers, then it is refused
    with pytest.raises(ServiceError, match="未确认附议"):
        svc.suggestion_submit(actor=users["lead"], suggestion=s)
    # When the co-signer confirms, then the lead is told and can submit; the office is told
    svc.suggestion_confirm_cosign(actor=users["other_deputy"], suggestion=s)
    assert any("确认附议" in t for t in inbox(users["lead"]))
    svc.suggestion_submit(actor=users["lead"], suggestion=s)
    s.refresh_from_db()
    assert s.status == S.SUBMITTED and s.received_on == today()
    assert any("收到代表建议" in t for t in inbox(users["office"]))


def test_declined_invitation_does_not_block_submission(world, users):
    s = world.suggestion(S.DRAFT)
    world.invite(s)
    svc.suggestion_decline_cosign(actor=users["other_deputy"], suggestion=s, reason="不熟悉")
    with pytest.raises(ServiceError, match="已答复过"):
        svc.suggestion_confirm_cosign(actor=users["other_deputy"], suggestion=s)
    svc.suggestion_submit(actor=users["lead"], suggestion=s)
    assert Suggestion.objects.get(pk=s.pk).status == S.SUBMITTED


def test_registration_numbers_per_session_and_keeps_number_on_resubmission(world, users, term):
    # Given two sessions with items sent in
    other_session = f.CongressSessionFactory(term=term, number=6, start_date=today(), end_date=today())
    a = world.suggestion(S.SUBMITTED, session=other_session)
    b = world.suggestion(S.SUBMITTED, session=other_session)
    # When the office registers them, then they are numbered 第0001号, 第0002号 in that session
    svc.suggestion_register(actor=users["office"], suggestion=a)
    svc.suggestion_register(actor=users["office"], suggestion=b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.number, b.number) == ("第0001号", "第0002号")
    # When one is returned for revision and resubmitted, then it keeps its number
    svc.suggestion_return_for_revision(actor=users["office"], suggestion=a, reason="请补充事由")
    assert any("退回修改" in t for t in inbox(users["lead"]))
    svc.suggestion_submit(actor=users["lead"], suggestion=a)
    svc.suggestion_register(actor=users["office"], suggestion=a)
    a.refresh_from_db()
    assert a.number == "第0001号"


def test_reasons_are_required_for_refusals(world, users):
    s = world.suggestion(S.UNDER_REVIEW)
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_reject(actor=users["office"], suggestion=s, reason=" ")
    assert "reason" in exc.value.error_dict
    with pytest.raises(ServiceError):
        svc.suggestion_return_for_revision(actor=users["office"], suggestion=s, reason="")


def test_stale_edit_is_refused(world, users):
    s = world.suggestion(S.DRAFT)
    svc.suggestion_update(actor=users["lead"], suggestion=s, version=s.version, title="第一次修改")
    with pytest.raises(EditConflict):
        svc.suggestion_update(actor=users["lead"], suggestion=s, version=s.version, title="基于旧版本的修改")
    assert Suggestion.objects.get(pk=s.pk).title == "第一次修改"


def test_merge_and_each_deputy_gets_the_reply(world, users):
    # Given a duplicate by another deputy merged into the main item
    main = world.suggestion(S.UNDER_REVIEW)
    dup = world.suggestion(S.UNDER_REVIEW, lead="other_deputy", title="关于解决学校大班额的建议")
    svc.suggestion_merge(actor=users["office"], suggestion=dup, into=main, reason="内容相同")
    dup.refresh_from_db()
    assert dup.status == S.MERGED and dup.merged_into == main
    # the other deputy can follow the main item
    assert Suggestion.objects.visible_to(users["other_deputy"]).filter(pk=main.pk).exists()
    # When the main item is answered, then both deputies are told
    svc.suggestion_accept(actor=users["office"], suggestion=main)
    svc.suggestion_assign(actor=users["office"], suggestion=main, lead_unit=world.unit)
    svc.suggestion_sign(actor=users["unit_clerk"], suggestion=main)
    svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=main, text="答复", category=world.category("A"),
                               letter=ContentFile(b"x", name="答复函.pdf"))
    svc.suggestion_submit_reply(actor=users["unit_clerk"], suggestion=main)
    svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=main)
    assert any("已答复" in t for t in inbox(users["lead"]))
    assert any("已答复" in t for t in inbox(users["other_deputy"]))


def test_merge_refuses_a_closed_target(world, users):
    s = world.suggestion(S.UNDER_REVIEW)
    closed = world.suggestion(S.CLOSED)
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_merge(actor=users["office"], suggestion=s, into=closed)
    assert "into" in exc.value.error_dict


# ------------------------------------------------------------------ assignment and deadlines
def test_assignment_due_dates_follow_the_holiday_calendar(world, users):
    # Given an accepted item assigned on 1 July 2026, lead unit plus a co-handler
    with at(2026, 7, 1):
        s = world.suggestion(S.ACCEPTED)
        svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit, co_units=[world.other_unit])
    s.refresh_from_db()
    lead = s.assignments.get(role=AssignmentRole.LEAD)
    co = s.assignments.get(role=AssignmentRole.CO)
    # Then three months lands on 1 October (National Day): the period ends on the next working day
    assert lead.due_date == dt.date(2026, 10, 8) == s.due_date
    # the co-handler's opinion is due a month later (1 August is a Saturday → Monday 3 August)
    assert co.due_date == dt.date(2026, 8, 3)
    # and both units and the deputy are told
    assert any("新交办代表建议（主办）" in t for t in inbox(users["unit_clerk"]))
    assert any("新交办代表建议（协办）" in t for t in inbox(users["other_unit_clerk"]))
    assert any("已交办" in t for t in inbox(users["lead"]))


def test_complex_items_get_six_months(world, users):
    with at(2026, 4, 30):
        s = world.suggestion(S.ACCEPTED)
        svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit, is_complex=True)
    assert Suggestion.objects.get(pk=s.pk).due_date == dt.date(2026, 10, 30)


def test_return_window_counts_working_days_across_national_day(world, users):
    with at(2026, 9, 28):
        s = world.suggestion(S.ACCEPTED)
        svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit)
    a = Assignment.objects.get(suggestion=s)
    # 7 working days: 29, 30 Sep, then 8, 9, 10 (a make-up Saturday), 12, 13 Oct
    assert a.return_deadline == dt.date(2026, 10, 13)
    with at(2026, 10, 13):
        assert svc.return_window_open(a)
    with at(2026, 10, 14):
        assert not svc.return_window_open(a)
        with pytest.raises(ServiceError, match="申请退回的期限已于2026-10-13届满"):
            svc.suggestion_request_return(actor=users["unit_clerk"], suggestion=s, reason="不属于本单位")


def test_the_reply_period_is_a_setting(world, users):
    PeriodSetting.objects.update_or_create(key="reply_months", defaults={
        "label": "答复期限", "value": 2, "unit": "months", "default_value": 3})
    clear_cache()
    with at(2026, 3, 2):
        s = world.suggestion(S.ACCEPTED)
        svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit)
    assert Suggestion.objects.get(pk=s.pk).due_date == dt.date(2026, 5, 6)  # 2 May is in the May Day holiday


@pytest.mark.parametrize(("kwargs", "field"), [
    ({}, "lead_unit"),
    ({"lead_unit": "unit", "separate_units": ["other_unit"]}, "separate_units"),
    ({"lead_unit": "unit", "co_units": ["unit"]}, "co_units"),
])
def test_assignment_input_is_checked(world, users, kwargs, field):
    s = world.suggestion(S.ACCEPTED)
    resolved = {k: ([getattr(world, u) for u in v] if isinstance(v, list) else getattr(world, v)) for k, v in kwargs.items()}
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_assign(actor=users["office"], suggestion=s, **resolved)
    assert field in exc.value.error_dict
    assert Suggestion.objects.get(pk=s.pk).status == S.ACCEPTED


def test_bulk_assignment_is_all_or_nothing(world, users):
    ok = world.suggestion(S.ACCEPTED)
    bad = world.suggestion(S.ACCEPTED, title="另一件建议")
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_bulk_assign(actor=users["office"], rows=[
            {"suggestion": ok, "lead_unit": world.unit}, {"suggestion": bad},
        ])
    assert bad.number in " ".join(exc.value.messages)
    assert Suggestion.objects.get(pk=ok.pk).status == S.ACCEPTED
    assert not Assignment.objects.exists()
    done = svc.suggestion_bulk_assign(actor=users["office"], rows=[
        {"suggestion": ok, "lead_unit": world.unit}, {"suggestion": bad, "lead_unit": world.other_unit},
    ])
    assert len(done) == 2 and Assignment.objects.count() == 2
    with pytest.raises(NotAllowed):
        svc.suggestion_bulk_assign(actor=users["staff"], rows=[{"suggestion": ok, "lead_unit": world.unit}])


# ------------------------------------------------------------------ returns and extensions
def test_approved_return_sends_the_item_back_for_assignment(world, users):
    # Given an item assigned to our unit as lead with a co-handler
    s = world.suggestion(S.ACCEPTED)
    svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit, co_units=[world.other_unit])
    # When the lead asks to return it, suggesting another unit, and the office approves
    svc.suggestion_request_return(actor=users["unit_clerk"], suggestion=s, reason="属住建部门职责",
                                  suggested_unit=world.other_unit)
    assert Suggestion.objects.get(pk=s.pk).status == S.RETURN_REQUESTED
    svc.suggestion_approve_return(actor=users["office"], suggestion=s)
    s.refresh_from_db()
    # Then the item waits for assignment again, every unit is released, the suggestion kept
    assert s.status == S.ACCEPTED and s.suggested_unit == world.other_unit
    assert set(s.assignments.values_list("status", flat=True)) == {AssignmentStatus.RETURNED}
    assert not Suggestion.objects.visible_to(users["unit_clerk"]).filter(pk=s.pk).exists()
    # and it can be assigned to the suggested unit
    svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.other_unit)
    assert Suggestion.objects.get(pk=s.pk).status == S.ASSIGNED


def test_refused_return_means_the_unit_handles_it(world, users):
    s = world.suggestion(S.ACCEPTED)
    svc.suggestion_assign(actor=users["office"], suggestion=s, lead_unit=world.unit)
    svc.suggestion_request_return(actor=users["unit_clerk"], suggestion=s, reason="不属于本单位")
    svc.suggestion_refuse_return(actor=users["office"], suggestion=s, reason="属于本单位职责范围")
    s.refresh_from_db()
    a = s.assignments.get()
    assert s.status == S.IN_PROGRESS and a.status == AssignmentStatus.SIGNED and a.signed_at
    assert any("不同意退回" in t for t in inbox(users["unit_head"]))
    assert s.return_requests.get().status == RequestStatus.REFUSED


def test_extension_is_capped_at_six_months_from_assignment(world, users):
    with at(2026, 3, 2):
        s = world.suggestion(S.IN_PROGRESS)
        a = s.assignments.get()
        cap = svc.extension_cap(a)
        assert cap == dt.date(2026, 9, 2)
        with pytest.raises(ServiceError) as exc:
            svc.suggestion_request_extension(actor=users["unit_clerk"], suggestion=s, reason="复杂",
                                             requested_due=cap + dt.timedelta(days=1))
        assert "requested_due" in exc.value.error_dict
        svc.suggestion_request_extension(actor=users["unit_clerk"], suggestion=s, reason="需要跨部门协调",
                                         requested_due=cap)
        with pytest.raises(ServiceError, match="已有一份延期申请"):
            svc.suggestion_request_extension(actor=users["unit_clerk"], suggestion=s, reason="再次", requested_due=cap)
        svc.suggestion_approve_extension(actor=users["office"], suggestion=s)
    s.refresh_from_db()
    assert s.due_date == cap == s.assignments.get().due_date
    assert s.assignments.get().original_due_date == dt.date(2026, 6, 2)


def test_only_the_answering_unit_may_ask_for_an_extension(world, users):
    s = world.suggestion(S.IN_PROGRESS, unit=world.other_unit)
    world.assign(s, world.unit, role=AssignmentRole.CO, status=AssignmentStatus.SIGNED)
    with pytest.raises(NotAllowed):
        svc.suggestion_request_extension(actor=users["unit_clerk"], suggestion=s, reason="x",
                                         requested_due=s.due_date + dt.timedelta(days=5))


# ------------------------------------------------------------------ replies
def test_lead_reply_waits_for_the_co_handlers_opinion(world, users):
    # Given our unit leads and the other unit co-handles
    s = world.suggestion(S.IN_PROGRESS)
    world.assign(s, world.other_unit, role=AssignmentRole.CO, status=AssignmentStatus.SIGNED)
    world.reply(s)
    # When the head approves before the opinion is in, then it is refused naming the unit
    with pytest.raises(ServiceError, match="江州市住房和城乡建设局"):
        svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    # When the co-handler gives its opinion, the lead unit is told, and the reply can go out
    svc.suggestion_submit_opinion(actor=users["other_unit_clerk"], suggestion=s, text="建议分步实施。")
    assert any("协办意见" in t for t in inbox(users["unit_clerk"]))
    svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    s.refresh_from_db()
    assert s.status == S.REPLIED and s.replied_on_time is True
    assert s.evaluation_due is not None and s.evaluation_due > today()


def test_reply_needs_the_signed_letter_and_a_category(world, users):
    s = world.suggestion(S.IN_PROGRESS)
    world.reply(s, letter=False)
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    assert "letter" in exc.value.error_dict
    svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s, letter=ContentFile(b"x", name="签发件.pdf"),
                                 category=world.category("B"))
    r = Reply.objects.get(suggestion=s)
    assert r.status == ReplyStatus.SENT and r.category.code == "B" and r.approved_by == users["unit_head"]


def test_head_sends_a_draft_back_and_the_clerk_is_told(world, users):
    s = world.suggestion(S.IN_PROGRESS)
    svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="初稿", category=world.category("A"))
    with pytest.raises(ServiceError, match="没有待审签"):
        svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    svc.suggestion_submit_reply(actor=users["unit_clerk"], suggestion=s)
    with pytest.raises(ServiceError, match="已提交负责人审签"):
        svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="改稿")
    svc.suggestion_send_back_reply(actor=users["unit_head"], suggestion=s, reason="请逐条答复")
    assert any("退回修改" in t for t in inbox(users["unit_clerk"]))
    reply = Reply.objects.get(suggestion=s)
    svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="逐条答复稿", category=world.category("A"),
                               version=reply.version)
    assert Reply.objects.get(suggestion=s).text == "逐条答复稿"


def test_units_handling_separately_each_answer_before_the_item_is_replied(world, users):
    s = world.suggestion(S.ACCEPTED)
    svc.suggestion_assign(actor=users["office"], suggestion=s, separate_units=[world.unit, world.other_unit])
    for clerk in (users["unit_clerk"], users["other_unit_clerk"]):
        svc.suggestion_sign(actor=clerk, suggestion=s)
    world.reply(s, s.assignments.get(unit=world.unit))
    svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    assert Suggestion.objects.get(pk=s.pk).status == S.IN_PROGRESS
    other_head = f.UserFactory(role="unit_head", unit=world.other_unit)
    world.reply(s, s.assignments.get(unit=world.other_unit))
    svc.suggestion_approve_reply(actor=other_head, suggestion=s)
    assert Suggestion.objects.get(pk=s.pk).status == S.REPLIED
    # the deputy rates each unit's reply
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="satisfied")
    assert "reply" in exc.value.error_dict
    for r in Reply.objects.filter(suggestion=s):
        svc.suggestion_evaluate(actor=users["lead"], suggestion=s, reply=r, attitude="satisfied", result="basic")
    assert Suggestion.objects.get(pk=s.pk).status == S.CLOSED


# ------------------------------------------------------------------ evaluation, re-handling, closing
def test_satisfied_rating_closes_the_item(world, users):
    s = world.suggestion(S.REPLIED)
    svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude=Rating.SATISFIED, result=Rating.BASIC, comment="")
    s.refresh_from_db()
    assert s.status == S.CLOSED and s.closing == ClosingKind.EVALUATED
    assert any("代表已评价" in t for t in inbox(users["unit_clerk"]))


def test_unsatisfied_leads_to_rehandling_and_a_second_round(world, users):
    # Given a replied item the deputy finds unsatisfactory
    s = world.suggestion(S.REPLIED)
    with pytest.raises(ServiceError) as exc:
        svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="unsatisfied")
    assert "comment" in exc.value.error_dict
    svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="unsatisfied",
                            comment="问题没有解决")
    s.refresh_from_db()
    assert s.status == S.REPLIED
    assert any("不满意" in t for t in inbox(users["office"]))
    # When the office orders re-handling
    with at(2026, 9, 1):
        svc.suggestion_order_rehandling(actor=users["office"], suggestion=s, reason="请重新研究落实")
    s.refresh_from_db()
    a = s.assignments.get()
    # Then the unit has a month (1 October is a holiday → 8 October) for a second reply
    assert s.status == S.REHANDLING and s.round == 2 and a.due_date == dt.date(2026, 10, 8)
    world.reply(s, a)
    svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    s.refresh_from_db()
    assert s.status == S.REPLIED and list(s.replies.filter(is_current=True).values_list("round", flat=True)) == [2]
    svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="satisfied")
    assert Suggestion.objects.get(pk=s.pk).status == S.CLOSED


def test_rehandling_needs_an_unsatisfied_rating(world, users):
    s = world.suggestion(S.REPLIED)
    with pytest.raises(ServiceError, match="没有对答复表示不满意"):
        svc.suggestion_order_rehandling(actor=users["office"], suggestion=s, reason="x")


def test_no_answer_in_the_window_closes_as_no_feedback(world, users):
    s = world.suggestion(S.REPLIED)
    with pytest.raises(ServiceError, match="评价期限"):
        svc.suggestion_expire_evaluation(actor=None, suggestion=s)
    with pytest.raises(ServiceError, match="评价期限"):
        svc.suggestion_close(actor=users["office"], suggestion=s)
    s.evaluation_due = today() - dt.timedelta(days=1)
    s.save()
    svc.suggestion_expire_evaluation(actor=None, suggestion=s)
    s.refresh_from_db()
    assert s.status == S.CLOSED and s.closing == ClosingKind.NO_FEEDBACK
    assert Evaluation.objects.get(suggestion=s).no_feedback


# ------------------------------------------------------------------ follow-up commitments
def test_follow_ups_for_b_and_c_replies_only_and_carry_over(world, users):
    a_item = world.suggestion(S.REPLIED)
    with pytest.raises(ServiceError, match="B、C类"):
        svc.suggestion_add_followup(actor=users["office"], suggestion=a_item, text="x", due_date=today())
    s = world.suggestion(S.REPLIED, title="关于老旧小区加装电梯的建议")
    b = ReplyCategory.objects.get(code="B")
    s.assignments.update(category=b)
    fu = svc.suggestion_add_followup(actor=users["office"], suggestion=s, text="年内完成20个小区", due_date=dt.date(2026, 12, 31))
    assert any("承诺事项" in t for t in inbox(users["unit_clerk"]))
    with pytest.raises(NotAllowed):
        svc.followup_complete(actor=users["other_unit_clerk"], followup=fu, result="完成")
    n = svc.followup_carry_over(actor=users["office"], year=2026)
    assert n == 1
    fu.refresh_from_db()
    carried = FollowUp.objects.get(carried_from=fu)
    assert fu.status == FollowUpStatus.CARRIED and carried.year == 2027 and carried.due_date == dt.date(2027, 12, 31)
    svc.followup_complete(actor=users["unit_clerk"], followup=carried, result="已完成20个小区")
    assert FollowUp.objects.get(pk=carried.pk).status == FollowUpStatus.DONE
    with pytest.raises(NotAllowed):
        svc.followup_carry_over(actor=users["unit_head"], year=2026)


# ------------------------------------------------------------------ scope of the units
def test_unit_x_cannot_act_on_unit_y_item(world, users):
    s = world.suggestion(S.ASSIGNED, unit=world.other_unit)
    for name in ("suggestion_sign", "suggestion_request_return"):
        with pytest.raises(NotAllowed):
            getattr(svc, name)(actor=users["unit_clerk"], suggestion=s, **({"reason": "x"} if "return" in name else {}))
    s2 = world.suggestion(S.IN_PROGRESS, unit=world.other_unit)
    with pytest.raises(NotAllowed):
        svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s2, text="越权答复")
    assert not Reply.objects.exists()


def test_withdrawn_before_assignment_only(world, users):
    s = world.suggestion(S.ACCEPTED)
    svc.suggestion_withdraw(actor=users["lead"], suggestion=s, reason="情况已变化")
    assert Suggestion.objects.get(pk=s.pk).status == S.WITHDRAWN
    assert any("撤回" in t for t in inbox(users["office"]))
