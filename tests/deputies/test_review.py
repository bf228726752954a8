"""Gaps found at acceptance review: each test failed before its fix."""

import datetime as dt

import pytest
from django.urls import reverse

from congress.exceptions import ServiceError
from congress.workdays import today
from deputies import services as svc
from deputies.choices import SuggestionStatus as S
from deputies.models import Evaluation


def test_rating_after_the_window_is_refused_and_the_button_is_gone(world, users, client):
    # Given a reply whose rating window (15 working days) ended yesterday, not yet closed by the task
    s = world.suggestion(S.REPLIED)
    s.evaluation_due = today() - dt.timedelta(days=1)
    s.save()
    # When the deputy tries to rate it, then it is refused with a clear message
    with pytest.raises(ServiceError, match="评价期限已于"):
        svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="satisfied")
    assert not Evaluation.objects.filter(suggestion=s).exists()
    # and the detail page no longer offers the button; the form answers with the message, no 500
    client.force_login(users["lead"])
    html = client.get(reverse("deputies:suggestion-detail", args=[s.pk])).content.decode()
    assert 'data-action="evaluate"' not in html
    resp = client.post(reverse("deputies:suggestion-action", args=[s.pk, "evaluate"]),
                       {"attitude": "satisfied", "result": "satisfied", "comment": "好"})
    assert resp.status_code == 200 and "评价期限已于" in resp.content.decode()


def test_rating_on_the_last_day_of_the_window_is_accepted(world, users):
    s = world.suggestion(S.REPLIED)
    s.evaluation_due = today()
    s.save()
    svc.suggestion_evaluate(actor=users["lead"], suggestion=s, attitude="satisfied", result="satisfied")
    s.refresh_from_db()
    assert s.status == S.CLOSED


@pytest.mark.parametrize(("action", "field"), [("accept", "suggested_unit"), ("assign", "lead_unit")])
def test_review_forms_offer_the_unit_that_handled_similar_items(world, users, client, action, field):
    # Given an earlier item on large classes handled by the housing bureau (other_unit)
    world.suggestion(S.IN_PROGRESS, title="关于解决城区学校大班额问题的建议", unit=world.other_unit)
    status = S.UNDER_REVIEW if action == "accept" else S.ACCEPTED
    new = world.suggestion(status, title="关于缓解城区学校大班额的建议", lead="other_deputy")
    # When the office opens the accept / assign form
    client.force_login(users["office"])
    resp = client.get(reverse("deputies:suggestion-action", args=[new.pk, action]))
    # Then that unit is preselected
    assert resp.status_code == 200
    assert resp.context["form"].initial[field] == world.other_unit.pk


def test_filter_panel_fields_carry_bootstrap_classes_so_they_wrap_on_a_phone(world, users, client):
    # Given the list page with its filter panel (a long session name in a select)
    client.force_login(users["lead"])
    html = client.get(reverse("deputies:suggestion-list")).content.decode()
    # Then selects and inputs are sized by Bootstrap, not by their longest option
    assert 'name="session" class="form-select form-select-sm"' in html
    assert 'name="q" class="form-control form-control-sm"' in html


def test_replies_past_their_window_are_not_offered_for_rating(world, users, client):
    # Given one reply still in its window and one whose window has passed
    fresh = world.suggestion(S.REPLIED, title="关于增设公交线路的建议")
    stale = world.suggestion(S.REPLIED, title="关于整治背街小巷的建议")
    stale.evaluation_due = today() - dt.timedelta(days=1)
    stale.save()
    # Then the home widget and the personal page list only the first
    from deputies.home import widgets

    to_rate = next(w for w in widgets(users["lead"]) if w.title == "待评价的答复")
    assert to_rate.count == 1 and [r.url for r in to_rate.rows] == [reverse("deputies:suggestion-detail", args=[fresh.pk])]
    client.force_login(users["lead"])
    page = client.get(reverse("deputies:my-page"))
    assert [s.pk for s in page.context["to_rate"]] == [fresh.pk]


def test_inbox_exports_and_duty_record_have_constant_query_counts(world, users, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import CoSignature

    def grow(n):
        for i in range(n):
            s = world.suggestion(S.DRAFT if i % 2 else S.IN_PROGRESS, title=f"关于第{i}项事项的建议", lead="other_deputy")
            CoSignature.objects.create(suggestion=s, deputy=world.deputy("lead"),
                                       status="invited" if i % 2 else "confirmed")

    pages = [
        ("lead", reverse("deputies:cosign-inbox")),
        ("office", reverse("deputies:suggestion-export")),
        ("office", reverse("deputies:suggestion-notices")),
        ("office", reverse("deputies:deputy-record", args=[world.deputy("other_deputy").pk])),
    ]

    def counts():
        out = []
        for who, url in pages:
            client.force_login(users[who])
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    grow(3)
    small = counts()
    grow(27)
    assert counts() == small


@pytest.mark.parametrize("nxt", ["//evil.example.com/", "https://evil.example.com/", "/\\evil.example.com"])
def test_next_after_an_action_never_leaves_the_site(world, users, client, nxt):
    # Given an invitation to co-sign, confirmed from the inbox with a forged "next"
    s = world.suggestion(S.DRAFT, lead="other_deputy")
    world.invite(s, "lead")
    client.force_login(users["lead"])
    resp = client.post(reverse("deputies:suggestion-action", args=[s.pk, "confirm_cosign"]), {"next": nxt})
    # Then the co-signature is confirmed and the user stays on this site
    assert resp.status_code == 302 and resp["Location"] == reverse("deputies:suggestion-detail", args=[s.pk])


def test_next_inside_the_site_is_followed(world, users, client):
    s = world.suggestion(S.DRAFT, lead="other_deputy")
    world.invite(s, "lead")
    client.force_login(users["lead"])
    resp = client.post(reverse("deputies:suggestion-action", args=[s.pk, "confirm_cosign"]),
                       {"next": reverse("deputies:cosign-inbox")})
    assert resp["Location"] == reverse("deputies:cosign-inbox")


def test_a_draft_reply_is_not_overwritten_without_its_version(world, users, api_client):
    from congress.exceptions import EditConflict
    from deputies.models import Reply

    # Given a draft reply written by one clerk
    s = world.suggestion(S.IN_PROGRESS)
    svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="第一稿", category=world.category("A"))
    # When another request (opened before the draft existed) saves without a version, then it is a conflict
    with pytest.raises(EditConflict):
        svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="覆盖稿")
    resp = api_client(users["unit_clerk"]).post(f"/api/v1/deputies/suggestions/{s.pk}/draft-reply/", {"text": "覆盖稿"},
                                                format="json")
    assert resp.status_code == 409
    assert Reply.objects.get(suggestion=s).text == "第一稿"
    # and with the version read it is saved
    reply = Reply.objects.get(suggestion=s)
    svc.suggestion_draft_reply(actor=users["unit_clerk"], suggestion=s, text="第二稿", category=world.category("A"),
                               version=reply.version)
    assert Reply.objects.get(suggestion=s).text == "第二稿"


def test_html_draft_reply_conflict_keeps_the_text(world, users, client):
    s = world.suggestion(S.IN_PROGRESS)
    client.force_login(users["unit_clerk"])
    url = reverse("deputies:suggestion-action", args=[s.pk, "draft_reply"])
    # Two tabs open the empty form; the first saves, the second then saves too
    client.post(url, {"text": "第一稿"})
    resp = client.post(url, {"text": "第二个窗口的答复稿"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "答复稿已由他人保存" in html and "第二个窗口的答复稿" in html


def test_assignment_notice_quotes_the_configured_periods(world, users, client):
    import io

    from docx import Document

    from congress.models import PeriodSetting
    from congress.periods import clear_cache

    # Given a place where units sign within 5 working days and may ask for a return within 10
    for key, value in (("sign_for_working_days", 5), ("return_window_working_days", 10)):
        PeriodSetting.objects.update_or_create(key=key, defaults={"label": key, "value": value,
                                                                  "unit": "working_days", "default_value": value})
    clear_cache()
    s = world.suggestion(S.ASSIGNED)
    client.force_login(users["office"])
    # When the office prints the 交办单
    resp = client.get(reverse("deputies:suggestion-notice", args=[s.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    clear_cache()
    # Then it states those periods and the code table's categories, not fixed numbers
    assert "5个工作日内签收" in text and "10个工作日内申请退回" in text
    assert "七个工作日" not in text and "A、B、C、D" in text


def test_another_units_return_request_does_not_block_signing_or_returning(world, users):
    from deputies.choices import AssignmentRole, AssignmentStatus

    # Given an item assigned to two units answering separately, one of which asked for a return
    s = world.suggestion(S.ASSIGNED, role=AssignmentRole.SEPARATE)
    world.assign(s, world.other_unit, role=AssignmentRole.SEPARATE)
    svc.suggestion_request_return(actor=users["other_unit_clerk"], suggestion=s, reason="不属于本单位职责")
    s.refresh_from_db()
    assert s.status == S.RETURN_REQUESTED
    # When the other unit signs for its own assignment, then it may, and the pending request stays visible
    a = svc.suggestion_sign(actor=users["unit_clerk"], suggestion=s)
    assert a.status == AssignmentStatus.SIGNED
    s.refresh_from_db()
    assert s.status == S.RETURN_REQUESTED
    # and when the office refuses the return, the item is in progress
    svc.suggestion_refuse_return(actor=users["office"], suggestion=s, reason="属于本单位职责")
    s.refresh_from_db()
    assert s.status == S.IN_PROGRESS


def test_two_units_may_each_ask_for_a_return(world, users):
    from deputies.choices import AssignmentRole

    s = world.suggestion(S.ASSIGNED, role=AssignmentRole.SEPARATE)
    world.assign(s, world.other_unit, role=AssignmentRole.SEPARATE)
    svc.suggestion_request_return(actor=users["other_unit_clerk"], suggestion=s, reason="不属于本单位职责")
    svc.suggestion_request_return(actor=users["unit_clerk"], suggestion=s, reason="同样不属于本单位")
    assert s.return_requests.count() == 2


@pytest.mark.django_db(transaction=True)
def test_code_tables_come_back_after_a_database_flush():
    """Given a flushed database (as after a transactional test or `manage.py flush`),
    when post-migrate handlers run, then the A/B/C/D reply codes are there again, so
    replies can always be categorised."""
    from django.core.management import call_command

    from deputies.models import ReplyCategory, SuggestionCategory

    call_command("flush", interactive=False, verbosity=0)
    assert sorted(ReplyCategory.objects.values_list("code", flat=True)) == ["A", "B", "C", "D"]
    assert SuggestionCategory.objects.filter(name="教科文卫").exists()
