"""A deputy's and a unit's view of their work: history in their words, windows that
close are not overdue work, preconditions shown before the click, forms that remember."""

import datetime as dt

import pytest

from congress import reminder_engine
from congress.history import record_change, snapshot, visible_history
from congress.workdays import today
from deputies import services as svc
from deputies.choices import AssignmentStatus, SuggestionStatus

pytestmark = pytest.mark.django_db
S = SuggestionStatus


def test_closed_return_window_is_not_an_overdue_task(world):
    s = world.suggestion(S.IN_PROGRESS)
    a = s.assignments.get()
    a.return_deadline = today() - dt.timedelta(days=77)
    a.save()
    listed = [i for i in reminder_engine.overdue_items() if getattr(i.record, "suggestion_id", None) == s.pk]
    assert not any(i.rule.code == "deputies.return_window" for i in listed)


def test_deputy_does_not_see_internal_flags_in_history(world, users):
    s = world.suggestion(S.UNDER_REVIEW)
    before = snapshot(s)
    s.is_complex = True
    s.round = 2
    s.review_reason = "符合立案条件"
    s.save()
    record_change(obj=s, actor=users["office"], before=before, after=snapshot(s), summary="审查")
    deputy_changes = visible_history(s, users["lead"])[0].changes
    assert "review_reason" in deputy_changes
    assert "is_complex" not in deputy_changes and "round" not in deputy_changes
    staff_changes = visible_history(s, users["office"])[0].changes
    assert "is_complex" in staff_changes


def test_deputy_page_shows_no_internal_flag_labels(world, users, client_as):
    s = world.suggestion(S.UNDER_REVIEW)
    before = snapshot(s)
    s.is_complex = True
    s.save()
    record_change(obj=s, actor=users["office"], before=before, after=snapshot(s), summary="")
    html = client_as(users["lead"]).get(f"/deputies/suggestions/{s.pk}/").content.decode()
    timeline = html[html.index("data-history"):]
    assert "复杂建议" not in timeline


def test_drafting_a_reply_is_on_the_suggestion_timeline(world, users):
    s = world.suggestion(S.IN_PROGRESS)
    svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="经研究，答复如下。")
    summaries = [e.summary for e in visible_history(s, users["lead"])]
    assert any("起草答复" in x for x in summaries)
    assert s.assignments.get().status == AssignmentStatus.SIGNED


def test_registration_form_opens_on_the_category_the_deputy_chose(world, users, client_as):
    from deputies.models import SuggestionCategory

    chosen = SuggestionCategory.objects.filter(is_active=True).last()
    s = world.suggestion(S.SUBMITTED)
    s.category = chosen
    s.save()
    html = client_as(users["office"]).get(f"/deputies/suggestions/{s.pk}/do/register/").content.decode()
    assert f'<option value="{chosen.pk}" selected>' in html


def _co_handled_with_pending_reply(world):
    from deputies.choices import AssignmentRole, ReplyStatus

    s = world.suggestion(S.IN_PROGRESS)
    world.assign(s, world.other_unit, role=AssignmentRole.CO, status=AssignmentStatus.SIGNED)
    reply = world.reply(s, status=ReplyStatus.PENDING, letter=False)
    return s, reply


def test_approval_page_lists_what_is_missing_and_shows_the_reply(world, users, client_as):
    s, reply = _co_handled_with_pending_reply(world)
    html = client_as(users["unit_head"]).get(f"/deputies/suggestions/{s.pk}/do/approve_reply/").content.decode()
    checklist = html[html.index("data-unmet"):]
    assert "尚未上传负责人签发的答复函" in checklist
    assert world.other_unit.name in checklist and "协办单位意见尚未全部提交" in checklist
    assert reply.text in html[html.index("data-subject"):]
    letter_label = html[html.index('for="id_letter"'):]
    assert letter_label[:letter_label.index("</label>")].endswith('<span class="text-danger">*</span>')


def test_clerk_is_warned_of_missing_co_opinion_before_submitting(world, users, client_as):
    from deputies.choices import ReplyStatus

    s, reply = _co_handled_with_pending_reply(world)
    reply.status = ReplyStatus.DRAFT
    reply.save()
    html = client_as(users["unit_clerk"]).get(f"/deputies/suggestions/{s.pk}/do/submit_reply/").content.decode()
    assert "协办单位意见尚未全部提交" in html


def test_approval_refuses_on_the_co_opinion_before_asking_for_the_letter(world, users):
    s, _reply = _co_handled_with_pending_reply(world)
    with pytest.raises(Exception) as exc:
        svc.suggestion_approve_reply(actor=users["unit_head"], suggestion=s)
    assert "协办单位意见尚未全部提交" in str(exc.value)
