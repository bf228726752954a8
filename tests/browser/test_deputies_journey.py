"""The whole journey of a suggestion in the real pages: a deputy writes it and invites a
co-signer, who confirms; the deputy submits; the assigning office registers, accepts and
assigns it; the unit's clerk signs for it and drafts the reply with the signed letter;
the unit head approves it; the deputy rates it on a phone."""

import datetime as dt

import pytest

from congress.models import Office
from congress.roles import Role
from congress.workdays import today
from deputies.choices import SuggestionStatus as S
from deputies.models import Suggestion
from tests import factories as f
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    term = f.TermFactory()
    on = today()
    f.CongressSessionFactory(term=term, number=5, name="江州市第十七届人民代表大会第五次会议",
                             start_date=on - dt.timedelta(days=40), end_date=on - dt.timedelta(days=36))
    office = f.OfficeFactory(name="代表工作委员会", short_name="代表工委", is_assigning_office=True,
                             kind=Office.Kind.WORKING_BODY)
    edu = f.HandlingUnitFactory(name="江州市教育局")
    f.HandlingUnitFactory(name="江州市住房和城乡建设局")
    users = {
        "deputy1": f.UserFactory(username="deputy1", name="赵丽萍", role=Role.DEPUTY),
        "deputy2": f.UserFactory(username="deputy2", name="孙志强", role=Role.DEPUTY),
        "assign": f.UserFactory(username="assign", name="刘建华", role=Role.ASSIGNING_CLERK, office=office),
        "unit1_clerk": f.UserFactory(username="unit1_clerk", name="周敏", role=Role.UNIT_CLERK, unit=edu),
        "unit1_head": f.UserFactory(username="unit1_head", name="吴海涛", role=Role.UNIT_HEAD, unit=edu),
    }
    delegation = f.DelegationFactory(term=term, name="东城区代表团")
    for key in ("deputy1", "deputy2"):
        f.DeputyFactory(user=users[key], name=users[key].name, term=term, delegation=delegation)
    return users


def fits(page) -> bool:
    """No sideways scrolling: the page is no wider than the phone's screen."""
    # Against the screen's width: a mobile browser widens window.innerWidth to fit the content.
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def click_nav(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_deputy_submits_with_a_cosigner_office_assigns_unit_replies_deputy_rates(
    live_server, browser_page, phone_page, people, tmp_path
):
    base = live_server.url
    page = browser_page

    # The deputy writes a suggestion and saves the draft.
    login(page, live_server, "deputy1", f.PASSWORD)
    page.goto(f"{base}/deputies/suggestions/new/")
    page.fill("#id_title", "关于化解城区学校大班额问题的建议")
    page.fill("#id_situation", "城区部分学校班额超过五十五人，学位供给不足。")
    page.fill("#id_proposal", "一是加快新建学校；二是优化学区划分。")
    click_nav(page, "#suggestion-form button[data-save-draft]")
    s = Suggestion.objects.get()
    assert s.status == S.DRAFT and f"/deputies/suggestions/{s.pk}/" in page.url

    # She invites a co-signer.
    click_nav(page, "a[data-action='invite']")
    page.select_option("#id_deputies", label="孙志强（东城区代表团）")
    click_nav(page, "form[data-action-form='invite'] button[type=submit]")
    assert "孙志强" in page.inner_text("#cosigners") and "待确认" in page.inner_text("#cosigners")

    # The co-signer confirms from his inbox.
    login(page, live_server, "deputy2", f.PASSWORD)
    page.goto(f"{base}/deputies/cosign/")
    click_nav(page, "button[data-action='confirm_cosign']")
    assert s.cosignatures.get().status == "confirmed"

    # The deputy submits (the product's confirm dialog guards the button).
    login(page, live_server, "deputy1", f.PASSWORD)
    page.goto(f"{base}/deputies/suggestions/{s.pk}/")
    page.click("button[data-action='submit']")
    page.wait_for_selector("#app-confirm [data-confirm-ok]", state="visible")
    assert "提交后不能再修改" in page.inner_text("#app-confirm [data-confirm-body]")
    click_nav(page, "#app-confirm [data-confirm-ok]")
    assert Suggestion.objects.get().status == S.SUBMITTED

    # The assigning office registers, accepts and assigns it to the education bureau.
    login(page, live_server, "assign", f.PASSWORD)
    page.goto(f"{base}/deputies/suggestions/{s.pk}/")
    click_nav(page, "a[data-action='register']")
    click_nav(page, "form[data-action-form='register'] button[type=submit]")
    assert "第0001号" in page.inner_text("main")
    click_nav(page, "a[data-action='accept']")
    click_nav(page, "form[data-action-form='accept'] button[type=submit]")
    click_nav(page, "a[data-action='assign']")
    page.select_option("#id_lead_unit", label="江州市教育局")
    click_nav(page, "form[data-action-form='assign'] button[type=submit]")
    s.refresh_from_db()
    assert s.status == S.ASSIGNED and s.due_date
    assert "江州市教育局" in page.inner_text("#assignments")

    # The unit's clerk signs for it and drafts the reply with the signed letter.
    login(page, live_server, "unit1_clerk", f.PASSWORD)
    page.goto(f"{base}/deputies/suggestions/{s.pk}/")
    assert page.locator("a[data-action='request_return']").count() == 1
    click_nav(page, "button[data-action='sign']")
    assert Suggestion.objects.get().status == S.IN_PROGRESS
    click_nav(page, "a[data-action='draft_reply']")
    page.fill("#id_text", "赵丽萍代表：您提出的建议收悉，现答复如下：一、今年新建两所学校……")
    page.select_option("#id_category", label="A类：所提问题已经解决或者基本解决")
    letter = tmp_path / "答复函.pdf"
    letter.write_bytes(b"%PDF-1.4 signed letter")
    page.set_input_files("#id_letter", str(letter))
    click_nav(page, "form[data-action-form='draft_reply'] button[type=submit]")
    click_nav(page, "button[data-action='submit_reply']")

    # The unit head approves it: the reply goes out.
    login(page, live_server, "unit1_head", f.PASSWORD)
    page.goto(f"{base}/deputies/suggestions/{s.pk}/")
    click_nav(page, "a[data-action='approve_reply']")
    click_nav(page, "form[data-action-form='approve_reply'] button[type=submit]")
    s.refresh_from_db()
    assert s.status == S.REPLIED and s.evaluation_due

    # The deputy rates it on her phone: attitude and result separately, with a comment.
    phone = login(phone_page, live_server, "deputy1", f.PASSWORD)
    assert "待评价的答复" in phone.inner_text("main")
    phone.goto(f"{base}/deputies/suggestions/{s.pk}/")
    assert "答复函.pdf" in phone.inner_text("main")
    assert fits(phone)
    click_nav(phone, "a[data-action='evaluate']")
    assert fits(phone)
    phone.check("input[name='attitude'][value='satisfied']")
    phone.check("input[name='result'][value='basic']")
    phone.fill("#id_comment", "答复及时，希望尽快落实。")
    click_nav(phone, "form[data-action-form='evaluate'] button[type=submit]")
    s.refresh_from_db()
    assert s.status == S.CLOSED
    assert "已办结" in phone.inner_text("main")

    # Her list of items fits the phone's width: the filter panel wraps instead of pushing the page sideways.
    phone.goto(f"{base}/deputies/")
    assert fits(phone)
