"""Preconditions show before the click: each step's page (and the item page beside its
button) lists what still keeps it from succeeding, from the very function the service
refuses with, so the page and the refusal cannot drift apart."""

import pytest
from django.utils import timezone

from deputies import services as svc
from deputies.choices import AssignmentRole, AssignmentStatus, BillStatus, SuggestionStatus
from deputies.models import Bill

pytestmark = pytest.mark.django_db
S = SuggestionStatus


def _refusal(call) -> str:
    with pytest.raises(Exception) as exc:
        call()
    return " ".join(getattr(exc.value, "messages", [str(exc.value)]))


def test_submit_lists_unconfirmed_co_signers_on_the_item_page_and_the_step(world, users, client_as):
    s = world.suggestion(S.DRAFT)
    world.invite(s)
    [(_f, message)] = svc.submit_unmet(s)
    client = client_as(users["lead"])
    detail = client.get(f"/deputies/suggestions/{s.pk}/").content.decode()
    assert 'data-action="submit" data-has-unmet' in detail  # a link to the step, not a blind post
    assert message in detail[detail.index('data-unmet-for="submit"'):]
    step = client.get(f"/deputies/suggestions/{s.pk}/do/submit/").content.decode()
    assert message in step[step.index("data-unmet"):]
    assert message in _refusal(lambda: svc.suggestion_submit(actor=users["lead"], suggestion=s))


def test_nothing_missing_keeps_the_one_click_submit(world, users, client_as):
    s = world.suggestion(S.DRAFT)
    detail = client_as(users["lead"]).get(f"/deputies/suggestions/{s.pk}/").content.decode()
    assert "data-unmet-for" not in detail and 'data-action="submit">' in detail


def test_close_shows_the_open_rating_window_first(world, users, client_as):
    s = world.suggestion(S.REPLIED)
    unmet = svc.close_unmet(s)
    assert unmet, "a reply still unrated within its window"
    page = client_as(users["office"]).get(f"/deputies/suggestions/{s.pk}/do/close/").content.decode()
    assert unmet[0][1] in page[page.index("data-unmet"):]
    assert unmet[0][1] in _refusal(lambda: svc.suggestion_close(actor=users["office"], suggestion=s))


def test_second_extension_request_is_announced_before_typing_a_reason(world, users, client_as):
    s = world.suggestion(S.IN_PROGRESS)
    world.extension(s)
    page = client_as(users["unit_clerk"]).get(f"/deputies/suggestions/{s.pk}/do/request_extension/").content.decode()
    assert "已有一份延期申请等待审批" in page[page.index("data-unmet"):]
    assert "已有一份延期申请等待审批" in _refusal(lambda: svc.suggestion_request_extension(
        actor=users["unit_clerk"], suggestion=s, reason="需协调多个部门", requested_due=s.due_date))


def test_co_handler_is_told_to_sign_before_giving_its_opinion(world, users, client_as):
    s = world.suggestion(S.IN_PROGRESS)
    world.assign(s, world.other_unit, role=AssignmentRole.CO, status=AssignmentStatus.ASSIGNED)
    page = client_as(users["other_unit_clerk"]).get(f"/deputies/suggestions/{s.pk}/do/submit_opinion/").content.decode()
    assert "请先签收，再提交协办意见" in page[page.index("data-unmet"):]
    assert "请先签收" in _refusal(lambda: svc.suggestion_submit_opinion(
        actor=users["other_unit_clerk"], suggestion=s, text="同意主办单位意见"))


def test_bill_page_names_the_co_signers_still_needed(world, users, client_as):
    b = Bill.objects.create(term=world.term, session=world.session, title="关于制定《江州市养犬管理条例》的议案",
                            grounds="养犬纠纷逐年增多。", solution="制定地方性法规。", lead_deputy=world.deputy("lead"),
                            status=BillStatus.DRAFT)
    [(_f, message)] = svc.bill_submit_unmet(b)
    detail = client_as(users["lead"]).get(f"/deputies/bills/{b.pk}/").content.decode()
    assert message in detail[detail.index('data-unmet-for="submit"'):]
    assert message in _refusal(lambda: svc.bill_submit(actor=users["lead"], bill=b))
    assert timezone.now()  # the deadline check reads the same clock as the service


def test_checklist_component_is_the_one_on_every_action_page(world, users, client_as):
    s, _r = world.suggestion(S.IN_PROGRESS), None
    world.reply(s, letter=False)
    page = client_as(users["unit_head"]).get(f"/deputies/suggestions/{s.pk}/do/approve_reply/").content.decode()
    assert 'class="checklist checklist-unmet' in page and "data-unmet-item" in page


def test_edit_page_warns_of_unconfirmed_co_signers_before_submitting(world, users, client_as):
    s = world.suggestion(S.DRAFT)
    world.invite(s)
    [(_f, message)] = svc.submit_unmet(s)
    html = client_as(users["lead"]).get(f"/deputies/suggestions/{s.pk}/edit/").content.decode()
    assert message in html[html.index("data-unmet"):]
    assert 'class="form-layout"' in html  # the shared form layout
