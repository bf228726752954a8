"""代表码 on a phone (390×844): a citizen scans the deputy's code, leaves an opinion without
signing in and gets a tracking code; the deputy sees the to-do card, answers on their
phone; the citizen tracks the opinion and reads the answer."""

import pytest

from congress.models import LiaisonStation
from congress.roles import Role
from deputies.models import CitizenOpinion
from tests import factories as f
from tests.browser.conftest import _context, _finish, _watch, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def deputy(db):
    term = f.TermFactory()
    station = LiaisonStation.objects.create(name="东湖街道代表联络站", address="东湖路1号")
    user = f.UserFactory(username="deputy1", name="赵丽萍", role=Role.DEPUTY)
    return f.DeputyFactory(user=user, name="赵丽萍", term=term, station=station,
                           delegation=f.DelegationFactory(term=term, name="东城区代表团"), phone="13911112222")


@pytest.fixture
def phone(browser):
    opened = []

    def new_page():
        context = _context(browser, viewport=PHONE_390, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = _watch(context.new_page())
        opened.append((page, context))
        return page

    yield new_page
    for page, context in opened:
        _finish(page, context)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_citizen_leaves_an_opinion_by_the_code_and_reads_the_deputys_answer(live_server, phone, deputy):
    base = live_server.url
    citizen = phone()

    # The citizen scans the code: the deputy's card and the form, no sign-in, no phone number.
    citizen.goto(f"{base}/public/deputies/{deputy.qr_token}/")
    card = citizen.inner_text("[data-deputy-card]")
    assert "赵丽萍" in card and "东湖街道代表联络站" in card and "东城区代表团" in card
    assert "13911112222" not in citizen.content()
    box = citizen.locator("#id_website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0  # the honeypot stays off-screen
    assert fits(citizen)
    citizen.fill("#id_content", "东湖公园公共厕所晚上九点就锁门，夜跑的居民很不方便，建议延长开放时间。")
    citizen.fill("#id_citizen_name", "王女士")
    citizen.fill("#id_citizen_contact", "13800000001")
    with citizen.expect_navigation():
        citizen.click("[data-code-form] button[type=submit]")
    code = citizen.inner_text("[data-tracking-code]").strip()
    assert len(code) == 10
    assert fits(citizen)
    opinion = CitizenOpinion.objects.get()
    assert opinion.tracking_code == code and opinion.deputy_id == deputy.pk

    # Tracking before an answer: received.
    with citizen.expect_navigation():
        citizen.click("[data-track-link]")
    citizen.fill("#id_code", code.lower())
    with citizen.expect_navigation():
        citizen.click("[data-track-form] button[type=submit]")
    assert "已收到" in citizen.inner_text("[data-track-result]")

    # The deputy, on their phone: the to-do card, the opinion, the answer.
    dep = phone()
    login(dep, base, "deputy1", f.PASSWORD)
    assert "待答复的群众意见" in dep.content()
    dep.goto(f"{base}/deputies/opinions/?status=registered")
    with dep.expect_navigation():
        dep.click(f"a[href='/deputies/opinions/{opinion.pk}/']")
    assert "13800000001" in dep.content()  # the deputy may call the citizen back
    with dep.expect_navigation():
        dep.click("[data-action=reply]")
    dep.fill("#id_answer", "已联系公园管理处，下月起公厕开放到晚上十一点。")
    with dep.expect_navigation():
        dep.click("form[data-action-form=reply] button[type=submit]")
    assert "已答复" in dep.inner_text("main")
    assert fits(dep)

    # The citizen tracks it again and reads the answer.
    citizen.goto(f"{base}/public/deputies/track/")
    citizen.fill("#id_code", code)
    with citizen.expect_navigation():
        citizen.click("[data-track-form] button[type=submit]")
    result = citizen.inner_text("[data-track-result]")
    assert "已答复" in result and "下月起公厕开放到晚上十一点" in result
    assert "王女士" not in result and "13800000001" not in citizen.content()
    assert fits(citizen)
