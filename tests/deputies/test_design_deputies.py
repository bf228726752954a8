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


def _todo_counts(html):
    """{title: count} of the to-do cards on a home page."""
    import re

    return {m.group(2): int(m.group(1)) for m in re.finditer(
        r'<span class="todo-count" aria-hidden="true">(\d+)</span>\s*<span class="todo-text">\s*'
        r'<span class="todo-title">([^<]+)<', html)}


def test_unit_head_home_has_replies_waiting_for_sign_off(world, users, client_as):
    _co_handled_with_pending_reply(world)
    html = client_as(users["unit_head"]).get("/").content.decode()
    assert _todo_counts(html)["待审签的答复"] == 1


def test_each_role_home_shows_its_waiting_work(world, users, client_as):
    from deputies.choices import ReplyStatus

    world.suggestion(S.ASSIGNED)
    world.suggestion(S.IN_PROGRESS)
    drafted = world.suggestion(S.IN_PROGRESS)
    reply = world.reply(drafted, status=ReplyStatus.DRAFT)
    reply.send_back_reason = "请补充数据"
    reply.save()
    world.suggestion(S.SUBMITTED)
    world.suggestion(S.UNDER_REVIEW)
    world.suggestion(S.RETURN_REQUESTED)
    replied = world.suggestion(S.REPLIED)
    world.invite(world.suggestion(S.DRAFT, lead="other_deputy"), key="lead")
    clerk = _todo_counts(client_as(users["unit_clerk"]).get("/").content.decode())
    assert (clerk["待签收的建议"], clerk["待起草答复"], clerk["被退回的答复稿"]) == (1, 1, 1)
    office = _todo_counts(client_as(users["office"]).get("/").content.decode())
    assert (office["待登记的建议"], office["待审查的建议"], office["待审批的退回申请"], office["已答复待办结"]) == (1, 1, 1, 1)
    deputy = _todo_counts(client_as(users["lead"]).get("/").content.decode())
    assert (deputy["待评价的答复"], deputy["待确认的附议邀请"]) == (1, 1)
    assert replied.lead_deputy.user == users["lead"]


@pytest.mark.parametrize("role", ["unit_clerk", "unit_head", "office", "lead"])
def test_todo_counts_take_the_same_queries_for_3_and_30_rows(world, users, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from congress.navigation import home_todos

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            home_todos(users[role])
        return len(ctx.captured_queries)

    for _ in range(3):
        world.suggestion(S.IN_PROGRESS)
    queries()  # warm the per-process caches (a deputy's scope size, content types)
    few = queries()
    for _ in range(27):
        world.suggestion(S.IN_PROGRESS)
    assert queries() == few


def test_deputy_writes_and_submits_in_one_flow(world, users, client_as):
    from deputies.models import Suggestion, SuggestionCategory

    client = client_as(users["lead"])
    home = client.get("/").content.decode()
    assert 'href="/deputies/suggestions/new/" data-home-action' in home
    data = {"title": "关于增设公交线路的建议", "category": SuggestionCategory.objects.first().pk,
            "situation": "新城区公交线路少。", "proposal": "增设两条线路。"}
    client.post("/deputies/suggestions/new/", {**data, "submit": "1"})
    client.post("/deputies/suggestions/new/", {**data, "title": "关于完善路灯的建议"})
    assert Suggestion.objects.get(title="关于增设公交线路的建议").status == S.SUBMITTED
    assert Suggestion.objects.get(title="关于完善路灯的建议").status == S.DRAFT


def test_no_browser_confirm_left_in_templates_or_scripts():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    files = [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html"), *root.glob("static/js/*.js")]
    offenders = [str(p) for p in files if "confirm(" in p.read_text(encoding="utf-8").replace("confirm()", "")]
    assert not offenders
